import { z } from 'zod';
import { NAME_MAX_LENGTH, NAME_PATTERN } from '@dispatch/contracts';

/** An entity's name in a request body (DESIGN §6): a DNS-1123 label, so it is safe everywhere downstream. */
export const entityNameSchema = z
  .string()
  .max(NAME_MAX_LENGTH, `at most ${NAME_MAX_LENGTH} characters`)
  .regex(NAME_PATTERN, 'lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)');

/** An entity's tags in a request body: at most 32, keys up to 63 and values up to 256 characters. */
export const tagsSchema = z
  .array(z.object({ key: z.string().min(1).max(63), value: z.string().max(256) }).strict())
  .max(32, 'at most 32 tags')
  .default([]);

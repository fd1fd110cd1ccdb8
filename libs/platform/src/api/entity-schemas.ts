import { z } from 'zod';
import { EntityStatus, NAME_MAX_LENGTH, NAME_PATTERN } from '@dispatch/contracts';

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

/** A time as the API writes it: ISO 8601 in UTC (Date.toISOString). */
export const timeSchema = z.iso.datetime();

/** The fields every entity answers with (EntityBase, DESIGN §6); each view extends it. */
export const entityViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  org: z.string(),
  createdTime: timeSchema,
  modifiedTime: timeSchema,
  status: z.enum(Object.values(EntityStatus) as [EntityStatus, ...EntityStatus[]]),
  reason: z.array(z.string()).meta({ description: 'Why the entity is in its status (e.g. what failed), newest last.' }),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
});

/** The entity fields of an example view. */
export const ENTITY_EXAMPLE: Omit<z.output<typeof entityViewSchema>, 'name'> = {
  id: '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b',
  org: 'default',
  createdTime: '2026-12-07T10:00:00.000Z',
  modifiedTime: '2026-12-07T10:00:00.000Z',
  status: 'READY',
  reason: [],
  tags: [],
};

import { z } from 'zod';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';
import { SECRET_KEY_PATTERN, SECRET_MAX_KEYS } from './secret-limits';

const KEY_RULE =
  'each key must match ^[A-Za-z_][A-Za-z0-9_.-]{0,252}$: a letter or "_" first, then letters, digits, "_", "." or "-", at most 253 characters';

// Messages name the field (the key) and the rule, never the value.
const secrets = z
  .record(z.string().regex(SECRET_KEY_PATTERN), z.string('each value must be a string'), {
    error: (issue) => (issue.code === 'invalid_key' ? KEY_RULE : undefined),
  })
  .refine((values) => Object.keys(values).length <= SECRET_MAX_KEYS, `at most ${SECRET_MAX_KEYS} keys per secret`);

export const secretBody = z.object({ name, secrets, tags }).strict();
export const secretUpdateBody = secretBody.omit({ name: true });

export type SecretBody = z.infer<typeof secretBody>;
export type SecretUpdateBody = z.infer<typeof secretUpdateBody>;

import { z } from 'zod';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema, timeSchema } from '@dispatch/platform';

/** An API key as the API answers it: never the key itself, which only its creation answers. */
export const apiKeyViewSchema = apiSchema(
  'ApiKey',
  entityViewSchema.extend({
    role: z.string(),
    prefix: z.string().meta({ description: 'The part of the key that identifies it (dsp_<prefix>_…).' }),
    expiresTime: timeSchema.nullable(),
    revokedTime: timeSchema.nullable(),
  }),
  {
    ...ENTITY_EXAMPLE,
    name: 'ci',
    role: 'invoker',
    prefix: 'abcdefghijkl',
    expiresTime: '2027-03-07T10:00:00.000Z',
    revokedTime: null,
  },
);

/** A key just created: the view and the key, shown this once. */
export const createdApiKeySchema = apiSchema(
  'CreatedApiKey',
  apiKeyViewSchema.extend({ key: z.string().meta({ description: 'The key: shown only in this answer, never stored.' }) }),
  {
    ...ENTITY_EXAMPLE,
    name: 'ci',
    role: 'invoker',
    prefix: 'abcdefghijkl',
    expiresTime: '2027-03-07T10:00:00.000Z',
    revokedTime: null,
    key: 'dsp_abcdefghijkl_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
  },
);

import { z } from 'zod';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';

/** A secret without its values: what lists and writes answer. */
export const secretSummarySchema = apiSchema('Secret', entityViewSchema, { ...ENTITY_EXAMPLE, name: 'db' });

/** A secret with its values: only GET /v1/secret/{name} answers it. */
export const secretWithValuesSchema = apiSchema(
  'SecretWithValues',
  entityViewSchema.extend({ secrets: z.record(z.string(), z.string()) }),
  { ...ENTITY_EXAMPLE, name: 'db', secrets: { username: 'me', password: 's3cret' } },
);

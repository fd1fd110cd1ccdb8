import { z } from 'zod';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';

/** A role binding (policy) as the API answers it: who holds the role. */
export const policyViewSchema = apiSchema(
  'Policy',
  entityViewSchema.extend({
    role: z.string(),
    subjects: z.array(z.object({ kind: z.enum(['user', 'group', 'serviceaccount', 'apikey']), name: z.string() })),
  }),
  { ...ENTITY_EXAMPLE, name: 'ci-developers', role: 'developer', subjects: [{ kind: 'serviceaccount', name: 'ci' }] },
);

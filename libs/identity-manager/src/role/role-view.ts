import { z } from 'zod';
import { ACTIONS, RESOURCES } from '@dispatch/contracts';
import { apiSchema, ENTITY_EXAMPLE, entityViewSchema } from '@dispatch/platform';

/** A custom role as the API answers it: what it allows. */
export const roleViewSchema = apiSchema(
  'Role',
  entityViewSchema.extend({
    rules: z.array(z.object({ resources: z.array(z.enum([...RESOURCES, '*'])), actions: z.array(z.enum([...ACTIONS, '*'])) })),
  }),
  { ...ENTITY_EXAMPLE, name: 'deployer', rules: [{ resources: ['function'], actions: ['create', 'update', 'get', 'list'] }] },
);

import { z } from 'zod';
import { ACTIONS, RESOURCES } from '@dispatch/contracts';
import { entityNameSchema as name, tagsSchema as tags } from '@dispatch/platform';

const rule = z
  .object({
    resources: z
      .array(z.enum([...RESOURCES, '*']))
      .min(1)
      .max(RESOURCES.length + 1),
    actions: z
      .array(z.enum([...ACTIONS, '*']))
      .min(1)
      .max(ACTIONS.length + 1),
  })
  .strict();

export const roleBody = z.object({ name, rules: z.array(rule).min(1).max(50, 'at most 50 rules'), tags }).strict();
export const roleUpdateBody = roleBody.omit({ name: true });
export type RoleBody = z.infer<typeof roleBody>;
export type RoleUpdateBody = z.infer<typeof roleUpdateBody>;

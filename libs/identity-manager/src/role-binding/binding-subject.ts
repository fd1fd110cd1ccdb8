import { z } from 'zod';

/** Who a binding grants its role to, as bodies name them (organizations' first admins, policies). */
export const bindingSubjectSchema = z
  .object({ kind: z.enum(['user', 'group', 'serviceaccount']), name: z.string().min(1).max(256) })
  .strict();

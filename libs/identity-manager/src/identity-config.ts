import { z } from 'zod';
import { authConfigSchema } from '@dispatch/platform';

const subject = z
  .string()
  .regex(/^(user|group|serviceaccount):.+$/, 'each admin is user:<subject>, group:<group> or serviceaccount:<account>')
  .transform((s) => {
    const at = s.indexOf(':');
    return { kind: s.slice(0, at) as 'user' | 'group' | 'serviceaccount', name: s.slice(at + 1) };
  });

/** identity-manager's own settings, on top of the common ones. */
export const identityConfigSchema = z.object({
  DISPATCH_PLATFORM_ORG: authConfigSchema.shape.DISPATCH_PLATFORM_ORG,
  /** Made admins of the platform org at start (idempotent): how a deployment gets its first admins. */
  DISPATCH_ADMINS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(subject)),
  /**
   * Where secret values are kept: `postgres` (encrypted rows, AES-256-GCM with DISPATCH_SECRET_KEY)
   * or `kubernetes` (one Kubernetes Secret each, in SECRETS_NAMESPACE).
   */
  SECRETS_BACKEND: z.enum(['postgres', 'kubernetes'], { error: 'must be postgres or kubernetes' }).default('postgres'),
});
export type IdentityConfig = z.infer<typeof identityConfigSchema>;

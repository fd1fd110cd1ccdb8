import { z } from 'zod';
import { authConfigSchema } from '@dispatch/platform';
import { type KubernetesSecretsConfig, kubernetesSecretsConfigSchema } from './secret/kubernetes/kubernetes-secrets-config';
import { type SecretKeyConfig, secretKeyConfigSchema } from './secret/secret-key';

const subject = z
  .string()
  .regex(/^(user|group|serviceaccount):.+$/, 'each admin is user:<subject>, group:<group> or serviceaccount:<account>')
  .transform((s) => {
    const at = s.indexOf(':');
    return { kind: s.slice(0, at) as 'user' | 'group' | 'serviceaccount', name: s.slice(at + 1) };
  });

export const AUDIT_RETENTION_DAYS_DEFAULT = 90;
const MAX_RETENTION_DAYS = 36_500;

const retentionDays = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const text = value?.trim();
    if (!text) return AUDIT_RETENTION_DAYS_DEFAULT;
    const days = Number(text);
    if (/^\d+$/.test(text) && Number.isSafeInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS) return days;
    ctx.addIssue({
      code: 'custom',
      message: `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS} (default ${AUDIT_RETENTION_DAYS_DEFAULT}); got "${text}"`,
    });
    return z.NEVER;
  });

/**
 * identity-manager's own settings, on top of the common ones, as they are read: `.shape` lets an app
 * check them together with its other settings ({@link checkSecretsBackend} then finishes them).
 */
export const identityConfigFields = z.object({
  DISPATCH_PLATFORM_ORG: authConfigSchema.shape.DISPATCH_PLATFORM_ORG,
  /** Made admins of the platform org at start (idempotent): how a deployment gets its first admins. */
  DISPATCH_ADMINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(subject)),
  /**
   * Where secret values are kept: `postgres` (encrypted rows, AES-256-GCM with DISPATCH_SECRET_KEY)
   * or `kubernetes` (one Kubernetes Secret each, in SECRETS_NAMESPACE).
   */
  SECRETS_BACKEND: z.enum(['postgres', 'kubernetes'], { error: 'must be postgres or kubernetes' }).default('postgres'),
  DISPATCH_HOME: secretKeyConfigSchema.shape.DISPATCH_HOME,
  DISPATCH_SECRET_KEY: z.string().optional(),
  SECRETS_NAMESPACE: z.string().optional(),
  /** Days the audit log keeps events. */
  AUDIT_RETENTION_DAYS: retentionDays,
});

type SecretsBackendChecked<T> = Omit<T, 'DISPATCH_SECRET_KEY' | 'SECRETS_NAMESPACE'> &
  Pick<SecretKeyConfig, 'DISPATCH_SECRET_KEY'> &
  KubernetesSecretsConfig;

/**
 * Checks the settings of the chosen secrets backend, and only those: the other backend's are never
 * read, so a leftover value of it must not stop a start. The key comes out decoded.
 */
export function checkSecretsBackend<T extends z.infer<typeof identityConfigFields>>(
  config: T,
  ctx: z.RefinementCtx,
): SecretsBackendChecked<T> {
  const chosen =
    config.SECRETS_BACKEND === 'postgres'
      ? secretKeyConfigSchema.pick({ DISPATCH_SECRET_KEY: true }).safeParse(config)
      : kubernetesSecretsConfigSchema.safeParse(config);
  if (!chosen.success) {
    for (const issue of chosen.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return { ...config, DISPATCH_SECRET_KEY: undefined, SECRETS_NAMESPACE: undefined, ...chosen.data };
}

/**
 * identity-manager's own settings, all read and checked once, at start, so a bad one stops the
 * process before anything runs, and nothing re-reads the environment later.
 */
export const identityConfigSchema = identityConfigFields.transform(checkSecretsBackend);
export type IdentityConfig = z.infer<typeof identityConfigSchema>;

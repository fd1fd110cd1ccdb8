import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Settings every app reads, with the same names in every mode (DESIGN §8). */
export const baseConfigSchema = z.object({
  PORT: port(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DISPATCH_HOME: z.string().min(1).default(join(homedir(), '.dispatch')),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// or tls:// URL')
    .optional(),
  NATS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, "_" and "-", at most 32')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

const claimMapping = z.object({ org: z.string().min(1), subject: z.string().min(1), groups: z.string().min(1) }).strict();
const trustedIssuer = z
  .object({
    issuer: z.string().url(),
    audience: z.string().min(1),
    jwksUri: z.string().url().optional(),
    claims: claimMapping.default({ org: 'org', subject: 'sub', groups: 'groups' }),
  })
  .strict();

/** Authentication settings every app with `/v1` routes reads. */
export const authConfigSchema = z.object({
  DISPATCH_PLATFORM_ORG: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be an org name')
    .default('default'),
  DISPATCH_TRUSTED_ISSUERS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of {issuer, audience, jwksUri?, claims?}' });
        return z.NEVER;
      }
    })
    .pipe(z.array(trustedIssuer)),
  AUTHZ_REFRESH_MS: z.coerce.number().int().min(100).max(600_000).default(2000),
});
export type AuthConfig = z.infer<typeof authConfigSchema>;

/**
 * The secret the gateway and function-manager share: written into Kong's request-transformer as a
 * header value (and into exports by a sed line), so only characters that are safe there, with no
 * trailing newline of a mounted file, and long enough not to be guessed.
 */
export const gatewaySecretSchema = z
  .string()
  .regex(/^[A-Za-z0-9._~+/=-]{16,}$/, 'must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / = - (e.g. openssl rand -base64 24)');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment with `schema`; throws a {@link ConfigError} listing every problem. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings are how shells and manifests say "unset"; treat them so defaults apply.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/** For mains: a bad or missing variable stops the process with exit 1 and the list of problems. */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\nSee the configuration table in README.md.\n`);
    process.exit(1);
  }
}

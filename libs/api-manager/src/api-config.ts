import { z } from 'zod';
import { gatewaySecretSchema, loadConfigOrExit } from '@dispatch/platform';

/** api-manager's settings (README, configuration table). */
export const apiConfigSchema = z
  .object({
    /**
     * The Kong Admin API the APIs are reconciled into. Unset: no gateway is driven, and APIs stay
     * CREATING with a reason saying so (solo mode sets it when it runs its gateway).
     */
    KONG_ADMIN_URL: z.url('must be the URL of a Kong Admin API, e.g. http://kong-admin.kong:8001').optional(),
    /** A unix socket the Admin API listens on instead (KONG_ADMIN_URL then only names the host, e.g. http://localhost). */
    KONG_ADMIN_SOCKET: z.string().min(1).optional(),
    /** Sent as Kong-Admin-Token (RBAC, or a proxy in front of the Admin API). */
    KONG_ADMIN_TOKEN: z.string().min(1).optional(),
    /** function-manager as the gateway reaches it: the upstream of every API (its /v1/invoke route). */
    FUNCTION_MANAGER_URL: z
      .url('must be the URL function-manager is reached at from Kong, e.g. http://function-manager:8080')
      .default('http://127.0.0.1:8080'),
    /** How often the gateway is compared with the APIs and repaired, besides right after each change. */
    API_RESYNC_MS: z.coerce.number().int().min(100).default(30_000),
    /** How long the gateway waits on a function's answer. */
    API_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(300_000),
    /** What the gateway proves itself with to function-manager's invoke route: the same value as function-manager's. */
    GATEWAY_SHARED_SECRET: gatewaySecretSchema.optional(),
  })
  .refine((c) => !c.KONG_ADMIN_URL || c.GATEWAY_SHARED_SECRET, {
    path: ['GATEWAY_SHARED_SECRET'],
    message: "is required with KONG_ADMIN_URL: set the same secret as function-manager's, or no API could reach a function",
  });
export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const API_CONFIG = Symbol.for('dispatch.api-config');

/** The settings from the environment; a mistake there stops the process with the list. */
export function loadApiConfig(): ApiConfig {
  return loadConfigOrExit(apiConfigSchema);
}

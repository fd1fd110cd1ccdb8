import { z } from 'zod';
import { gatewaySecretSchema } from '@dispatch/platform';

const intFrom = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

/** function-manager's settings (README, configuration table). */
export const functionConfigSchema = z.object({
  /** The OpenFaaS gateway: faas-netes in cluster mode; solo mode points it at its embedded faas-local. */
  OPENFAAS_URL: z.url('must be the URL of an OpenFaaS gateway, e.g. http://gateway.openfaas:8080').optional(),
  /** Reach the gateway over this unix socket instead (solo mode's faas-local). */
  OPENFAAS_SOCKET: z.string().min(1).optional(),
  OPENFAAS_USER: z.string().min(1).optional(),
  OPENFAAS_PASSWORD: z.string().min(1).optional(),
  /** Where images built from source are kept (solo: DISPATCH_HOME/images, read by faas-local). */
  FUNCTION_IMAGES_DIR: z.string().min(1).optional(),
  RUN_RETENTION_DAYS: intFrom(1, 7),
  RUN_RETENTION_PER_FUNCTION: intFrom(1, 1000),
  RUN_SWEEP_MS: intFrom(100, 30_000),
  /**
   * How long a process's heartbeat may be silent before the runs it was running are given up as
   * lost; it beats five times per lease. Runs waiting in the queue are never given up.
   */
  RUN_LEASE_MS: intFrom(1000, 30_000),
  /**
   * How often the run table is looked at for queued runs nobody woke this process for (another
   * replica accepted them, or they were queued before a restart).
   */
  RUN_QUEUE_SCAN_MS: intFrom(50, 1000),
  /** How long a new version may take to become ready on the provider before it is marked ERROR. */
  DEPLOY_TIMEOUT_MS: intFrom(1000, 120_000),
  /** How long a replaced version keeps serving runs already routed to it before it is removed. */
  RETIRE_DELAY_MS: intFrom(0, 5000),
  /**
   * The secret the gateway sends in X-Dispatch-Gateway-Secret on every invocation; the same value
   * is configured on the gateway. Unset: /v1/invoke refuses every request.
   */
  GATEWAY_SHARED_SECRET: gatewaySecretSchema.optional(),
  /**
   * Largest request body an invocation through the gateway may carry. A JSON body is read by the
   * platform's JSON parser, so BODY_LIMIT_BYTES bounds it too.
   */
  INVOKE_BODY_LIMIT_BYTES: intFrom(1, 1024 * 1024),
  /** How long an Idempotency-Key answers repeats with its first run. */
  IDEMPOTENCY_WINDOW_SECONDS: intFrom(1, 24 * 60 * 60),
});
export type FunctionConfig = z.infer<typeof functionConfigSchema>;

export const FUNCTION_CONFIG = Symbol.for('dispatch.function-config');

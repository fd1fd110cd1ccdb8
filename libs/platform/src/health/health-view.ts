import { z } from 'zod';
import { apiSchema } from '../api/api-schemas';

/** What /healthz answers while the process serves. */
export const livenessViewSchema = apiSchema('Liveness', z.object({ status: z.literal('ok') }), { status: 'ok' });

/** What /readyz answers when every dependency answers (ReadinessReport); otherwise 503 with the failing checks in details. */
export const readinessViewSchema = apiSchema(
  'Readiness',
  z.object({
    ready: z.boolean(),
    checks: z.record(z.string(), z.string()).meta({ description: 'Each dependency checked (store, bus, …) and "ok".' }),
  }),
  { ready: true, checks: { store: 'ok', bus: 'ok' } },
);

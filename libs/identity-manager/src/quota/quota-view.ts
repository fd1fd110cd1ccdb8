import { z } from 'zod';
import { apiSchema } from '@dispatch/platform';

const limits = z.object({ maxFunctions: z.number().int(), maxConcurrentRuns: z.number().int(), maxEventsPerSecond: z.number().int() });
const LIMITS_EXAMPLE = { maxFunctions: 100, maxConcurrentRuns: 50, maxEventsPerSecond: 100 };

/** An org's limits. */
export const quotasViewSchema = apiSchema('Quotas', z.object({ org: z.string(), limits }), { org: 'default', limits: LIMITS_EXAMPLE });

/** An org's limits beside what it used since a day. */
export const usageViewSchema = apiSchema(
  'Usage',
  z.object({
    org: z.string(),
    limits,
    usage: z.object({
      org: z.string(),
      since: z.string().meta({ description: 'The UTC day counted from (YYYY-MM-DD).' }),
      runs: z.number().int(),
      gbSeconds: z.number().meta({ description: 'Duration × memory limit of the runs, in GB-seconds.' }),
      concurrentRuns: z.number().int().meta({ description: 'Runs in progress now.' }),
    }),
  }),
  {
    org: 'default',
    limits: LIMITS_EXAMPLE,
    usage: { org: 'default', since: '2026-12-01', runs: 1200, gbSeconds: 42.5, concurrentRuns: 2 },
  },
);

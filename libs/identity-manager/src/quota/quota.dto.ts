import { z } from 'zod';

const limit = z.number().int().min(0).max(1_000_000);
export const quotasBody = z
  .object({ maxFunctions: limit, maxConcurrentRuns: limit, maxEventsPerSecond: limit })
  .partial()
  .strict()
  .refine((q) => Object.keys(q).length > 0, 'give at least one of maxFunctions, maxConcurrentRuns, maxEventsPerSecond');

export const usageQuery = z.object({ since: z.iso.date('since: a UTC day, e.g. 2026-11-01').optional() });

import { z } from 'zod';
import { entityChangedEventSchema } from '../entity-changed';
import type { SubjectName } from '../subjects';

export const runRequestedEventSchema = z.object({ runId: z.string(), org: z.string(), functionName: z.string() });
export type RunRequestedEvent = z.infer<typeof runRequestedEventSchema>;

/** Runs of an org since a day, their cost (duration × memory limit) and the runs in progress now. */
export interface FunctionUsage {
  org: string;
  since: string;
  runs: number;
  gbSeconds: number;
  concurrentRuns: number;
}

/** What function-manager publishes and serves on the bus. */
export const functionSubjects = {
  'function.function.changed.v1': entityChangedEventSchema,
  'function.run.requested.v1': runRequestedEventSchema,
  /** An org's function usage since a UTC day (YYYY-MM-DD), for identity-manager's usage report. */
  'function.usage.get.v1': z.object({ org: z.string(), since: z.string() }),
  /** For api-manager: whether `org` has a function of this name (an API must name one that exists). */
  'function.function.exists.v1': z.object({ org: z.string().min(1), name: z.string().min(1) }),
} satisfies Record<SubjectName<'function'>, z.ZodType>;

export interface FunctionReplies {
  'function.usage.get.v1': FunctionUsage;
  'function.function.exists.v1': { exists: boolean };
}

import { z } from 'zod';
import { RunErrorType, RunStatus } from '@dispatch/contracts';
import { apiSchema, timeSchema } from '@dispatch/platform';
import type { Run } from './run.entity';

/** A run as the API answers it (Dispatch's run shape, with typed errors and logs). */
export const runViewSchema = apiSchema(
  'Run',
  z.object({
    id: z.uuid(),
    org: z.string(),
    functionName: z.string(),
    functionVersion: z.number().int(),
    status: z.enum(Object.values(RunStatus) as [RunStatus, ...RunStatus[]]),
    blocking: z.boolean(),
    input: z.unknown().meta({ description: 'The payload the function was given (null when none).' }),
    output: z.unknown().meta({ description: 'What the function answered; null until it has.' }),
    error: z
      .object({
        type: z.enum(Object.values(RunErrorType) as [RunErrorType, ...RunErrorType[]]),
        message: z.string(),
        stacktrace: z.array(z.string()).optional(),
      })
      .nullable(),
    logs: z.object({ stdout: z.array(z.string()), stderr: z.array(z.string()) }),
    secrets: z.array(z.string()).meta({ description: "Secrets the run asked for on top of the function's (names only)." }),
    trigger: z.object({
      kind: z.enum(['api', 'gateway', 'event']),
      id: z.string().optional().meta({ description: 'The request id, gateway request or event id that caused the run.' }),
      subject: z.string().optional(),
    }),
    createdTime: timeSchema,
    startedTime: timeSchema.nullable(),
    finishedTime: timeSchema.nullable(),
    durationMs: z.number().int().nullable(),
  }),
  {
    id: '0b9d7c5e-1f2a-4b3c-8d4e-5f6a7b8c9d0e',
    org: 'default',
    functionName: 'hello',
    functionVersion: 1,
    status: 'SUCCEEDED',
    blocking: true,
    input: { name: 'Ada' },
    output: { greeting: 'Hello, Ada' },
    error: null,
    logs: { stdout: ['greeting Ada'], stderr: [] },
    secrets: [],
    trigger: { kind: 'api', id: 'req-1' },
    createdTime: '2026-12-07T10:00:00.000Z',
    startedTime: '2026-12-07T10:00:00.001Z',
    finishedTime: '2026-12-07T10:00:00.004Z',
    durationMs: 3,
  },
);
export type RunView = z.output<typeof runViewSchema>;

export function runViewOf(run: Run): RunView {
  return {
    id: run.id,
    org: run.org,
    functionName: run.functionName,
    functionVersion: run.version,
    status: run.status,
    blocking: run.blocking,
    input: run.input,
    output: run.output,
    error: run.error,
    logs: run.logs ?? { stdout: [], stderr: [] },
    secrets: run.secrets,
    trigger: run.trigger,
    createdTime: run.createdTime.toISOString(),
    startedTime: run.startedTime?.toISOString() ?? null,
    finishedTime: run.finishedTime?.toISOString() ?? null,
    durationMs: run.startedTime && run.finishedTime ? run.finishedTime.getTime() - run.startedTime.getTime() : null,
  };
}

import type { FunctionLogs, RunError, RunStatus } from '@dispatch/contracts';
import type { Run, RunTrigger } from './run.entity';

/** A run as the API answers it (Dispatch's run shape, with typed errors and logs). */
export interface RunView {
  id: string;
  org: string;
  functionName: string;
  functionVersion: number;
  status: RunStatus;
  blocking: boolean;
  input: unknown;
  output: unknown;
  error: RunError | null;
  logs: FunctionLogs;
  secrets: string[];
  trigger: RunTrigger;
  createdTime: string;
  startedTime: string | null;
  finishedTime: string | null;
  durationMs: number | null;
}

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

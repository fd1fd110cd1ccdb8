import { type FunctionLogs, type FunctionReply, type RunError, RunErrorType, RunStatus } from '@dispatch/contracts';
import type { ProviderCallResult } from '../provider/function-provider';
import { storableJsonText } from './storable-json';

/** How a run ended: what the record keeps. */
export interface RunOutcome {
  status: RunStatus;
  output: unknown;
  error: RunError | null;
  logs: FunctionLogs;
}

const NO_LOGS: FunctionLogs = { stdout: [], stderr: [] };

export function failed(type: RunErrorType, message: string, logs: FunctionLogs = NO_LOGS, status: RunStatus = RunStatus.FAILED): RunOutcome {
  return { status, output: null, error: { type, message }, logs };
}

/**
 * What a provider's answer means for the run (DESIGN §7): the runtime's reply on 200, the
 * provider's own verdict (timeout, memory, crash) from its failure header, anything else a
 * SystemError. The output schema is checked by the caller.
 */
export function outcomeOfCall(result: ProviderCallResult, limits: { timeoutSeconds: number; memoryMb: number }): RunOutcome {
  switch (result.failure) {
    case 'timeout':
      return failed(RunErrorType.FunctionError, `the function ran longer than its timeout of ${limits.timeoutSeconds} s and was stopped`, NO_LOGS, RunStatus.TIMED_OUT);
    case 'memory':
      return failed(RunErrorType.FunctionError, `the function used more than its memory limit of ${limits.memoryMb} MB and was killed; raise memoryMb or use less`);
    case 'crash':
      return failed(RunErrorType.FunctionError, `the function's process exited during the run: ${snippet(result.body)}`);
    case 'unavailable':
      return failed(RunErrorType.SystemError, `the function provider could not start the function: ${snippet(result.body)}`);
  }
  if (result.status === 504) {
    return failed(RunErrorType.FunctionError, `the function ran longer than its timeout of ${limits.timeoutSeconds} s and was stopped`, NO_LOGS, RunStatus.TIMED_OUT);
  }
  if (result.status !== 200) return failed(RunErrorType.SystemError, `the function provider answered ${result.status}: ${snippet(result.body)}`);
  let reply: FunctionReply;
  try {
    reply = JSON.parse(storableJsonText(result.body.toString('utf8'))) as FunctionReply;
  } catch {
    return failed(RunErrorType.SystemError, `the function's runtime answered something that is not JSON: ${snippet(result.body)}`);
  }
  const logs = logsOf(reply?.context?.logs);
  const error = reply?.context?.error;
  if (error) {
    const type = Object.values(RunErrorType).includes(error.type) ? error.type : RunErrorType.FunctionError;
    return { status: RunStatus.FAILED, output: null, error: { type, message: String(error.message ?? ''), ...(error.stacktrace ? { stacktrace: error.stacktrace } : {}) }, logs };
  }
  return { status: RunStatus.SUCCEEDED, output: reply.payload ?? null, error: null, logs };
}

function logsOf(logs: Partial<FunctionLogs> | undefined): FunctionLogs {
  return { stdout: Array.isArray(logs?.stdout) ? logs.stdout : [], stderr: Array.isArray(logs?.stderr) ? logs.stderr : [] };
}

function snippet(body: Buffer): string {
  const text = body.subarray(0, 512).toString('utf8').trim();
  return text || '(no message)';
}

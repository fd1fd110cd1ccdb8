import { type FunctionLogs, type FunctionReply, type RunError, RunErrorType, RunStatus } from '@dispatch/contracts';
import type { CallAnswer } from '../provider/function-provider';

/** How a run ended: what the record keeps. */
export interface RunOutcome {
  status: RunStatus;
  output: unknown;
  error: RunError | null;
  logs: FunctionLogs;
}

const NO_LOGS: FunctionLogs = { stdout: [], stderr: [] };

export function failed(
  type: RunErrorType,
  message: string,
  logs: FunctionLogs = NO_LOGS,
  status: RunStatus = RunStatus.FAILED,
): RunOutcome {
  return { status, output: null, error: { type, message }, logs };
}

/** The limits a call ran under, which the messages of its failures name. */
export interface CallLimits {
  timeoutSeconds: number;
  memoryMb: number;
}

/**
 * What the answer to a call means for the run (DESIGN §7): the runtime's reply, or the provider's
 * verdict as a typed failure (the function's fault or the platform's). The output schema is
 * checked by the caller.
 */
export function outcomeOf(answer: CallAnswer, limits: CallLimits): RunOutcome {
  switch (answer.kind) {
    case 'replied':
      return outcomeOfReply(answer.reply as FunctionReply | null);
    case 'timeout':
      return failed(
        RunErrorType.FunctionError,
        `the function ran longer than its timeout of ${limits.timeoutSeconds} s and was stopped`,
        NO_LOGS,
        RunStatus.TIMED_OUT,
      );
    case 'memory':
      return failed(
        RunErrorType.FunctionError,
        `the function used more than its memory limit of ${limits.memoryMb} MB and was killed; raise memoryMb or use less`,
      );
    case 'crash':
      return failed(RunErrorType.FunctionError, `the function's process exited during the run: ${answer.detail}`);
    case 'unavailable':
      return failed(RunErrorType.SystemError, `the function provider could not start the function: ${answer.detail}`);
    case 'error':
      return failed(RunErrorType.SystemError, answer.detail);
  }
}

function outcomeOfReply(reply: FunctionReply | null): RunOutcome {
  // Kept a SystemError, as it always was: JSON null is no reply, and nothing of the function's is in it.
  if (reply === null)
    return failed(RunErrorType.SystemError, "the function provider failed: the function's runtime answered null instead of a reply");
  const logs = logsOf(reply?.context?.logs);
  const error = reply?.context?.error;
  if (error) {
    const type = Object.values(RunErrorType).includes(error.type) ? error.type : RunErrorType.FunctionError;
    return {
      status: RunStatus.FAILED,
      output: null,
      error: { type, message: String(error.message ?? ''), ...(error.stacktrace ? { stacktrace: error.stacktrace } : {}) },
      logs,
    };
  }
  return { status: RunStatus.SUCCEEDED, output: reply.payload ?? null, error: null, logs };
}

function logsOf(logs: Partial<FunctionLogs> | undefined): FunctionLogs {
  return { stdout: Array.isArray(logs?.stdout) ? logs.stdout : [], stderr: Array.isArray(logs?.stderr) ? logs.stderr : [] };
}

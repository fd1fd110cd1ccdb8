import path from 'node:path';
import { inspect } from 'node:util';
import type { FunctionEnvelope, RunError } from '@dispatch/contracts';
import { CallLogs, currentCall } from './call-logs';
import type { UserFunction } from './load-handler';

// Stack frames from here down are the shim's plumbing, not the user's code.
const SHIM_DIR = __dirname + path.sep;

/** Runs one call with its output captured and answers the FunctionReply, already as JSON. */
export async function invoke(fn: UserFunction, envelope: FunctionEnvelope): Promise<string> {
  const logs = new CallLogs();
  let payload: string;
  let error = 'null';
  try {
    payload = encodePayload(await currentCall.run(logs, () => call(fn, envelope, logs)));
  } catch (err) {
    payload = 'null';
    error = JSON.stringify(functionError(err));
  } finally {
    logs.open = false;
  }
  // Built by hand so the payload, already JSON, is not serialised a second time.
  return `{"context":{"logs":{"stdout":${JSON.stringify(logs.stdout.finish())},"stderr":${JSON.stringify(
    logs.stderr.finish(),
  )}},"error":${error}},"payload":${payload}}`;
}

function call(fn: UserFunction, envelope: FunctionEnvelope, logs: CallLogs): Promise<unknown> {
  return new Promise((resolve, reject) => {
    logs.fail = reject;
    // Not resolve(result): that would lock this promise to the user's, and a stray exception
    // could no longer fail a call whose promise never settles.
    Promise.resolve(fn(envelope.context, envelope.payload)).then(resolve, reject);
  });
}

/** A return value the reply cannot carry. */
export class NotSerialisableError extends Error {}

/** The return value as JSON; nothing (undefined) is null. */
export function encodePayload(value: unknown): string {
  if (value === undefined) return 'null';
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new NotSerialisableError(`the function's return value is not JSON-serialisable: ${(err as Error).message}`);
  }
  if (json === undefined) throw new NotSerialisableError(`the function returned a ${typeof value}, which is not JSON-serialisable`);
  return json;
}

/** What the run shows for a thrown value: its message and the user's part of its stack. */
export function functionError(err: unknown, shimDir = SHIM_DIR): RunError {
  if (err instanceof NotSerialisableError) return { type: 'FunctionError', message: err.message, stacktrace: [] };
  if (!(err instanceof Error)) {
    const message = typeof err === 'string' ? err : inspect(err, { depth: 2, breakLength: Infinity });
    return { type: 'FunctionError', message, stacktrace: [] };
  }
  const lines = typeof err.stack === 'string' ? err.stack.split('\n') : [];
  const cut = lines.findIndex((line) => line.includes(shimDir));
  return { type: 'FunctionError', message: err.message || err.name, stacktrace: cut === -1 ? lines : lines.slice(0, cut) };
}

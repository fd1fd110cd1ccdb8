import { ErrorCode, RunErrorType, RunStatus } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { RunView } from '../run/run-view';

/** What the gateway's caller gets back from a run that answered. */
export interface InvokeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers the function may not set: the server frames the answer itself. */
const FRAMING_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'trailer', 'te']);

const SHAPE_KEYS = new Set(['statusCode', 'headers', 'body', 'isBase64Encoded']);

interface HttpShape {
  statusCode: number;
  headers?: Record<string, unknown>;
  body?: unknown;
  isBase64Encoded?: boolean;
}

/** An output is an HTTP answer when it is `{statusCode, headers?, body?, isBase64Encoded?}` and nothing else. */
function isHttpShape(output: unknown): output is HttpShape {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return false;
  const o = output as Record<string, unknown>;
  if (!Number.isInteger(o.statusCode) || (o.statusCode as number) < 100 || (o.statusCode as number) > 599) return false;
  if (o.headers !== undefined && (typeof o.headers !== 'object' || o.headers === null || Array.isArray(o.headers))) return false;
  return Object.keys(o).every((k) => SHAPE_KEYS.has(k));
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * The answer to an invocation from a finished run: the function's own `{statusCode, headers,
 * body}` when it returned that shape (a string body as is, base64 decoded when it says so, any
 * other body as JSON), otherwise 200 with its output as JSON. A failed run throws the error the
 * caller gets (DESIGN §8): InputError 400, FunctionError 502, a timeout 504, SystemError 502.
 */
export function responseOf(run: RunView): InvokeResponse {
  if (run.status === RunStatus.SUCCEEDED) return outputResponse(run.output);
  throw runFailure(run);
}

function outputResponse(output: unknown): InvokeResponse {
  if (!isHttpShape(output)) return { statusCode: 200, headers: { ...JSON_HEADERS }, body: Buffer.from(JSON.stringify(output ?? null)) };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(output.headers ?? {})) {
    const key = name.toLowerCase();
    if (value === undefined || value === null || FRAMING_HEADERS.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  }
  const { body } = output;
  if (body === undefined || body === null) return { statusCode: output.statusCode, headers, body: Buffer.alloc(0) };
  if (typeof body === 'string') {
    if (output.isBase64Encoded) return { statusCode: output.statusCode, headers, body: Buffer.from(body, 'base64') };
    return { statusCode: output.statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: Buffer.from(body) };
  }
  return { statusCode: output.statusCode, headers: { ...JSON_HEADERS, ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

function runFailure(run: RunView): DispatchError {
  const details = { runId: run.id, ...(run.error ? { type: run.error.type } : {}) };
  const message = run.error?.message ?? `the run ended ${run.status}`;
  if (run.status === RunStatus.TIMED_OUT) return new DispatchError(ErrorCode.FUNCTION_TIMED_OUT, message, details);
  switch (run.error?.type) {
    case RunErrorType.InputError:
      return new DispatchError(ErrorCode.INPUT_REJECTED, message, details);
    case RunErrorType.FunctionError:
      return new DispatchError(ErrorCode.FUNCTION_FAILED, `the function failed: ${message}`, details);
    default:
      return new DispatchError(ErrorCode.PROVIDER_ERROR, `the platform could not run the function: ${message}`, details);
  }
}

import { CommanderError } from 'commander';
import { DispatchApiError, OidcError } from '@dispatch/sdk';
import { ConfigError } from './config';
import { UsageError } from './output';

/** The server a command was calling, for the message when it does not answer. */
export class ServerDownError extends Error {
  override readonly name = 'ServerDownError';
  constructor(
    readonly apiUrl: string,
    cause: unknown,
  ) {
    super(`no answer from ${apiUrl}`, { cause });
  }
}

/** A command that cannot run until someone logs in. */
export class NotLoggedInError extends Error {
  override readonly name = 'NotLoggedInError';
}

/** What a fetch failed with when nothing answers: a refused, reset or unreachable connection, an unknown host. */
const NO_ANSWER = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/**
 * True when a fetch failed because the server is not there. A server that took too long to answer
 * (undici's headers or body timeout) is there, and is not reported as down.
 */
export function isConnectionFailure(e: unknown): boolean {
  // By name: the fetch's TypeError may come from another realm (a vm context, jest).
  const error = e as { name?: unknown; message?: unknown } | null;
  if (typeof error !== 'object' || error?.name !== 'TypeError' || !/fetch failed/i.test(String(error.message))) return false;
  const cause = (e as { cause?: unknown }).cause as { code?: string; cause?: { code?: string } } | undefined;
  const code = cause?.code ?? cause?.cause?.code;
  // Without a code (an older Node), "fetch failed" is most often a refused connection.
  return code === undefined || NO_ANSWER.has(code);
}

/** What to print on stderr for an error and the exit code: 2 for usage mistakes, 1 otherwise. */
export function describeError(e: unknown): { message: string; exitCode: number } {
  if (e instanceof UsageError) return { message: `error: ${e.message}`, exitCode: 2 };
  if (e instanceof ServerDownError)
    return {
      message:
        `error: the Dispatch server at ${e.apiUrl} does not answer.\n` +
        `Start solo mode with \`npm start\` from the Dispatch repository (or run the \`dispatch\` solo server), ` +
        `or log in to another server: dispatch login --server URL`,
      exitCode: 1,
    };
  if (e instanceof DispatchApiError) {
    const id = e.requestId ? ` (requestId ${e.requestId})` : '';
    if (e.status === 401)
      return { message: `error: ${e.code}: ${e.message}${id}\nYour credentials were refused: log in again: dispatch login`, exitCode: 1 };
    return { message: `error: ${e.code}: ${e.message}${id}`, exitCode: 1 };
  }
  if (e instanceof OidcError)
    return {
      message: `error: the identity provider: ${e.message} (${e.code})\nLog in again: dispatch login (--issuer URL --audience AUD)`,
      exitCode: 1,
    };
  if (e instanceof NotLoggedInError || e instanceof ConfigError) return { message: `error: ${e.message}`, exitCode: 1 };
  if (e instanceof CommanderError) return { message: '', exitCode: e.exitCode === 0 ? 0 : 2 };
  return { message: `error: ${e instanceof Error ? e.message : String(e)}`, exitCode: 1 };
}

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

/** True when a fetch failed before any answer (refused, reset, unknown host, timeout). */
export function isConnectionFailure(e: unknown): boolean {
  return e instanceof TypeError && /fetch failed/i.test(e.message);
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

import { errors as jose } from 'jose';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../../errors/dispatch-error';

export function unauthenticated(message: string): DispatchError {
  return new DispatchError(ErrorCode.UNAUTHENTICATED, message);
}

/** The signing keys (or discovery document) of an issuer could not be fetched: our problem, not the token's. */
export class KeysUnavailableError extends Error {
  constructor(
    readonly source: string,
    cause: unknown,
  ) {
    super(`could not fetch ${source}: ${reasonOf(cause)}`, { cause });
    this.name = 'KeysUnavailableError';
  }
}

export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch() hides the socket error (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

/** A claim value from an unverified or refused token, quoted and cut short: it may be anything. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function timeOf(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : quoted(seconds);
}

export interface RefusalContext {
  /** Whose keys sign such tokens: "<issuer URL>", "service account acme/ci". */
  signer: string;
  /** What the client should do, e.g. "get a new token from <issuer>". */
  renew: string;
  /** The audience the token had to carry, if one was required. */
  audience?: string;
}

/** Turns a jose verification failure into a 401 that says what is wrong and what to do. */
export function refusalOf(err: unknown, context: RefusalContext): Error {
  if (err instanceof DispatchError) return err;
  if (err instanceof KeysUnavailableError) {
    return new DispatchError(ErrorCode.SERVICE_UNAVAILABLE, `${err.message}; the token cannot be checked now, retry later`);
  }
  const from = context.renew;
  if (err instanceof jose.JWTExpired) {
    const { payload } = err;
    if (err.claim === 'iat') return unauthenticated(`token was issued at ${timeOf(payload.iat)}, too long ago; ${from}`);
    return unauthenticated(`token expired at ${timeOf(payload.exp)}; ${from}`);
  }
  if (err instanceof jose.JWTClaimValidationFailed) {
    const { payload } = err;
    if (err.reason === 'missing') return unauthenticated(`token has no "${err.claim}" claim; ${from}`);
    switch (err.claim) {
      case 'aud':
        return unauthenticated(
          `token audience ${quoted(payload.aud)} is not ${quoted(context.audience)}; request a token for ${quoted(context.audience)}`,
        );
      case 'iss':
        return unauthenticated(`token issuer ${quoted(payload.iss)} is not ${context.signer}; ${from}`);
      case 'nbf':
        return unauthenticated(`token is not valid before ${timeOf(payload.nbf)}; check the clock of whoever signed it`);
      case 'iat':
        return unauthenticated(`token claims to be issued in the future (${timeOf(payload.iat)}); check the clock of whoever signed it`);
      default:
        return unauthenticated(`token claim "${err.claim}" is invalid (${err.message}); ${from}`);
    }
  }
  if (err instanceof jose.JWSSignatureVerificationFailed) {
    return unauthenticated(`token signature does not verify with the keys of ${context.signer}; ${from}`);
  }
  if (err instanceof jose.JWKSNoMatchingKey) {
    return unauthenticated(`token is signed with a key ${context.signer} does not publish; ${from}`);
  }
  if (err instanceof jose.JOSEAlgNotAllowed) return unauthenticated(`token is signed with an algorithm that is not accepted; ${from}`);
  if (err instanceof jose.JOSEError) return unauthenticated(`token is not a valid signed JWT (${err.message}); ${from}`);
  return err instanceof Error ? err : new Error(String(err));
}

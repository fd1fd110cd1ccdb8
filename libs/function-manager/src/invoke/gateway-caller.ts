import { timingSafeEqual, createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@dispatch/contracts';
import { AUTHENTICATOR, type Authenticator, bearerTokenOf, DispatchError } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { GATEWAY_AUTH_HEADER, GATEWAY_SECRET_HEADER } from './invoke-request';

/** How an API authenticates its callers, as the gateway's route config says. */
export type ApiAuth = 'public' | 'api-key' | 'idp-token';
const API_AUTHS: readonly ApiAuth[] = ['public', 'api-key', 'idp-token'];

type Headers = Record<string, string | string[] | undefined>;

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

function sameSecret(given: string, expected: string): boolean {
  // Hashes first, so the comparison takes as long whatever the lengths.
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/**
 * Who invoked, as far as function-manager can tell. Only the gateway may call the invoke route:
 * it proves itself with the shared secret (GATEWAY_SHARED_SECRET), and only then are its other
 * headers believed (the API's auth kind, Kong key-auth's consumer). For an idp-token API the
 * bearer token is verified here, by the platform's own verifier, and must belong to the path's
 * org: Kong OSS can check a JWT's signature but not its org claim.
 */
@Injectable()
export class GatewayCaller {
  constructor(
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  /** The verified subject of the caller (null for a public API), or throws 401/403. */
  async subjectOf(org: string, headers: Headers): Promise<string | null> {
    const expected = this.config.GATEWAY_SHARED_SECRET;
    const given = single(headers, GATEWAY_SECRET_HEADER);
    if (!expected) {
      throw new DispatchError(
        ErrorCode.UNAUTHENTICATED,
        'invocation is closed: function-manager has no GATEWAY_SHARED_SECRET; set the same secret on the gateway and function-manager',
      );
    }
    if (!given || !sameSecret(given, expected)) {
      throw new DispatchError(
        ErrorCode.UNAUTHENTICATED,
        `only the gateway may call /v1/invoke: send the request through the API gateway (it adds ${GATEWAY_SECRET_HEADER})`,
      );
    }
    const auth = (single(headers, GATEWAY_AUTH_HEADER) ?? 'public') as ApiAuth;
    if (!API_AUTHS.includes(auth)) {
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, `${GATEWAY_AUTH_HEADER} must be one of ${API_AUTHS.join(', ')}, not "${auth}"`);
    }
    if (auth === 'public') return null;
    if (auth === 'api-key') {
      // Kong's key-auth verified the key and named its consumer; the secret proves Kong said so.
      const consumer = single(headers, 'x-consumer-username') ?? single(headers, 'x-consumer-custom-id');
      if (!consumer) throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'this API needs an API key: send it in the apikey header');
      return consumer;
    }
    const token = bearerTokenOf(single(headers, 'authorization'));
    if (!token) throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'this API needs a token: send "Authorization: Bearer <token>"');
    if (token.startsWith('dsp_')) {
      throw new DispatchError(
        ErrorCode.UNAUTHENTICATED,
        'this API takes tokens of an identity provider or a service account, not an API key',
      );
    }
    const principal = await this.authenticator.authenticate(token);
    if (principal.org !== org) {
      throw new DispatchError(ErrorCode.FORBIDDEN, `the token is of org "${principal.org}"; this API serves org "${org}" only`);
    }
    return principal.subject;
  }
}

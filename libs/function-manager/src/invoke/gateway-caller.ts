import { timingSafeEqual, createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { API_AUTHENTICATIONS, type ApiAuthentication, ErrorCode, GATEWAY_AUTH_HEADER, GATEWAY_SECRET_HEADER } from '@dispatch/contracts';
import { AUTHENTICATOR, type Authenticator, bearerTokenOf, DispatchError } from '@dispatch/platform';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';

/** Where an api-key API's callers may put the key: Kong key-auth's default name, and the common one. */
const API_KEY_HEADERS = ['apikey', 'x-api-key'];

type Headers = Record<string, string | string[] | undefined>;

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? undefined : value;
}

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Who invoked, as far as function-manager can tell. Only the gateway may call the invoke route:
 * it proves itself with the shared secret (GATEWAY_SHARED_SECRET), and only then is its word on
 * the API's kind of authentication believed. The caller's credential is then verified here, by the
 * verifier every platform route uses (same issuers, keys, rotation and API-key revocations), and
 * must belong to the path's org: Kong OSS can check a JWT's signature but not its org claim, and
 * would need API keys in plaintext.
 */
@Injectable()
export class GatewayCaller {
  /** Hashes are compared, so the comparison takes as long whatever the lengths; the expected one is hashed once. */
  private readonly expectedHash: Buffer | undefined;

  constructor(
    @Inject(FUNCTION_CONFIG) config: FunctionConfig,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {
    this.expectedHash = config.GATEWAY_SHARED_SECRET ? sha256(config.GATEWAY_SHARED_SECRET) : undefined;
  }

  /** The verified subject of the caller (null for a public API), or throws 401/403. */
  async subjectOf(org: string, headers: Headers): Promise<string | null> {
    const expected = this.expectedHash;
    const given = single(headers, GATEWAY_SECRET_HEADER);
    if (!expected) {
      throw new DispatchError(
        ErrorCode.UNAUTHENTICATED,
        'invocation is closed: function-manager has no GATEWAY_SHARED_SECRET; set the same secret on the gateway and function-manager',
      );
    }
    if (!given || !timingSafeEqual(sha256(given), expected)) {
      throw new DispatchError(
        ErrorCode.UNAUTHENTICATED,
        `only the gateway may call /v1/invoke: send the request through the API gateway (it adds ${GATEWAY_SECRET_HEADER})`,
      );
    }
    const auth = (single(headers, GATEWAY_AUTH_HEADER) ?? 'public') as ApiAuthentication;
    if (!API_AUTHENTICATIONS.includes(auth)) {
      throw new DispatchError(
        ErrorCode.VALIDATION_FAILED,
        `${GATEWAY_AUTH_HEADER} must be one of ${API_AUTHENTICATIONS.join(', ')}, not "${auth}"`,
      );
    }
    if (auth === 'public') return null;
    const principal = await this.authenticator.authenticate(auth === 'api-key' ? apiKeyOf(headers) : idpTokenOf(headers));
    if (principal.org !== org) {
      throw new DispatchError(ErrorCode.FORBIDDEN, `the credential is of org "${principal.org}"; this API serves org "${org}" only`);
    }
    return principal.subject;
  }
}

function apiKeyOf(headers: Headers): string {
  const bearer = bearerTokenOf(single(headers, 'authorization'));
  const key = API_KEY_HEADERS.map((name) => single(headers, name)).find(Boolean) ?? bearer;
  if (!key) {
    throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'this API needs an API key of its org: send it in the apikey header');
  }
  if (!key.startsWith('dsp_')) {
    throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'this API takes an API key of its org (dsp_…), created at /v1/iam/apikeys');
  }
  return key;
}

function idpTokenOf(headers: Headers): string {
  const token = bearerTokenOf(single(headers, 'authorization'));
  if (!token) throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'this API needs a token: send "Authorization: Bearer <token>"');
  if (token.startsWith('dsp_')) {
    throw new DispatchError(
      ErrorCode.UNAUTHENTICATED,
      'this API takes tokens of an identity provider or a service account, not an API key',
    );
  }
  return token;
}

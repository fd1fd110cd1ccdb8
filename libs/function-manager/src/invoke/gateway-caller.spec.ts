import { ErrorCode, type Principal } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import { functionConfigSchema } from '../function-config';
import { GatewayCaller } from './gateway-caller';

const SECRET = 'a-secret-of-the-gateway';

/** The caller with a verifier that knows one token, of org `acme`. */
function callerWith(secret: string | undefined): GatewayCaller {
  const config = functionConfigSchema.parse({ GATEWAY_SHARED_SECRET: secret });
  return new GatewayCaller(config, {
    authenticate: async (credential: string): Promise<Principal> => {
      if (credential === 'good.jwt.token') return { org: 'acme', subject: 'ada', groups: [], kind: 'user' };
      if (credential === 'dsp_shop_0123') return { org: 'acme', subject: 'shop', groups: [], kind: 'apikey' };
      throw new DispatchError(ErrorCode.UNAUTHENTICATED, 'token does not verify');
    },
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return (err as DispatchError).code;
  }
}

describe('GatewayCaller', () => {
  const gateway = { 'x-dispatch-gateway-secret': SECRET };

  it('refuses everything without a configured secret, and any request without the right one', async () => {
    expect(await codeOf(callerWith(undefined).subjectOf('acme', gateway))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', {}))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { 'x-dispatch-gateway-secret': `${SECRET}x` }))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
    // Even a consumer header is not believed without the secret.
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { 'x-dispatch-auth': 'api-key', 'x-consumer-username': 'x' }))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
  });

  it('names no subject for a public API and the key for an api-key API, whose key must verify and be of the org', async () => {
    const keyed = { ...gateway, 'x-dispatch-auth': 'api-key' };
    expect(await callerWith(SECRET).subjectOf('acme', gateway)).toBeNull();
    expect(await callerWith(SECRET).subjectOf('acme', { ...keyed, apikey: 'dsp_shop_0123' })).toBe('shop');
    expect(await callerWith(SECRET).subjectOf('acme', { ...keyed, 'x-api-key': 'dsp_shop_0123' })).toBe('shop');
    expect(await callerWith(SECRET).subjectOf('acme', { ...keyed, authorization: 'Bearer dsp_shop_0123' })).toBe('shop');
    // What Kong's key-auth would have said is not a credential: only a key that verifies here is.
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { ...keyed, 'x-consumer-custom-id': 'shop' }))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { ...keyed, apikey: 'dsp_revoked_1' }))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { ...keyed, authorization: 'Bearer good.jwt.token' }))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
    expect(await codeOf(callerWith(SECRET).subjectOf('beta', { ...keyed, apikey: 'dsp_shop_0123' }))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { ...gateway, 'x-dispatch-auth': 'basic' }))).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
  });

  it("takes an idp-token API's token only when it verifies and is of the path's org", async () => {
    const idp = { ...gateway, 'x-dispatch-auth': 'idp-token' };
    expect(await callerWith(SECRET).subjectOf('acme', { ...idp, authorization: 'Bearer good.jwt.token' })).toBe('ada');
    expect(await codeOf(callerWith(SECRET).subjectOf('beta', { ...idp, authorization: 'Bearer good.jwt.token' }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { ...idp, authorization: 'Bearer bad.jwt.token' }))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', idp))).toBe(ErrorCode.UNAUTHENTICATED);
    expect(await codeOf(callerWith(SECRET).subjectOf('acme', { ...idp, authorization: 'Bearer dsp_abc_def' }))).toBe(
      ErrorCode.UNAUTHENTICATED,
    );
  });
});

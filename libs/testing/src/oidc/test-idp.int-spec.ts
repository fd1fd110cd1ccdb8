import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { startTestIdp, type TestIdp } from './test-idp';

describe('test IdP (oidc-provider in a child process)', () => {
  let idp: TestIdp;

  beforeAll(async () => {
    idp = await startTestIdp();
  });

  afterAll(() => idp?.stop());

  async function publishedKeys(): Promise<JSONWebKeySet> {
    return (await (await fetch(idp.jwksUri)).json()) as JSONWebKeySet;
  }

  it('serves a discovery document naming itself and its JWKS', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Record<string, unknown>;
    expect(document).toMatchObject({ issuer: idp.issuer, jwks_uri: idp.jwksUri });
    expect(document.grant_types_supported).toContain('client_credentials');
    expect(idp.issuer).toBe(`http://127.0.0.1:${idp.port}`);
  });

  it('issues RS256 JWT access tokens for a resource, carrying org and groups, signed by a published key', async () => {
    const token = await idp.issueToken({ subject: 'alice', org: 'acme', groups: ['dev', 'ops'] });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await publishedKeys()), {
      issuer: idp.issuer,
      audience: idp.audience,
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: idp.signingKeyIds()[0] });
    expect(payload).toMatchObject({ sub: 'alice', org: 'acme', groups: ['dev', 'ops'] });
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it.each(['ES256', 'EdDSA'] as const)('signs with %s when asked', async (alg) => {
    const token = await idp.issueToken({ org: 'acme', alg });
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(await publishedKeys()), { issuer: idp.issuer });
    expect(protectedHeader.alg).toBe(alg);
  });

  it('issues for another audience, with extra claims, and already-expired tokens with its own key', async () => {
    const token = await idp.issueToken({ audience: 'https://other.test/api', claims: { tenant: 'globex' }, expiresInSeconds: -120 });
    const keys = createLocalJWKSet(await publishedKeys());
    const now = Math.floor(Date.now() / 1000);
    const { payload } = await jwtVerify(token, keys, { currentDate: new Date((now - 130) * 1000) });
    expect(payload).toMatchObject({ aud: 'https://other.test/api', tenant: 'globex' });
    expect(payload.org).toBeUndefined();
    expect(Math.abs(payload.exp! - (now - 120))).toBeLessThanOrEqual(2);
  });

  it('forges look-alike tokens wrong in exactly one way', async () => {
    const keys = createLocalJWKSet(await publishedKeys());
    const [kid] = idp.signingKeyIds();

    const expired = await idp.forgeToken({ expired: true }, { org: 'acme' });
    await expect(jwtVerify(expired, keys, { issuer: idp.issuer, audience: idp.audience })).rejects.toThrow(/"exp" claim/);

    const evil = await idp.forgeToken({ issuer: 'https://evil.test' }, { org: 'acme' });
    await expect(jwtVerify(evil, keys, { audience: idp.audience })).resolves.toMatchObject({ payload: { iss: 'https://evil.test' } });

    const stranger = await idp.forgeToken({ signedBy: 'unknown-key' }, { org: 'acme' });
    expect(decodeProtectedHeader(stranger).kid).toBe(kid);
    await expect(jwtVerify(stranger, keys)).rejects.toThrow(/signature verification failed/);

    const none = await idp.forgeToken({ alg: 'none' }, { org: 'acme' });
    expect(decodeProtectedHeader(none)).toEqual({ alg: 'none', typ: 'at+jwt' });
    expect(none.endsWith('.')).toBe(true);

    const hmac = await idp.forgeToken({ alg: 'HS256' }, { org: 'acme' });
    expect(decodeProtectedHeader(hmac)).toMatchObject({ alg: 'HS256', kid });
  });

  it('rotates keys on the same port, publishing the new and the previous ones', async () => {
    const before = idp.signingKeyIds();
    const port = idp.port;
    await idp.rotateKeys();
    const after = idp.signingKeyIds();
    expect(idp.port).toBe(port);
    expect(after.some((kid) => before.includes(kid))).toBe(false);
    const published = (await publishedKeys()).keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([...after, ...before]));

    const token = await idp.issueToken({ org: 'acme' });
    expect(decodeProtectedHeader(token).kid).toBe(after[0]);
  });

  it('reports the output of a provider that died', async () => {
    const doomed = await startTestIdp();
    try {
      process.kill(doomed.pid!, 'SIGKILL');
      await expect(doomed.issueToken({ org: 'acme' })).rejects.toThrow(/exited unexpectedly \(SIGKILL\)/);
    } finally {
      await doomed.stop();
    }
  });

  it('runs the device authorization grant: a public client polls until the user approves, then gets a JWT for the resource', async () => {
    await idp.registerDeviceClient('dispatch-cli');
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const post = (url: string, form: Record<string, string>) =>
      fetch(url, { method: 'POST', body: new URLSearchParams(form) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, string>,
      }));
    const device = await post(discovery.device_authorization_endpoint, {
      client_id: 'dispatch-cli',
      scope: 'openid offline_access',
      resource: idp.audience,
    });
    expect(device.status).toBe(200);
    const poll = () =>
      post(discovery.token_endpoint, {
        client_id: 'dispatch-cli',
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: device.body.device_code,
        resource: idp.audience,
      });
    expect((await poll()).body.error).toBe('authorization_pending');

    await idp.approveDevice(device.body.verification_uri_complete, { subject: 'carol', org: 'acme', groups: ['dev'] });
    const granted = await poll();
    expect(granted.status).toBe(200);
    const { payload } = await jwtVerify(granted.body.access_token, createLocalJWKSet(await publishedKeys()), {
      issuer: idp.issuer,
      audience: idp.audience,
    });
    expect(payload).toMatchObject({ sub: 'carol', org: 'acme', groups: ['dev'], client_id: 'dispatch-cli' });
    expect(typeof granted.body.refresh_token).toBe('string');

    const refreshed = await post(discovery.token_endpoint, {
      client_id: 'dispatch-cli',
      grant_type: 'refresh_token',
      refresh_token: granted.body.refresh_token,
      resource: idp.audience,
    });
    expect(refreshed.status).toBe(200);
    const again = await jwtVerify(refreshed.body.access_token, createLocalJWKSet(await publishedKeys()), { audience: idp.audience });
    expect(again.payload).toMatchObject({ sub: 'carol', org: 'acme' });
    // A device code is good for one token; a second use revokes what it granted.
    expect((await poll()).body.error).toBe('invalid_grant');
  });
});

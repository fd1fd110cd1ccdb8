import { createRemoteJWKSet, jwtVerify } from 'jose';
import { freePort, startTestIdp, type TestIdp } from '@dispatch/testing';
import { deviceLogin, oidcTokenProvider, OidcError, type DevicePrompt, type OidcClient } from './oidc';

describe('OIDC device login and refresh against a real IdP', () => {
  let idp: TestIdp;
  let client: OidcClient;
  // The IdP's interval is 5 s; polling sooner is what slow_down is for, so the test's clock is fast.
  const fastSleep = () => new Promise<void>((r) => setTimeout(r, 50));

  beforeAll(async () => {
    idp = await startTestIdp();
    await idp.registerDeviceClient('dispatch-cli');
    client = { issuer: idp.issuer, clientId: 'dispatch-cli', audience: idp.audience };
  });
  afterAll(() => idp?.stop());

  const verify = (token: string) =>
    jwtVerify(token, createRemoteJWKSet(new URL(idp.jwksUri)), { issuer: idp.issuer, audience: idp.audience });

  it('gets tokens once the person approves the code it showed, and refreshes them when they are about to expire', async () => {
    let prompt: DevicePrompt | undefined;
    let approved: Promise<void> | undefined;
    const tokens = await deviceLogin(client, {
      sleep: fastSleep,
      onPrompt: (p) => {
        prompt = p;
        approved = idp.approveDevice(p.verificationUriComplete!, { subject: 'dana', org: 'acme', expiresInSeconds: 60 });
      },
    });
    await approved;
    expect(prompt).toMatchObject({ userCode: expect.stringMatching(/^\w{4}-\w{4}$/), verificationUri: `${idp.issuer}/device` });
    expect((await verify(tokens.accessToken)).payload).toMatchObject({ sub: 'dana', org: 'acme' });
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.expiresAt! - Date.now()).toBeGreaterThan(50_000);

    const refreshed: string[] = [];
    let clock = Date.now();
    const provider = oidcTokenProvider(client, tokens, { now: () => clock, onRefresh: (t) => void refreshed.push(t.accessToken) });
    expect(await provider()).toBe(tokens.accessToken);
    clock += 45_000; // 15 s left, inside the 30 s margin
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    expect(a).not.toBe(tokens.accessToken);
    expect(refreshed).toEqual([a]);
    expect((await verify(a)).payload).toMatchObject({ sub: 'dana', org: 'acme' });
  });

  it('says so when the IdP does not answer or the client is unknown', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    await expect(deviceLogin({ ...client, issuer: nobody }, { onPrompt: () => undefined })).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining(nobody),
    });
    const unknown = deviceLogin({ ...client, clientId: 'nobody' }, { onPrompt: () => undefined, sleep: fastSleep });
    await expect(unknown).rejects.toBeInstanceOf(OidcError);
    await expect(unknown).rejects.toMatchObject({ code: 'invalid_client' });
  });
});

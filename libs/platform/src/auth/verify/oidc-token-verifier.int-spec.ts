import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader } from 'jose';
import { ErrorCode, type TrustedIssuer } from '@dispatch/contracts';
import { waitFor } from '@dispatch/testing';
import { startTestIdp, type TestIdp } from '@dispatch/testing';
import { DispatchError } from '../../errors/dispatch-error';
import { OidcTokenVerifier, type OidcTokenVerifierOptions } from './oidc-token-verifier';

function verifierTrusting(issuers: TrustedIssuer[], options: Partial<OidcTokenVerifierOptions> = {}): OidcTokenVerifier {
  return new OidcTokenVerifier({ issuers: () => issuers, ...options });
}

/** The verifier's refusal: a DispatchError with `code`, whose message never repeats the token. */
async function refusal(verifier: OidcTokenVerifier, token: string, code: ErrorCode = ErrorCode.UNAUTHENTICATED): Promise<string> {
  const err = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DispatchError);
  expect((err as DispatchError).code).toBe(code);
  const [, payload, signature] = token.split('.');
  expect((err as DispatchError).message).not.toContain(payload);
  if (signature) expect((err as DispatchError).message).not.toContain(signature);
  return (err as DispatchError).message;
}

describe('OidcTokenVerifier against a real IdP (oidc-provider)', () => {
  let idp: TestIdp;
  let verifier: OidcTokenVerifier;

  beforeAll(async () => {
    idp = await startTestIdp();
    // JWKS found through discovery, as a trusted issuer is normally configured.
    verifier = verifierTrusting([idp.trustedIssuer()]);
  });

  afterAll(() => idp?.stop());

  it('turns a valid token into a principal with its org and groups', async () => {
    const token = await idp.issueToken({ subject: 'alice', org: 'acme', groups: ['dev', 'ops'] });
    await expect(verifier.verify(token)).resolves.toEqual({
      org: 'acme',
      subject: 'alice',
      groups: ['dev', 'ops'],
      kind: 'user',
      issuer: idp.issuer,
    });
  });

  it.each(['ES256', 'EdDSA'] as const)('accepts %s tokens', async (alg) => {
    const token = await idp.issueToken({ subject: 'alice', org: 'acme', alg });
    expect(decodeProtectedHeader(token).alg).toBe(alg);
    await expect(verifier.verify(token)).resolves.toMatchObject({ org: 'acme', subject: 'alice' });
  });

  it('refuses a token expired beyond the 60 s skew allowance, and accepts one within it', async () => {
    const expired = await idp.issueToken({ org: 'acme', expiresInSeconds: -120 });
    expect(await refusal(verifier, expired)).toMatch(
      /^token expired at \d{4}-\d\d-\d\dT[\d:.]+Z; get a new token from http:\/\/127\.0\.0\.1:\d+$/,
    );
    const withinSkew = await idp.issueToken({ org: 'acme', expiresInSeconds: -30 });
    await expect(verifier.verify(withinSkew)).resolves.toMatchObject({ org: 'acme' });
  });

  it('refuses a token for another audience', async () => {
    const token = await idp.issueToken({ org: 'acme', audience: 'https://other.test/api' });
    expect(await refusal(verifier, token)).toMatch(
      /audience "https:\/\/other.test\/api" is not "https:\/\/dispatch.test\/api"; request a token for/,
    );
  });

  it('refuses a token of an issuer that is not trusted, without fetching anything', async () => {
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    try {
      const token = await idp.forgeToken({ issuer: 'https://evil.test' }, { org: 'acme' });
      expect(await refusal(verifier, token)).toBe(
        'issuer "https://evil.test" is not trusted; use a token from a trusted identity provider, or ask an admin to register this one',
      );
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('refuses alg none', async () => {
    const token = await idp.forgeToken({ alg: 'none' }, { org: 'acme' });
    expect(await refusal(verifier, token)).toMatch(/signed with "none"; only RS256, ES256, EdDSA are accepted/);
  });

  it('refuses HS256, keyed with the IdP public key (key confusion) or a guessed secret', async () => {
    for (const fault of [{ alg: 'HS256' as const }, { alg: 'HS256' as const, secret: 'secret' }]) {
      const token = await idp.forgeToken(fault, { org: 'acme' });
      expect(await refusal(verifier, token)).toMatch(/signed with "HS256"/);
    }
  });

  it('refuses a token signed by an unknown key, under the real kid or an unknown one', async () => {
    const sameKid = await idp.forgeToken({ signedBy: 'unknown-key' }, { org: 'acme' });
    expect(await refusal(verifier, sameKid)).toMatch(/signature does not verify with the keys of http:\/\/127\.0\.0\.1:\d+/);
    const otherKid = await idp.forgeToken(
      { signedBy: 'unknown-key', kid: 'Zm9yZ2VkLWtleS1pZC10aGF0LWxvb2tzLXJlYWwtMDAw' },
      { org: 'acme' },
    );
    expect(await refusal(verifierTrusting([idp.trustedIssuer()], { jwksCooldownMs: 0 }), otherKid)).toMatch(
      /signed with a key .* does not publish/,
    );
  });

  it('refuses a token without the org claim, naming the claim it expected', async () => {
    const token = await idp.issueToken({ groups: ['dev'] });
    expect(await refusal(verifier, token)).toMatch(/no "org" claim naming the org; configure .* to put the org in "org"/);
  });

  it('maps claims as the issuer is configured', async () => {
    const custom = verifierTrusting([idp.trustedIssuer({ claims: { org: 'tenant', subject: 'client_id', groups: 'roles' } })]);
    const token = await idp.issueToken({ subject: 'svc-ci', claims: { tenant: 'globex', roles: 'deployers, viewers' } });
    await expect(custom.verify(token)).resolves.toMatchObject({ org: 'globex', subject: 'svc-ci', groups: ['deployers', 'viewers'] });
  });

  it('lets a per-org issuer vouch for its org only', async () => {
    const acmeOnly = verifierTrusting([idp.trustedIssuer({ org: 'acme' })]);
    const other = await idp.issueToken({ org: 'globex' });
    expect(await refusal(acmeOnly, other)).toMatch(/trusted for org "acme" only, but the token's "org" claim names org "globex"/);
    await expect(acmeOnly.verify(await idp.issueToken({ org: 'acme' }))).resolves.toMatchObject({ org: 'acme' });
    await expect(acmeOnly.verify(await idp.issueToken({}))).resolves.toMatchObject({ org: 'acme' });
  });

  describe('discovery', () => {
    let impostor: Server;
    let impostorIssuer: string;

    beforeAll(async () => {
      // A host whose discovery document claims the real IdP's identity and keys: were the issuer
      // in the document not checked, it could vouch for tokens the real IdP signed for itself.
      impostor = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ issuer: idp.issuer, jwks_uri: idp.jwksUri }));
      });
      await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
      impostorIssuer = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
    });

    afterAll(() => new Promise((resolve) => impostor.close(resolve)));

    it('refuses a discovery document that names another issuer', async () => {
      const token = await idp.forgeToken({ issuer: impostorIssuer }, { org: 'acme' });
      const trusting = verifierTrusting([idp.trustedIssuer({ issuer: impostorIssuer })]);
      expect(await refusal(trusting, token)).toMatch(
        /discovery document of http:\/\/127\.0\.0\.1:\d+ names issuer "http:\/\/127\.0\.0\.1:\d+"; a trusted issuer must be configured with the exact issuer/,
      );
      // Control: the same token passes when the JWKS is configured directly, so discovery is what refused it.
      const pinned = verifierTrusting([idp.trustedIssuer({ issuer: impostorIssuer, jwksUri: idp.jwksUri })]);
      await expect(pinned.verify(token)).resolves.toMatchObject({ issuer: impostorIssuer });
    });
  });

  // Restarts the shared IdP with new keys: keep after the tests above.
  it('picks up a rotated key without being recreated, and still accepts tokens of the previous key', async () => {
    const rotating = verifierTrusting([idp.trustedIssuer()], { jwksCooldownMs: 1_000 });
    const oldToken = await idp.issueToken({ subject: 'alice', org: 'acme' });
    await expect(rotating.verify(oldToken)).resolves.toMatchObject({ subject: 'alice' });

    await idp.rotateKeys();
    const newToken = await idp.issueToken({ subject: 'alice', org: 'acme' });
    expect(decodeProtectedHeader(newToken).kid).not.toBe(decodeProtectedHeader(oldToken).kid);

    // The unknown kid triggers a JWKS refetch once the cooldown since the warm-up fetch has passed.
    const principal = await waitFor(() => rotating.verify(newToken), {
      timeoutMs: 5_000,
      intervalMs: 100,
      what: 'the rotated key to verify',
    });
    expect(principal).toMatchObject({ org: 'acme', subject: 'alice' });
    await expect(rotating.verify(oldToken)).resolves.toMatchObject({ subject: 'alice' });
  });
});

describe('OidcTokenVerifier once warm', () => {
  it('verifies without any network call, even with the IdP gone', async () => {
    const idp = await startTestIdp();
    let fetchSpy: jest.SpyInstance | undefined;
    try {
      const verifier = verifierTrusting([idp.trustedIssuer()]);
      await verifier.verify(await idp.issueToken({ org: 'acme' })); // discovery + JWKS, once
      const tokens = await Promise.all([idp.issueToken({ org: 'acme' }), idp.issueToken({ org: 'acme', alg: 'ES256' })]);
      await idp.stop();

      fetchSpy = jest.spyOn(globalThis, 'fetch');
      for (let i = 0; i < 20; i += 1) {
        await expect(verifier.verify(tokens[i % 2])).resolves.toMatchObject({ org: 'acme' });
      }
      expect(fetchSpy).not.toHaveBeenCalled();

      // Control: a cold verifier needs the IdP, and says the keys are unavailable (503), not that the token is bad.
      expect(
        await refusal(verifierTrusting([idp.trustedIssuer()], { fetchTimeoutMs: 2_000 }), tokens[0], ErrorCode.SERVICE_UNAVAILABLE),
      ).toMatch(/could not fetch the discovery document of http:\/\/127\.0\.0\.1:\d+.*retry later/);
    } finally {
      fetchSpy?.mockRestore();
      await idp.stop();
    }
  });
});

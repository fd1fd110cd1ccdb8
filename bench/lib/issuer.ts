import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { DEFAULT_CLAIM_MAPPING, type TrustedIssuer } from '@dispatch/contracts';
import { generateSigningKey } from '@dispatch/testing';

/** An identity provider the services trust, as far as the benchmarks need one. */
export interface BenchIssuer {
  /** What the services are configured with (DISPATCH_TRUSTED_ISSUERS). */
  trusted: TrustedIssuer;
  /** An RS256 access token for `subject` in `org`, as an IdP's client_credentials grant gives. */
  issueToken(subject: string, org: string, expiresInSeconds: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The least an IdP must be for the services to verify its tokens as they verify any: its JWKS on
 * loopback (the services fetch it once, then verify locally) and tokens signed with its key,
 * shaped as the test IdP's. The test IdP (startTestIdp) cannot run from dist/, where its
 * oidc-provider script is not built, and a call's cost does not depend on how the token was issued.
 */
export async function startBenchIssuer(): Promise<BenchIssuer> {
  const key = await generateSigningKey('RS256');
  const jwks = JSON.stringify({ keys: [{ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' }] });
  const server = createServer((req, res) => {
    if (req.url !== '/jwks') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = 'https://dispatch.bench/api';
  return {
    trusted: { issuer, audience, jwksUri: `${issuer}/jwks`, claims: { ...DEFAULT_CLAIM_MAPPING } },
    issueToken: (subject, org, expiresInSeconds) =>
      new SignJWT({ org, client_id: subject })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
        .setIssuer(issuer)
        .setSubject(subject)
        .setAudience(audience)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
        .sign(key.privateKey),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

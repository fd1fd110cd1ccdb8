import type { IssueTokenOptions, TestIdp } from './oidc';

/**
 * The tenant probe suite: every capability registers its endpoints here, and each is
 * proved to refuse bad credentials, to hide other orgs' resources and to refuse writes to viewers.
 */
export interface ProbeEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/v1/iam/policies/readers`. */
  path: string;
  body?: unknown;
  /** A write: a viewer must get 403. */
  write?: boolean;
  /** Names a resource that exists in the OTHER org: the caller's org must get 404, never its data. */
  otherOrgResource?: boolean;
}

export interface ProbeCredentials {
  baseUrl: string;
  /** Signed by the trusted IdP but expired beyond the allowed skew. */
  expired: string;
  /** Well-formed, signed, from an issuer that is not trusted. */
  wrongIssuer: string;
  /** `alg: none`, unsigned. */
  algNone: string;
  /** Right issuer and claims, signed by a key the IdP never published. */
  unknownKey: string;
  /** A viewer of the caller's org. */
  viewer: string;
  /** An admin of the caller's org (probing the other org's resources). */
  admin: string;
}

const BAD_TOKENS = ['expired', 'wrongIssuer', 'algNone', 'unknownKey'] as const;

export interface ProbeCredentialsOptions extends Pick<ProbeCredentials, 'baseUrl' | 'viewer' | 'admin'> {
  /** Who the bad tokens claim to be: a real member of the probed org, so only the fault is wrong. */
  claims: IssueTokenOptions;
}

/** The credentials of describeTenantProbes: the suite's own tokens and the bad ones, forged by `idp`. */
export async function probeCredentials(idp: Pick<TestIdp, 'forgeToken'>, options: ProbeCredentialsOptions): Promise<ProbeCredentials> {
  const { claims, ...own } = options;
  return {
    ...own,
    expired: await idp.forgeToken({ expired: true }, claims),
    wrongIssuer: await idp.forgeToken({ issuer: 'https://evil.example' }, claims),
    algNone: await idp.forgeToken({ alg: 'none' }, claims),
    unknownKey: await idp.forgeToken({ signedBy: 'unknown-key' }, claims),
  };
}

async function call(base: string, e: ProbeEndpoint, token?: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (e.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${e.path}`, {
    method: e.method,
    headers,
    body: e.body === undefined ? undefined : JSON.stringify(e.body),
  });
  return { status: res.status, text: await res.text() };
}

export function describeTenantProbes(name: string, credentials: () => ProbeCredentials, endpoints: ProbeEndpoint[]): void {
  describe(`tenant probes: ${name}`, () => {
    for (const e of endpoints) {
      const label = `${e.method} ${e.path}`;
      it(`${label}: no token → 401`, async () => {
        const { status, text } = await call(credentials().baseUrl, e);
        expect(status).toBe(401);
        expect(JSON.parse(text)).toMatchObject({ code: 'UNAUTHENTICATED' });
      });
      for (const bad of BAD_TOKENS) {
        it(`${label}: ${bad} token → 401`, async () => {
          const c = credentials();
          const { status, text } = await call(c.baseUrl, e, c[bad]);
          expect(status).toBe(401);
          expect(JSON.parse(text)).toMatchObject({ code: 'UNAUTHENTICATED' });
        });
      }
      if (e.otherOrgResource) {
        it(`${label}: another org's token → 404, never the data`, async () => {
          const c = credentials();
          const { status, text } = await call(c.baseUrl, e, c.admin);
          expect(status).toBe(404);
          const body = JSON.parse(text) as { code: string; items?: unknown };
          expect(body.code).toMatch(/NOT_FOUND$/);
          expect(body.items).toBeUndefined();
        });
      }
      if (e.write) {
        it(`${label}: a viewer → 403`, async () => {
          const c = credentials();
          const { status, text } = await call(c.baseUrl, e, c.viewer);
          expect(status).toBe(403);
          expect(JSON.parse(text)).toMatchObject({ code: 'FORBIDDEN' });
        });
      }
    }
  });
}

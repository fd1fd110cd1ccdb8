import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { AUTHENTICATOR, type Authenticator } from '@dispatch/platform';
import { describeTenantProbes, startTestIdp, waitFor, type ProbeCredentials, type TestIdp } from '@dispatch/testing';
import { startIdentityTestApp, type IdentityTestApp } from './test-support/identity-test-app';

/**
 * identity-manager as a user meets it: tokens from a real OIDC provider, a real PostgreSQL, the
 * guard every service uses, and the authorization snapshot served over the bus.
 */
describe('identity-manager: organizations, roles and policies', () => {
  let t: IdentityTestApp;
  let base: string;
  let idp: TestIdp;
  let bus: IdentityTestApp['bus'];
  let pool: IdentityTestApp['pool'];
  let tokens: Record<string, string>;
  const probe = {} as ProbeCredentials;
  const api = (who: string, method: string, path: string, body?: unknown) => t.api(who, method, path, body);

  beforeAll(async () => {
    t = await startIdentityTestApp({ name: 'identity-test' });
    ({ base, idp, bus, pool, tokens } = t);
    Object.assign(probe, t.probe);
    const acmeBot = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect((await api('alice', 'POST', '/v1/iam/serviceaccounts', { name: 'acme-bot', publicKey: acmeBot })).status).toBe(201);
    expect((await api('alice', 'POST', '/v1/iam/apikeys', { name: 'acme-key', role: 'viewer' })).status).toBe(201);
  }, 60_000);

  afterAll(() => t?.close());

  it('lets a platform admin create organizations, and nobody else', async () => {
    const list = await api('root', 'GET', '/v1/iam/organizations');
    expect(list.body.items!.map((o) => o.name)).toEqual(['acme', 'beta', 'default']);
    expect(await api('alice', 'POST', '/v1/iam/organizations', { name: 'gamma' })).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await api('alice', 'GET', '/v1/iam/organizations/acme')).status).toBe(200);
    expect(await api('alice', 'GET', '/v1/iam/organizations/beta')).toMatchObject({
      status: 404,
      body: { code: 'ORGANIZATION_NOT_FOUND' },
    });
  });

  it('shows an org its own policies only, and answers another org with 404', async () => {
    const acme = await api('alice', 'GET', '/v1/iam/policies');
    expect(acme.body.items!.map((p) => p.name)).toEqual(['devs', 'org-admins', 'readers']);
    const beta = await api('bob', 'GET', '/v1/iam/policies');
    expect(beta.body.items!.map((p) => p.name)).toEqual(['org-admins']);
    expect(await api('bob', 'GET', '/v1/iam/policies/readers')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('grants through groups: a viewer reads policies but cannot write them', async () => {
    expect((await api('carol', 'GET', '/v1/iam/policies')).status).toBe(200);
    expect(
      await api('carol', 'POST', '/v1/iam/roles', { name: 'x', rules: [{ resources: ['function'], actions: ['get'] }] }),
    ).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
  });

  it('applies a new binding to the next request, with no restart', async () => {
    expect(
      (await api('carol', 'POST', '/v1/iam/roles', { name: 'ops', rules: [{ resources: ['function'], actions: ['*'] }] })).status,
    ).toBe(403);
    await api('alice', 'POST', '/v1/iam/policies', {
      name: 'auditor-admins',
      role: 'admin',
      subjects: [{ kind: 'group', name: 'auditors' }],
    });
    expect(
      (await api('carol', 'POST', '/v1/iam/roles', { name: 'ops', rules: [{ resources: ['function'], actions: ['*'] }] })).status,
    ).toBe(201);
    await api('alice', 'DELETE', '/v1/iam/policies/auditor-admins');
    expect((await api('carol', 'DELETE', '/v1/iam/roles/ops')).status).toBe(403);
    expect((await api('alice', 'DELETE', '/v1/iam/roles/ops')).status).toBe(204);
  });

  it('refuses bad input with stable codes and stores nothing', async () => {
    const before = (await api('alice', 'GET', '/v1/iam/policies')).body.items!.length;
    expect(
      await api('alice', 'POST', '/v1/iam/policies', { name: 'p1', role: 'wizard', subjects: [{ kind: 'user', name: 'x' }] }),
    ).toMatchObject({
      status: 400,
      body: { code: 'ROLE_NOT_FOUND' },
    });
    expect(
      await api('alice', 'POST', '/v1/iam/policies', { name: 'readers', role: 'viewer', subjects: [{ kind: 'user', name: 'x' }] }),
    ).toMatchObject({
      status: 409,
      body: { code: 'NAME_CONFLICT' },
    });
    const badName = await api('alice', 'POST', '/v1/iam/policies', { name: 'Not_A_Name', role: 'viewer', subjects: [] });
    expect(badName).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(JSON.stringify(badName.body)).toContain('name');
    expect(JSON.stringify(badName.body)).toContain('subjects');
    expect(await api('alice', 'POST', '/v1/iam/roles', { name: 'admin', rules: [{ resources: ['*'], actions: ['*'] }] })).toMatchObject({
      status: 400,
      body: { code: 'BUILTIN_ROLE' },
    });
    expect((await api('alice', 'GET', '/v1/iam/policies')).body.items!.length).toBe(before);
  });

  it('pages lists with pageSize and pageToken', async () => {
    for (const name of ['r-a', 'r-b', 'r-c']) {
      expect((await api('alice', 'POST', '/v1/iam/roles', { name, rules: [{ resources: ['run'], actions: ['get'] }] })).status).toBe(201);
    }
    const first = await api('alice', 'GET', '/v1/iam/roles?pageSize=2');
    expect(first.body.items!.map((r) => r.name)).toEqual(['r-a', 'r-b']);
    const second = await api('alice', 'GET', `/v1/iam/roles?pageSize=2&pageToken=${String(first.body['nextPageToken'])}`);
    expect(second.body.items!.map((r) => r.name)).toEqual(['r-c']);
    expect(second.body['nextPageToken']).toBeUndefined();
  });

  it('accepts tokens signed with a rotated IdP key without a restart', async () => {
    await idp.rotateKeys();
    tokens['alice'] = await idp.issueToken({ subject: 'alice', org: 'acme' });
    // The key set is refetched on an unknown key id at most every 5 s (against floods of forged
    // kids), so the new key is accepted within that cooldown.
    await waitFor(async () => (await api('alice', 'GET', '/v1/iam/policies')).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 250,
      what: 'the rotated key to be accepted',
    });
  });

  it('audits every mutation, refused ones included, in the org that made it', async () => {
    expect((await api('carol', 'POST', '/v1/iam/roles', { name: 'sneaky', rules: [{ resources: ['*'], actions: ['*'] }] })).status).toBe(
      403,
    );
    type Row = { subject: string; org: string; resource: string; action: string; status: number; result: string };
    const rows = await waitFor(
      async () => {
        const r = await api('alice', 'GET', '/v1/iam/audit?subject=carol&result=FORBIDDEN&action=create');
        return (r.body.items?.length ?? 0) > 0 ? (r.body.items as unknown as Row[]) : false;
      },
      { what: "carol's refused write in acme's audit log" },
    );
    expect(rows[0]).toMatchObject({
      subject: 'carol',
      org: 'acme',
      resource: 'policy',
      action: 'create',
      status: 403,
      result: 'FORBIDDEN',
    });
    expect((await api('bob', 'GET', '/v1/iam/audit?subject=carol')).body.items).toEqual([]);
  });

  it('reports an org its quotas, which only a platform admin sets', async () => {
    expect(await api('alice', 'GET', '/v1/iam/quotas')).toMatchObject({
      status: 200,
      body: { org: 'acme', limits: { maxFunctions: 100 } },
    });
    expect((await api('alice', 'PUT', '/v1/iam/quotas/acme', { maxFunctions: 5000 })).status).toBe(403);
    expect(await api('root', 'PUT', '/v1/iam/quotas/acme', { maxFunctions: 7 })).toMatchObject({
      status: 200,
      body: { limits: { maxFunctions: 7, maxConcurrentRuns: 50 } },
    });
    expect(await api('root', 'PUT', '/v1/iam/quotas/acme', { maxFunctions: -1 })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await api('root', 'PUT', '/v1/iam/quotas/nowhere', { maxFunctions: 1 })).toMatchObject({
      status: 404,
      body: { code: 'ORGANIZATION_NOT_FOUND' },
    });
    expect((await api('alice', 'GET', '/v1/iam/quotas')).body).toMatchObject({ limits: { maxFunctions: 7 } });
    // the owning services read them over the bus to enforce them
    expect(await bus.request('identity.quota.get.v1', { org: 'acme' })).toMatchObject({ maxFunctions: 7 });
  });

  it('answers a gateway auth subrequest with who the caller is, or 401/403', async () => {
    const ok = await fetch(`${base}/v1/iam/auth`, { headers: { authorization: `Bearer ${tokens['carol']}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-dispatch-org')).toBe('acme');
    expect(ok.headers.get('x-dispatch-subject')).toBe('carol');
    const read = await fetch(`${base}/v1/iam/auth?resource=function&action=get`, {
      headers: { authorization: `Bearer ${tokens['carol']}` },
    });
    expect(read.status).toBe(200);
    const write = await fetch(`${base}/v1/iam/auth?resource=function&action=execute`, {
      headers: { authorization: `Bearer ${tokens['carol']}` },
    });
    expect(write.status).toBe(403);
    expect((await fetch(`${base}/v1/iam/auth`)).status).toBe(401);
    expect(
      (await fetch(`${base}/v1/iam/auth?resource=nope&action=get`, { headers: { authorization: `Bearer ${tokens['carol']}` } })).status,
    ).toBe(400);
  });

  describe('per-org identity providers', () => {
    let orgIdp: TestIdp;
    beforeAll(async () => {
      orgIdp = await startTestIdp();
    });
    afterAll(() => orgIdp?.stop());

    it("accepts an org's own IdP once registered, for that org only", async () => {
      const eve = await orgIdp.issueToken({ subject: 'eve', org: 'acme' });
      const asEve = (token: string) =>
        fetch(`${base}/v1/iam/policies`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
      expect(await asEve(eve)).toBe(401);
      const { issuer, audience } = orgIdp.trustedIssuer();
      expect((await api('alice', 'POST', '/v1/iam/issuers', { name: 'acme-sso', issuer, audience })).status).toBe(201);
      await api('alice', 'POST', '/v1/iam/policies', { name: 'eve-viewer', role: 'viewer', subjects: [{ kind: 'user', name: 'eve' }] });
      expect(await asEve(eve)).toBe(200);
      // A token of that IdP claiming another org is refused: it vouches for acme only.
      expect(await asEve(await orgIdp.issueToken({ subject: 'eve', org: 'beta' }))).toBe(401);
      expect((await api('bob', 'GET', '/v1/iam/issuers/acme-sso')).status).toBe(404);
      expect(await api('alice', 'POST', '/v1/iam/issuers', { name: 'bad', issuer: 'not a url', audience: 'x' })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
    });
  });

  describe('API keys', () => {
    const withKey = (key: string, path = '/v1/iam/policies', method = 'GET') =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

    it('shows a key once, and it acts with its role on /v1', async () => {
      const created = await api('alice', 'POST', '/v1/iam/apikeys', { name: 'reader-key', role: 'viewer', expiresInDays: 30 });
      expect(created.status).toBe(201);
      const key = created.body['key'] as string;
      expect(key).toMatch(/^dsp_[a-z2-7]{12}_/);
      expect(created.body['prefix']).toBe(key.slice(4, 16));
      const shown = await api('alice', 'GET', '/v1/iam/apikeys/reader-key');
      expect(shown.body['key']).toBeUndefined();
      expect(JSON.stringify((await api('alice', 'GET', '/v1/iam/apikeys')).body)).not.toContain(key);
      expect(await withKey(key)).toBe(200);
      expect(await withKey(key, '/v1/iam/policies/readers', 'DELETE')).toBe(403);
      const who = await fetch(`${base}/v1/iam/auth`, { headers: { authorization: `Bearer ${key}` } });
      expect(who.headers.get('x-dispatch-subject')).toBe('reader-key');
      expect(who.headers.get('x-dispatch-org')).toBe('acme');
    });

    it('stores only a hash of the key', async () => {
      const created = await api('alice', 'POST', '/v1/iam/apikeys', { name: 'hash-check', role: 'viewer' });
      const rows = await pool.query(`SELECT * FROM identity.api_key WHERE name = 'hash-check'`);
      expect(JSON.stringify(rows.rows)).not.toContain((created.body['key'] as string).slice(17));
    });

    it('reuses one principal for a key across requests, yet stops a revoked key at once; refuses a forged or unknown one', async () => {
      const key = (await api('alice', 'POST', '/v1/iam/apikeys', { name: 'short-lived', role: 'viewer' })).body['key'] as string;
      const authenticator = t.app.get<Authenticator>(AUTHENTICATOR, { strict: false });
      expect(await withKey(key)).toBe(200);
      const principal = await authenticator.authenticate(key);
      expect(await withKey(key)).toBe(200);
      expect(await authenticator.authenticate(key)).toBe(principal);
      expect((await api('alice', 'POST', '/v1/iam/apikeys/short-lived/revoke')).body['revokedTime']).toEqual(expect.any(String));
      expect(await withKey(key)).toBe(401);
      await expect(authenticator.authenticate(key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(await withKey(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBe(401);
      expect(await withKey('dsp_aaaaaaaaaaaa_' + 'x'.repeat(43))).toBe(401);
    });

    it('refuses an unknown role or a bad expiry, storing nothing', async () => {
      expect(await api('alice', 'POST', '/v1/iam/apikeys', { name: 'k2', role: 'wizard' })).toMatchObject({
        status: 400,
        body: { code: 'ROLE_NOT_FOUND' },
      });
      expect(await api('alice', 'POST', '/v1/iam/apikeys', { name: 'k3', role: 'viewer', expiresInDays: 9999 })).toMatchObject({
        status: 400,
        body: { code: 'VALIDATION_FAILED' },
      });
      expect((await api('alice', 'GET', '/v1/iam/apikeys/k2')).status).toBe(404);
    });
  });

  describe('service accounts', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const sign = (lifetimeSec: number, key: KeyObject = privateKey) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer('acme/ci')
        .setSubject('ci')
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSec)
        .sign(key);
    const asCi = async (token: string, method = 'GET', body?: unknown) =>
      (
        await fetch(`${base}/v1/iam/policies`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        })
      ).status;

    beforeAll(async () => {
      expect((await api('alice', 'POST', '/v1/iam/serviceaccounts', { name: 'ci', publicKey: pem })).status).toBe(201);
      const ciViewer = { name: 'ci-viewer', role: 'viewer', subjects: [{ kind: 'serviceaccount', name: 'ci' }] };
      expect((await api('alice', 'POST', '/v1/iam/policies', ciViewer)).status).toBe(201);
    });

    it('authenticates a token the account signed itself, with the role it was bound to', async () => {
      expect(await asCi(await sign(300))).toBe(200);
      expect(await asCi(await sign(300), 'POST', { name: 'x', role: 'viewer', subjects: [{ kind: 'user', name: 'y' }] })).toBe(403);
    });

    it('refuses a token living longer than an hour, and one signed by another key', async () => {
      expect(await asCi(await sign(2 * 3600))).toBe(401);
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      expect(await asCi(await sign(300, other))).toBe(401);
    });

    it('refuses a malformed or weak public key with INVALID_PUBLIC_KEY and stores nothing', async () => {
      const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
      for (const key of ['-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----', weak]) {
        expect(await api('alice', 'POST', '/v1/iam/serviceaccounts', { name: 'bad', publicKey: key })).toMatchObject({
          status: 400,
          body: { code: 'INVALID_PUBLIC_KEY' },
        });
      }
      expect((await api('alice', 'GET', '/v1/iam/serviceaccounts/bad')).status).toBe(404);
    });

    it('stops accepting the account once it is deleted', async () => {
      const token = await sign(300);
      expect((await api('alice', 'DELETE', '/v1/iam/serviceaccounts/ci')).status).toBe(204);
      expect(await asCi(token)).toBe(401);
    });
  });

  describe('a new org with a first service account', () => {
    const keys = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();
    const signAs = (org: string, account: string, key: KeyObject) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(`${org}/${account}`)
        .setSubject(account)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + 300)
        .sign(key);
    const asToken = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> & { items?: { name: string }[] } };
    };
    const revision = async () => Number((await pool.query('SELECT revision FROM identity.authz_revision WHERE id = 1')).rows[0].revision);
    const orgExists = async (name: string) => (await pool.query('SELECT 1 FROM identity.organization WHERE name = $1', [name])).rowCount;

    it('creates the org with a service account bound to its admin role in one request; the account signs in as its admin', async () => {
      const { publicKey, privateKey } = keys();
      const before = await revision();
      const created = await api('root', 'POST', '/v1/iam/organizations', {
        name: 'delta',
        admins: [{ kind: 'user', name: 'dora' }],
        admin: { serviceAccount: { name: 'delta-ci', publicKey: pemOf(publicKey) } },
      });
      expect(created).toMatchObject({ status: 201, body: { name: 'delta' } });
      // One change: one revision for the org, its account and its binding.
      expect(await revision()).toBe(before + 1);
      const token = await signAs('delta', 'delta-ci', privateKey);
      const policies = await asToken(token, 'GET', '/v1/iam/policies');
      expect(policies.status).toBe(200);
      expect(policies.body.items).toEqual([
        expect.objectContaining({
          name: 'org-admins',
          role: 'admin',
          subjects: [
            { kind: 'user', name: 'dora' },
            { kind: 'serviceaccount', name: 'delta-ci' },
          ],
        }),
      ]);
      // An admin of delta: it writes there, and registers more accounts of its own org.
      expect(
        (await asToken(token, 'POST', '/v1/iam/roles', { name: 'ops', rules: [{ resources: ['function'], actions: ['*'] }] })).status,
      ).toBe(201);
      expect(
        (await asToken(token, 'POST', '/v1/iam/serviceaccounts', { name: 'delta-ci-2', publicKey: pemOf(keys().publicKey) })).status,
      ).toBe(201);
      // Yet no more than that: another org is not its to write, nor are platform routes.
      expect(
        await asToken(token, 'POST', '/v1/iam/serviceaccounts', { name: 'x', publicKey: pemOf(keys().publicKey), org: 'acme' }),
      ).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
      expect((await asToken(token, 'POST', '/v1/iam/organizations', { name: 'epsilon' })).status).toBe(403);
      expect((await api('alice', 'GET', '/v1/iam/serviceaccounts/delta-ci')).status).toBe(404);
    });

    it('keeps an old body valid: an org without a service account has none', async () => {
      expect((await api('root', 'POST', '/v1/iam/organizations', { name: 'zeta' })).status).toBe(201);
      expect((await pool.query(`SELECT 1 FROM identity.service_account WHERE org = 'zeta'`)).rowCount).toBe(0);
    });

    it('refuses a bad service account with a stable code and leaves no org, account or revision behind', async () => {
      const before = await revision();
      const weak = pemOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
      expect(
        await api('root', 'POST', '/v1/iam/organizations', { name: 'eta', admin: { serviceAccount: { name: 'eta-ci', publicKey: weak } } }),
      ).toMatchObject({ status: 400, body: { code: 'INVALID_PUBLIC_KEY' } });
      for (const admin of [
        { serviceAccount: { name: 'Bad_Name', publicKey: pemOf(keys().publicKey) } },
        { serviceAccount: { name: 'eta-ci' } },
        { serviceAccount: { name: 'eta-ci', publicKey: pemOf(keys().publicKey), extra: 1 } },
        { user: 'x' },
      ]) {
        expect(await api('root', 'POST', '/v1/iam/organizations', { name: 'eta', admin })).toMatchObject({
          status: 400,
          body: { code: 'VALIDATION_FAILED' },
        });
      }
      expect(await orgExists('eta')).toBe(0);
      expect((await pool.query(`SELECT 1 FROM identity.service_account WHERE org = 'eta'`)).rowCount).toBe(0);
      expect(await revision()).toBe(before);
      // A taken org name refuses the whole request: no account is added to the existing org.
      expect(
        await api('root', 'POST', '/v1/iam/organizations', {
          name: 'acme',
          admin: { serviceAccount: { name: 'intruder', publicKey: pemOf(keys().publicKey) } },
        }),
      ).toMatchObject({ status: 409, body: { code: 'NAME_CONFLICT' } });
      expect((await api('alice', 'GET', '/v1/iam/serviceaccounts/intruder')).status).toBe(404);
    });

    it('lets a platform admin register a service account in any existing org, and nobody else', async () => {
      const { publicKey, privateKey } = keys();
      expect(
        await api('root', 'POST', '/v1/iam/serviceaccounts', { name: 'beta-ops', publicKey: pemOf(publicKey), org: 'beta' }),
      ).toMatchObject({ status: 201, body: { name: 'beta-ops' } });
      expect((await api('bob', 'GET', '/v1/iam/serviceaccounts/beta-ops')).status).toBe(200);
      expect((await api('root', 'GET', '/v1/iam/serviceaccounts/beta-ops')).status).toBe(404);
      // Bound by beta's admin, it acts in beta.
      const binding = { name: 'ops', role: 'viewer', subjects: [{ kind: 'serviceaccount', name: 'beta-ops' }] };
      expect((await api('bob', 'POST', '/v1/iam/policies', binding)).status).toBe(201);
      expect((await asToken(await signAs('beta', 'beta-ops', privateKey), 'GET', '/v1/iam/policies')).status).toBe(200);

      expect(
        await api('root', 'POST', '/v1/iam/serviceaccounts', { name: 'x', publicKey: pemOf(publicKey), org: 'no-such-org' }),
      ).toMatchObject({ status: 404, body: { code: 'ORGANIZATION_NOT_FOUND' } });
      expect(await api('alice', 'POST', '/v1/iam/serviceaccounts', { name: 'x', publicKey: pemOf(publicKey), org: 'beta' })).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
      // Naming its own org is the default, for anyone.
      expect(
        (await api('alice', 'POST', '/v1/iam/serviceaccounts', { name: 'own', publicKey: pemOf(publicKey), org: 'acme' })).status,
      ).toBe(201);
      expect((await pool.query(`SELECT 1 FROM identity.service_account WHERE name = 'x'`)).rowCount).toBe(0);
    });
  });

  describeTenantProbes('identity', () => probe, [
    { method: 'GET', path: '/v1/iam/issuers' },
    { method: 'POST', path: '/v1/iam/issuers', body: { name: 'i', issuer: 'https://idp.example', audience: 'a' }, write: true },
    { method: 'GET', path: '/v1/iam/apikeys' },
    { method: 'POST', path: '/v1/iam/apikeys', body: { name: 'probe-key', role: 'viewer' }, write: true },
    { method: 'POST', path: '/v1/iam/apikeys/acme-key/revoke', write: true, otherOrgResource: true },
    { method: 'GET', path: '/v1/iam/quotas' },
    { method: 'PUT', path: '/v1/iam/quotas/acme', body: { maxFunctions: 1 }, write: true },
    { method: 'GET', path: '/v1/iam/auth' },
    { method: 'GET', path: '/v1/iam/serviceaccounts' },
    { method: 'GET', path: '/v1/iam/serviceaccounts/acme-bot', otherOrgResource: true },
    { method: 'POST', path: '/v1/iam/serviceaccounts', body: { name: 'sa', publicKey: 'x' }, write: true },
    { method: 'GET', path: '/v1/iam/organizations' },
    { method: 'POST', path: '/v1/iam/organizations', body: { name: 'probe-org' }, write: true },
    { method: 'GET', path: '/v1/iam/policies' },
    { method: 'GET', path: '/v1/iam/policies/readers', otherOrgResource: true },
    { method: 'POST', path: '/v1/iam/policies', body: { name: 'p', role: 'viewer', subjects: [{ kind: 'user', name: 'u' }] }, write: true },
    {
      method: 'PUT',
      path: '/v1/iam/policies/readers',
      body: { role: 'admin', subjects: [{ kind: 'user', name: 'u' }] },
      write: true,
      otherOrgResource: true,
    },
    { method: 'DELETE', path: '/v1/iam/policies/readers', write: true, otherOrgResource: true },
    { method: 'GET', path: '/v1/iam/roles' },
    { method: 'POST', path: '/v1/iam/roles', body: { name: 'r', rules: [{ resources: ['run'], actions: ['get'] }] }, write: true },
  ]);
});

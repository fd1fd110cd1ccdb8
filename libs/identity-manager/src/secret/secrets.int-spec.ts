import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { InProcessBus } from '@dispatch/bus';
import { createLogger } from '@dispatch/platform';
import { describeTenantProbes, type ProbeCredentials } from '@dispatch/testing';
import { startIdentityTestApp, type IdentityTestApp } from '../test-support/identity-test-app';
import { SECRET_MAX_BYTES } from './secret-limits';

type Body = Record<string, unknown> & { items?: Record<string, unknown>[]; secrets?: Record<string, string> };

/**
 * Secrets as a user meets them: tokens from a real OIDC provider, the guard every service uses,
 * a real PostgreSQL whose rows are read raw to prove they hold no plaintext.
 */
describe('identity-manager: secrets', () => {
  let t: IdentityTestApp;
  let pool: Pool;
  let bus: InProcessBus;
  let home: string;
  const saved = { home: process.env['DISPATCH_HOME'], key: process.env['DISPATCH_SECRET_KEY'] };
  const logLines: string[] = [];
  const probe = {} as ProbeCredentials;
  // Distinct values, so finding one anywhere (a row, a log line, an error) means it leaked.
  const unique = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
  const acmeDb = { DB_USER: unique('app-user'), DB_PASSWORD: unique('acme-db-password'), 'tls.key': unique('ünïcødé ✓ pem') };
  const betaDb = { DB_PASSWORD: unique('beta-db-password') };
  const allValues: string[] = [...Object.values(acmeDb), ...Object.values(betaDb)];

  beforeAll(async () => {
    // No DISPATCH_SECRET_KEY: the key is generated into DISPATCH_HOME, as on a first solo start.
    home = await mkdtemp(join(tmpdir(), 'dispatch-secrets-home-'));
    process.env['DISPATCH_HOME'] = home;
    delete process.env['DISPATCH_SECRET_KEY'];

    // Everything down to trace goes to logLines, checked at the end for leaked values.
    const logger = createLogger({
      level: 'trace',
      name: 'secrets-test',
      destination: { write: (line: string) => void logLines.push(line) },
    });
    t = await startIdentityTestApp({ name: 'secrets-test', logger });
    ({ pool, bus } = t);
    Object.assign(probe, t.probe);

    // The secret of each org the tests and the tenant probes use; never deleted.
    expect(
      (await api('alice', 'POST', '/v1/secret', { name: 'shared-db', secrets: acmeDb, tags: [{ key: 'team', value: 'core' }] })).status,
    ).toBe(201);
    expect((await api('bob', 'POST', '/v1/secret', { name: 'beta-db', secrets: betaDb })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rm(home, { recursive: true, force: true });
    for (const [name, value] of [
      ['DISPATCH_HOME', saved.home],
      ['DISPATCH_SECRET_KEY', saved.key],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const api = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await t.api(who, method, path, body);
    return { ...res, body: res.body as Body };
  };

  async function rawRows(org: string, name: string) {
    const { rows } = await pool.query<Record<string, unknown>>('SELECT * FROM "identity"."secret" WHERE org = $1 AND name = $2', [
      org,
      name,
    ]);
    return rows;
  }

  it('generated the encryption key once into DISPATCH_HOME with mode 0600', async () => {
    expect((await stat(join(home, 'secret.key'))).mode & 0o777).toBe(0o600);
  });

  it('round-trips the values, with metadata, only on GET of one secret', async () => {
    const res = await api('alice', 'GET', '/v1/secret/shared-db');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'shared-db',
      org: 'acme',
      status: 'READY',
      tags: [{ key: 'team', value: 'core' }],
      secrets: acmeDb,
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    // A developer may read values too.
    expect((await api('dave', 'GET', '/v1/secret/shared-db')).body.secrets).toEqual(acmeDb);
  });

  it('resolves named secrets for a run over the bus, merged in order, scoped to the org', async () => {
    expect(
      (
        await api('alice', 'POST', '/v1/secret', {
          name: 'run-extra',
          secrets: {
            EXTRA: 'x',
            ...Object.fromEntries(
              Object.keys(acmeDb)
                .slice(0, 1)
                .map((k) => [k, 'override']),
            ),
          },
        })
      ).status,
    ).toBe(201);
    const merged = await bus.request('identity.secret.resolve.v1', { org: 'acme', names: ['shared-db', 'run-extra'] });
    const firstKey = Object.keys(acmeDb)[0];
    expect(merged.secrets).toMatchObject({ EXTRA: 'x', [firstKey]: 'override' });
    await expect(bus.request('identity.secret.resolve.v1', { org: 'beta', names: ['run-extra'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers which named secrets of an org are missing over the bus, without their values', async () => {
    const reply = await bus.request('identity.secret.exists.v1', { org: 'acme', names: ['shared-db', 'ghost', 'run-extra', 'ghost'] });
    expect(reply).toEqual({ missing: ['ghost'] });
    // Another org's secret does not exist for this one.
    expect(await bus.request('identity.secret.exists.v1', { org: 'beta', names: ['shared-db'] })).toEqual({ missing: ['shared-db'] });
    expect(await bus.request('identity.secret.exists.v1', { org: 'acme', names: [] })).toEqual({ missing: [] });
  });

  it('answers writes without values', async () => {
    const res = await api('alice', 'POST', '/v1/secret', { name: 'answer-check', secrets: { K: unique('written') } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'answer-check', org: 'acme', tags: [] });
    expect(res.body.secrets).toBeUndefined();
    expect(res.text).not.toContain('written-');
  });

  it("lists an org's own secrets by name, never with values, and answers another org's secret with 404", async () => {
    const acme = await api('alice', 'GET', '/v1/secret');
    expect(acme.status).toBe(200);
    expect(acme.body.items!.map((s) => s.name)).toContain('shared-db');
    expect(acme.body.items!.map((s) => s.name)).not.toContain('beta-db');
    for (const item of acme.body.items!) expect(item['secrets']).toBeUndefined();
    for (const v of allValues) expect(acme.text).not.toContain(v);

    const beta = await api('bob', 'GET', '/v1/secret');
    expect(beta.body.items!.map((s) => s.name)).toEqual(['beta-db']);

    const stranger = await api('bob', 'GET', '/v1/secret/shared-db');
    expect(stranger).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    for (const v of allValues) expect(stranger.text).not.toContain(v);
    expect(await api('alice', 'GET', '/v1/secret/beta-db')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
  });

  it('keeps no plaintext in the database row: only ciphertext, a 12-byte IV, a 16-byte tag and the key version', async () => {
    const [row] = await rawRows('acme', 'shared-db');
    expect(row).toBeDefined();
    expect(row['iv']).toHaveLength(12);
    expect(row['auth_tag']).toHaveLength(16);
    expect(row['key_version']).toBe(1);
    const bytes = Buffer.concat(Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v) ?? ''))));
    for (const text of [...Object.values(acmeDb), 'DB_PASSWORD', 'tls.key']) {
      expect(bytes.includes(Buffer.from(text, 'utf8'))).toBe(false);
    }
    // And not in PostgreSQL's own text rendering of the row (bytea as hex) either.
    const { rows } = await pool.query<{ text: string }>(
      `SELECT s::text AS text FROM "identity"."secret" s WHERE org = 'acme' AND name = 'shared-db'`,
    );
    for (const text of Object.values(acmeDb)) {
      expect(rows[0].text).not.toContain(text);
      expect(rows[0].text).not.toContain(Buffer.from(text).toString('hex'));
    }
  });

  it('refuses to decrypt a ciphertext copied into another row (AAD binds it to org and name)', async () => {
    const victim = { K: unique('victim') };
    expect((await api('alice', 'POST', '/v1/secret', { name: 'aad-source', secrets: victim })).status).toBe(201);
    expect((await api('alice', 'POST', '/v1/secret', { name: 'aad-target', secrets: { K: 'other' } })).status).toBe(201);
    await pool.query(
      `UPDATE "identity"."secret" t SET ciphertext = s.ciphertext, iv = s.iv, auth_tag = s.auth_tag
         FROM "identity"."secret" s WHERE s.org = 'acme' AND s.name = 'aad-source' AND t.org = 'acme' AND t.name = 'aad-target'`,
    );
    const res = await api('alice', 'GET', '/v1/secret/aad-target');
    expect(res).toMatchObject({ status: 500, body: { code: 'INTERNAL' } });
    expect(res.text).not.toContain(victim.K);
    allValues.push(victim.K);
    expect((await api('alice', 'GET', '/v1/secret/aad-source')).body.secrets).toEqual(victim);
  });

  it('replaces values and tags on PUT, with a fresh IV', async () => {
    const first = { OLD: unique('old') };
    const second = { NEW: unique('new') };
    allValues.push(first.OLD, second.NEW);
    expect((await api('alice', 'POST', '/v1/secret', { name: 'rotating', secrets: first, tags: [{ key: 'a', value: 'b' }] })).status).toBe(
      201,
    );
    const [before] = await rawRows('acme', 'rotating');
    const put = await api('alice', 'PUT', '/v1/secret/rotating', { secrets: second });
    expect(put).toMatchObject({ status: 200, body: { name: 'rotating', tags: [] } });
    expect(put.body.secrets).toBeUndefined();
    expect((await api('alice', 'GET', '/v1/secret/rotating')).body).toMatchObject({ secrets: second, tags: [] });
    const [after] = await rawRows('acme', 'rotating');
    expect((after['iv'] as Buffer).equals(before['iv'] as Buffer)).toBe(false);
    expect(after['id']).toBe(before['id']);
    expect(await api('alice', 'PUT', '/v1/secret/no-such', { secrets: second })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await rawRows('acme', 'no-such')).toEqual([]);
  });

  it('removes a secret on DELETE', async () => {
    expect((await api('alice', 'POST', '/v1/secret', { name: 'doomed', secrets: { K: 'v' } })).status).toBe(201);
    const res = await api('alice', 'DELETE', '/v1/secret/doomed');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await rawRows('acme', 'doomed')).toEqual([]);
    expect(await api('alice', 'GET', '/v1/secret/doomed')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await api('alice', 'DELETE', '/v1/secret/doomed')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    // Another org cannot delete it either.
    expect(await api('alice', 'DELETE', '/v1/secret/beta-db')).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await rawRows('beta', 'beta-db')).toHaveLength(1);
  });

  it('takes a secret of exactly 64 KiB and refuses one byte more with 413, storing nothing', async () => {
    // 'K' + value: the limit counts the UTF-8 bytes of keys and values.
    const exact = { K: 'x'.repeat(SECRET_MAX_BYTES - 1) };
    expect((await api('alice', 'POST', '/v1/secret', { name: 'at-limit', secrets: exact })).status).toBe(201);
    expect((await api('alice', 'GET', '/v1/secret/at-limit')).body.secrets).toEqual(exact);

    const over = { K: 'x'.repeat(SECRET_MAX_BYTES - 3), L: 'é' };
    const res = await api('alice', 'POST', '/v1/secret', { name: 'too-big', secrets: over });
    expect(res).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', details: { sizeBytes: SECRET_MAX_BYTES + 1, limitBytes: SECRET_MAX_BYTES } },
    });
    expect(res.body['message']).toMatch(/at most 65536 bytes \(64 KiB\)/);
    expect(res.text).not.toContain('xxxxxxxx');
    expect(await rawRows('acme', 'too-big')).toEqual([]);

    // Replacing with too much keeps the old values.
    expect(await api('alice', 'PUT', '/v1/secret/at-limit', { secrets: over })).toMatchObject({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect((await api('alice', 'GET', '/v1/secret/at-limit')).body.secrets).toEqual(exact);
  });

  it('refuses a bad key name with 400 VALIDATION_FAILED naming the field, never echoing values', async () => {
    const value = unique('bad-key-value');
    const res = await api('alice', 'POST', '/v1/secret', { name: 'bad-keys', secrets: { 'not valid!': value, GOOD: 42 } });
    expect(res).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    expect(res.body['details']).toEqual({
      problems: [
        { field: 'secrets.not valid!', problem: expect.stringContaining('^[A-Za-z_][A-Za-z0-9_.-]{0,252}$') },
        { field: 'secrets.GOOD', problem: 'each value must be a string' },
      ],
    });
    expect(res.text).not.toContain(value);
    expect(await rawRows('acme', 'bad-keys')).toEqual([]);
    expect(await api('alice', 'POST', '/v1/secret', { name: 'Not_A_Name', secrets: {} })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
    expect(await api('alice', 'POST', '/v1/secret', { name: 'no-values' })).toMatchObject({
      status: 400,
      body: { code: 'VALIDATION_FAILED' },
    });
  });

  it('refuses a duplicate name with 409 NAME_CONFLICT and keeps the original', async () => {
    const res = await api('alice', 'POST', '/v1/secret', { name: 'shared-db', secrets: { DB_PASSWORD: 'overwritten?' } });
    expect(res).toMatchObject({ status: 409, body: { code: 'NAME_CONFLICT' } });
    expect((await api('alice', 'GET', '/v1/secret/shared-db')).body.secrets).toEqual(acmeDb);
    // The same name in another org is another secret.
    expect((await api('bob', 'POST', '/v1/secret', { name: 'answer-check', secrets: { K: 'v' } })).status).toBe(201);
  });

  it("keeps secrets from viewers entirely: no values, no names (the viewer role excludes 'secret')", async () => {
    expect(await api('carol', 'GET', '/v1/secret/shared-db')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await api('carol', 'GET', '/v1/secret')).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    // Everything else a viewer may still read.
    expect((await api('carol', 'GET', '/v1/iam/policies')).status).toBe(200);
  });

  it('pages the list with pageSize and pageToken', async () => {
    for (const name of ['page-a', 'page-b', 'page-c'])
      expect((await api('bob', 'POST', '/v1/secret', { name, secrets: { K: 'v' } })).status).toBe(201);
    const first = await api('bob', 'GET', '/v1/secret?pageSize=2');
    expect(first.body.items!.map((s) => s.name)).toEqual(['answer-check', 'beta-db']);
    const second = await api('bob', 'GET', `/v1/secret?pageSize=2&pageToken=${String(first.body['nextPageToken'])}`);
    expect(second.body.items!.map((s) => s.name)).toEqual(['page-a', 'page-b']);
    const third = await api('bob', 'GET', `/v1/secret?pageSize=2&pageToken=${String(second.body['nextPageToken'])}`);
    expect(third.body.items!.map((s) => s.name)).toEqual(['page-c']);
    expect(third.body['nextPageToken']).toBeUndefined();
    expect(await api('bob', 'GET', '/v1/secret?pageSize=0')).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  describeTenantProbes('secrets', () => probe, [
    { method: 'GET', path: '/v1/secret' },
    { method: 'POST', path: '/v1/secret', body: { name: 'probe-secret', secrets: { K: 'v' } }, write: true },
    { method: 'GET', path: '/v1/secret/shared-db', otherOrgResource: true },
    { method: 'PUT', path: '/v1/secret/shared-db', body: { secrets: { K: 'v' } }, write: true, otherOrgResource: true },
    { method: 'DELETE', path: '/v1/secret/shared-db', write: true, otherOrgResource: true },
  ]);

  // Declared last: runs after every request above, the failed decryption included.
  it('never wrote a secret value to the log, at any level', async () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.some((l) => l.includes('cannot be decrypted'))).toBe(true);
    const log = logLines.join('');
    for (const v of allValues) expect(log).not.toContain(v);
    expect((await api('alice', 'GET', '/v1/secret/shared-db')).body.secrets).toEqual(acmeDb);
  });
});

import { randomBytes } from 'node:crypto';
import { EntityStatus } from '@dispatch/contracts';
import { parsePageQuery } from '@dispatch/platform';
import type { SecretStore, SecretSummary } from '../secret-store';

export interface SecretStoreUnderTest {
  store: SecretStore;
  teardown(): Promise<void>;
}

/**
 * What every SecretStore backend owes its callers (secret-store.ts), as one suite run against
 * each backend: the behaviour secrets.int-spec.ts checks over HTTP for PostgreSQL — create, get,
 * list without values, replace, delete, org isolation, NAME_CONFLICT, NOT_FOUND, paging — at the
 * store's own interface. Page tokens travel as the HTTP API carries them (`parsePageQuery`).
 */
export function describeSecretStoreContract(backend: string, start: () => Promise<SecretStoreUnderTest>): void {
  describe(`SecretStore contract: ${backend}`, () => {
    let subject: SecretStoreUnderTest | undefined;
    const store = (): SecretStore => subject!.store;
    // Distinct values, so finding one anywhere it should not be means it leaked.
    const unique = (label: string) => `${label}-${randomBytes(10).toString('hex')}`;
    const acmeDb = {
      DB_USER: unique('user'),
      DB_PASSWORD: unique('pw'),
      'tls.key': `-----BEGIN KEY-----\n${unique('ünïcødé ✓')}\n-----END KEY-----\n`,
      EMPTY: '',
    };
    const betaDb = { DB_PASSWORD: unique('beta-pw') };
    const values = () => [...Object.values(acmeDb), ...Object.values(betaDb)].filter((v) => v !== '');
    const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
    let shared: SecretSummary;

    beforeAll(async () => {
      subject = await start();
      shared = await store().put('acme', { name: 'shared-db', secrets: acmeDb, tags: [{ key: 'team', value: 'core' }] }, 'create');
      await store().put('beta', { name: 'beta-db', secrets: betaDb, tags: [] }, 'create');
    }, 60_000);
    afterAll(async () => {
      await subject?.teardown();
    });

    async function page(org: string, pageSize: number, pageToken?: string) {
      return store().list(org, parsePageQuery({ pageSize, pageToken }));
    }
    async function all(org: string): Promise<string[]> {
      return (await page(org, 500)).items.map((s) => s.name);
    }

    it('answers a create with the metadata and without the values', () => {
      expect(shared).toEqual({
        id: expect.any(String),
        name: 'shared-db',
        org: 'acme',
        createdTime: expect.stringMatching(ISO),
        modifiedTime: expect.stringMatching(ISO),
        status: EntityStatus.READY,
        reason: [],
        tags: [{ key: 'team', value: 'core' }],
      });
      expect(shared.id).not.toBe('');
      for (const v of values()) expect(JSON.stringify(shared)).not.toContain(v);
    });

    it('gives the values back, byte for byte, with the metadata, only on get', async () => {
      const got = await store().get('acme', 'shared-db');
      expect(got).toEqual({ ...shared, secrets: acmeDb });
    });

    it("lists an org's own secrets by name, without values, never another org's", async () => {
      const acme = await page('acme', 50);
      expect(acme.items.map((s) => s.name)).toContain('shared-db');
      expect(acme.items.map((s) => s.name)).not.toContain('beta-db');
      for (const item of acme.items) {
        expect(item).not.toHaveProperty('secrets');
        expect(item.org).toBe('acme');
      }
      expect(acme.items.find((s) => s.name === 'shared-db')).toEqual(shared);
      for (const v of values()) expect(JSON.stringify(acme)).not.toContain(v);
      expect(await all('beta')).toEqual(['beta-db']);
      expect(await page('nobody', 10)).toEqual({ items: [] });
    });

    it("treats another org's secret as absent: NOT_FOUND on get, replace and delete, which leave it as it was", async () => {
      await expect(store().get('beta', 'shared-db')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store().put('beta', { name: 'shared-db', secrets: { K: 'v' }, tags: [] }, 'replace')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(store().delete('beta', 'shared-db')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await store().get('acme', 'shared-db')).secrets).toEqual(acmeDb);
      expect(await all('beta')).toEqual(['beta-db']);
    });

    it('keeps apart orgs and names that a "-" join would confuse (a-b + c, a + b-c)', async () => {
      await store().put('a-b', { name: 'c', secrets: { WHO: 'a-b/c' }, tags: [] }, 'create');
      await store().put('a', { name: 'b-c', secrets: { WHO: 'a/b-c' }, tags: [] }, 'create');
      expect((await store().get('a-b', 'c')).secrets).toEqual({ WHO: 'a-b/c' });
      expect((await store().get('a', 'b-c')).secrets).toEqual({ WHO: 'a/b-c' });
      await expect(store().get('a', 'c')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await all('a')).toEqual(['b-c']);
      expect(await all('a-b')).toEqual(['c']);
    });

    it('refuses a duplicate name with NAME_CONFLICT and keeps the original; the same name in another org is another secret', async () => {
      const attempt = store().put('acme', { name: 'shared-db', secrets: { DB_PASSWORD: 'overwritten?' }, tags: [] }, 'create');
      const err = (await attempt.catch((e: unknown) => e)) as Error & { code?: string };
      expect(err).toMatchObject({ code: 'NAME_CONFLICT' });
      expect(err.message).not.toContain('overwritten?');
      expect(await store().get('acme', 'shared-db')).toEqual({ ...shared, secrets: acmeDb });
      const other = await store().put('beta', { name: 'shared-db', secrets: { K: 'beta-own' }, tags: [] }, 'create');
      expect(other).toMatchObject({ org: 'beta', name: 'shared-db' });
      expect(other.id).not.toBe(shared.id);
      expect((await store().get('beta', 'shared-db')).secrets).toEqual({ K: 'beta-own' });
      await store().delete('beta', 'shared-db');
    });

    it('replaces values and tags, keeping id and createdTime; NOT_FOUND for a missing secret, creating nothing', async () => {
      const first = { OLD: unique('old') };
      const second = { NEW: unique('new') };
      const created = await store().put('acme', { name: 'rotating', secrets: first, tags: [{ key: 'a', value: 'b' }] }, 'create');
      const replaced = await store().put('acme', { name: 'rotating', secrets: second, tags: [] }, 'replace');
      expect(replaced).toMatchObject({ id: created.id, name: 'rotating', org: 'acme', createdTime: created.createdTime, tags: [] });
      expect(replaced).not.toHaveProperty('secrets');
      expect(Date.parse(replaced.modifiedTime)).toBeGreaterThanOrEqual(Date.parse(created.modifiedTime));
      expect(await store().get('acme', 'rotating')).toEqual({ ...replaced, secrets: second });
      const missing = (await store()
        .put('acme', { name: 'no-such', secrets: second, tags: [] }, 'replace')
        .catch((e: unknown) => e)) as Error;
      expect(missing).toMatchObject({ code: 'NOT_FOUND' });
      expect(missing.message).not.toContain(second.NEW);
      await expect(store().get('acme', 'no-such')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('deletes; then get and delete answer NOT_FOUND', async () => {
      await store().put('acme', { name: 'doomed', secrets: { K: 'v' }, tags: [] }, 'create');
      await store().delete('acme', 'doomed');
      await expect(store().get('acme', 'doomed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store().delete('acme', 'doomed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await all('acme')).not.toContain('doomed');
    });

    it('holds a secret of 64 KiB (the API limit) and many keys', async () => {
      const big = { K: 'x'.repeat(64 * 1024 - 1) };
      await store().put('acme', { name: 'at-limit', secrets: big, tags: [] }, 'create');
      expect((await store().get('acme', 'at-limit')).secrets).toEqual(big);
      const many = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [`KEY_${i}`, `value-${i}`]));
      await store().put(
        'acme',
        { name: 'many-keys', secrets: many, tags: Array.from({ length: 32 }, (_, i) => ({ key: `t${i}`, value: 'v'.repeat(256) })) },
        'create',
      );
      expect((await store().get('acme', 'many-keys')).secrets).toEqual(many);
    });

    it('pages by name with pageSize and pageToken, the last page without a token', async () => {
      for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await store().put('pager', { name, secrets: { K: name }, tags: [] }, 'create');
      // Neighbours in other orgs, which must not leak into or cut the pages.
      for (const org of ['pagea', 'pager-x', 'pagers']) await store().put(org, { name: 'p2', secrets: { K: org }, tags: [] }, 'create');
      const first = await page('pager', 2);
      expect(first.items.map((s) => s.name)).toEqual(['p1', 'p2']);
      expect(first.nextPageToken).toEqual(expect.any(String));
      const second = await page('pager', 2, first.nextPageToken);
      expect(second.items.map((s) => s.name)).toEqual(['p3', 'p4']);
      const third = await page('pager', 2, second.nextPageToken);
      expect(third.items.map((s) => s.name)).toEqual(['p5']);
      expect(third.nextPageToken).toBeUndefined();
      // A page that exactly fits has no token either.
      const exact = await page('pager', 5);
      expect(exact.items.map((s) => s.name)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
      expect(exact.nextPageToken).toBeUndefined();
      for (const item of exact.items) expect(item).not.toHaveProperty('secrets');
    });

    it('serves every secret that exists throughout a paged walk exactly once, despite writes between pages', async () => {
      const first = await page('pager', 2);
      await store().put('pager', { name: 'p0', secrets: { K: 'new' }, tags: [] }, 'create');
      await store().put('pager', { name: 'p9', secrets: { K: 'new' }, tags: [] }, 'create');
      const seen = first.items.map((s) => s.name);
      let token = first.nextPageToken;
      while (token) {
        const next = await page('pager', 2, token);
        seen.push(...next.items.map((s) => s.name));
        token = next.nextPageToken;
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) expect(seen).toContain(name);
      expect(seen).not.toContain('p0');
    });
  });
}

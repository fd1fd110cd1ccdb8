import { EntityStatus, type FunctionSpec } from '@dispatch/contracts';
import { OutboxRecord, type OutboxRelay } from '@dispatch/persistence';
import { createLogger } from '@dispatch/platform';
import type { FunctionRecord } from '../function/function.entity';
import { VersionStatus } from '../version/version.entity';
import { FunctionStore } from './function-store';
import { useFunctionsDatabase } from '../test-support/functions-database';

const log = createLogger({ level: 'silent', name: 'function-store-test' });
const spec = {
  runtime: null,
  image: 'registry.example/fn:1',
  handler: '',
  sourceDigest: null,
  secrets: [],
  services: [],
  env: {},
} as unknown as FunctionSpec;

/** Functions, versions and their events on real PostgreSQL, through the store the use cases and the deployer share. */
describe('FunctionStore', () => {
  const relay = { notify: jest.fn() };
  let store: FunctionStore;

  const db = useFunctionsDatabase({ log });

  beforeAll(async () => {
    store = new FunctionStore(db.ds, relay as unknown as OutboxRelay);
  });

  /** A function of `org` with versions 1 (RETIRED) and 2 (READY), added in one transaction. */
  async function functionWithVersions(org: string, name: string): Promise<FunctionRecord> {
    return store.transaction(async (tx) => {
      const fn = await tx.functions.save(
        tx.functions.build({ org, name, spec, tags: [], status: EntityStatus.READY, activeVersion: 2, latestVersion: 2 }),
      );
      for (const [version, status] of [
        [1, VersionStatus.RETIRED],
        [2, VersionStatus.READY],
      ] as const) {
        await tx.versions.add({
          functionId: fn.id,
          org,
          version,
          spec,
          providerName: `${name}-v${version}`,
          image: spec.image,
          status,
          reason: [],
        });
      }
      return fn;
    });
  }

  it('reads, pages, locks and removes only the functions and versions of the org it is given', async () => {
    const mine = await functionWithVersions('acme', 'hello');
    const theirs = await functionWithVersions('globex', 'hello');
    expect((await store.functions.byName('acme', 'hello'))?.id).toBe(mine.id);
    expect(await store.functions.byId('acme', theirs.id)).toBeNull();
    expect((await store.functions.page('acme', undefined, 10)).map((f) => f.id)).toEqual([mine.id]);
    expect(await store.functions.count('acme')).toBe(1);
    expect(await store.versions.byVersion('acme', theirs.id, 2)).toBeNull();
    expect(await store.versions.page('acme', theirs.id, undefined, 10)).toEqual([]);
    expect((await store.versions.page('acme', mine.id, undefined, 10)).map((v) => v.version)).toEqual([2, 1]);
    expect(await store.versions.countLive('acme', mine.id)).toBe(1);
    await store.transaction(async (tx) => {
      expect(await tx.functions.lockedByName('acme', 'hello')).toMatchObject({ id: mine.id });
      expect(await tx.functions.lockedById('acme', theirs.id)).toBeNull();
      await tx.versions.removeOfFunction('acme', theirs.id);
      await tx.functions.remove('acme', theirs.id);
    });
    expect(await store.functions.byId('globex', theirs.id)).not.toBeNull();
    expect(await store.versions.ofFunction('globex', theirs.id)).toHaveLength(2);
    await expect(store.functions.byName('', 'hello')).rejects.toThrow('without an org');
  });

  it('commits the events a transaction publishes with it, and tells the relay only then', async () => {
    const events = () => db.ds.getRepository(OutboxRecord).countBy({ subject: 'function.function.changed.v1' });
    const before = await events();
    relay.notify.mockClear();
    await expect(
      store.transaction(async (tx) => {
        const fn = await tx.functions.save(
          tx.functions.build({
            org: 'acme',
            name: 'doomed',
            spec,
            tags: [],
            status: EntityStatus.CREATING,
            activeVersion: null,
            latestVersion: 1,
          }),
        );
        await tx.publishChanged({ id: fn.id, org: fn.org, name: fn.name, status: fn.status, revision: 1 });
        throw new Error('the use case changed its mind');
      }),
    ).rejects.toThrow('changed its mind');
    expect(await events()).toBe(before);
    expect(await store.functions.byName('acme', 'doomed')).toBeNull();
    expect(relay.notify).not.toHaveBeenCalled();

    const fn = await store.transaction(async (tx) => {
      const created = await tx.functions.save(
        tx.functions.build({
          org: 'acme',
          name: 'kept',
          spec,
          tags: [],
          status: EntityStatus.CREATING,
          activeVersion: null,
          latestVersion: 1,
        }),
      );
      await tx.publishChanged({ id: created.id, org: created.org, name: created.name, status: created.status, revision: 1 });
      return created;
    });
    expect(await events()).toBe(before + 1);
    expect(relay.notify).toHaveBeenCalledTimes(1);
    expect(await store.functions.byName('acme', 'kept')).toMatchObject({ id: fn.id, status: EntityStatus.CREATING });
  });

  it('lists the versions the deployer has work on, and those serving, across every org', async () => {
    const a = await functionWithVersions('initech', 'job');
    const b = await functionWithVersions('umbrella', 'job');
    const [creating] = await store.transaction(async (tx) => [
      await tx.versions.add({
        functionId: a.id,
        org: 'initech',
        version: 3,
        spec,
        providerName: 'job-v3',
        image: null,
        status: VersionStatus.CREATING,
        reason: [],
      }),
    ]);
    await store.versions.setStatus('umbrella', (await store.versions.byVersion('umbrella', b.id, 1))!.id, VersionStatus.RETIRING);
    const pending = await store.versions.pendingIdsAcrossOrgs();
    expect(pending).toEqual(expect.arrayContaining([creating.id, (await store.versions.byVersion('umbrella', b.id, 1))!.id]));
    const serving = (await store.versions.servingAcrossOrgs()).map((v) => `${v.org}/${v.providerName}`);
    expect(serving).toEqual(expect.arrayContaining(['initech/job-v2', 'umbrella/job-v2']));
    expect(await store.versions.byIdAcrossOrgs(creating.id)).toMatchObject({ org: 'initech', version: 3 });
  });
});

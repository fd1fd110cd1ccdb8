import { Inject, Injectable } from '@nestjs/common';
import { type DataSource, type EntityManager, MoreThan } from 'typeorm';
import { EntityStatus, ErrorCode, type Page } from '@dispatch/contracts';
import { isUniqueViolation, type OutboxRelay, OutboxWriter } from '@dispatch/persistence';
import { DispatchError, InjectDataSource, InjectOutboxRelay, mapPage, toPage, type PageRequest } from '@dispatch/platform';
import { FunctionRecord } from '../persistence/entities/function.entity';
import { FunctionSource } from '../persistence/entities/function-source.entity';
import { FunctionVersion, VersionStatus } from '../persistence/entities/function-version.entity';
import { ConcurrencyLimiter } from '../run/concurrency-limiter';
import { FunctionCatalog } from '../run/function-catalog';
import { ServiceBindingInjector } from '../run/service-binding-injector';
import { checkHandler, packTree, readArchive, type SourceTree, treeDigest } from '../source';
import { providerNameOf } from './deployment';
import { functionNotFound } from './function-not-found';
import { type CreateFunctionBody, type FunctionSpec, mergeSpec, type SpecChanges, type UpdateFunctionBody } from './function-spec';
import { type FunctionView, functionViewOf, type VersionView, versionViewOf } from './function-view';
import { compileSchema } from './json-schemas';

/** Called with the id of every version that has work to do (the deployer's reconcile loop). */
export const VERSION_QUEUE = Symbol.for('dispatch.function-version-queue');
export interface VersionQueue {
  enqueue(versionId: string): void;
}

/**
 * Functions and their versions. Every change of what runs makes a new version, deployed beside
 * the serving one; the deployer promotes it once the provider can serve it, then retires the old
 * one, so an update never interrupts runs. Source is checked (archive, handler) before anything is
 * stored, and kept once per distinct tree.
 */
@Injectable()
export class FunctionsService {
  private readonly outbox = new OutboxWriter();

  constructor(
    @InjectDataSource('functions') private readonly dataSource: DataSource,
    @InjectOutboxRelay('functions') private readonly relay: OutboxRelay,
    @Inject(VERSION_QUEUE) private readonly versions: VersionQueue,
    private readonly catalog: FunctionCatalog,
    private readonly limiter: ConcurrencyLimiter,
    private readonly bindings: ServiceBindingInjector,
  ) {}

  async create(org: string, body: CreateFunctionBody, uploaded?: SourceTree): Promise<FunctionView> {
    const { maxFunctions } = await this.limiter.quotasOf(org);
    const count = await this.dataSource.getRepository(FunctionRecord).countBy({ org });
    if (count >= maxFunctions) {
      throw new DispatchError(ErrorCode.QUOTA_EXCEEDED, `the org has ${count} functions, its quota (maxFunctions ${maxFunctions}); delete some or ask a platform admin to raise it`);
    }
    const source = await this.sourceOf(body, uploaded);
    const spec = await this.checkedSpec(undefined, body, source);
    const record = await this.transaction(async (m, deploy) => {
      if (source) await this.keepSource(m, source.digest, source.archive);
      const fn = await m.save(
        m.create(FunctionRecord, { org, name: body.name, spec, tags: body.tags, status: EntityStatus.CREATING, activeVersion: null, latestVersion: 1 }),
      );
      deploy.push(await this.addVersion(m, fn, 1, spec));
      return fn;
    }, body.name);
    return functionViewOf(record);
  }

  async update(org: string, name: string, body: UpdateFunctionBody, uploaded?: SourceTree): Promise<FunctionView> {
    const source = await this.sourceOf(body, uploaded);
    const { source: _source, tags, ...changes } = body;
    const record = await this.transaction(async (m, deploy) => {
      const fn = await this.locked(m, org, name);
      const spec = await this.checkedSpec(fn.spec, changes, source, m);
      if (tags) fn.tags = tags;
      // A change of tags alone deploys nothing.
      if (Object.keys(changes).length || source) {
        if (source) await this.keepSource(m, source.digest, source.archive);
        fn.spec = spec;
        fn.latestVersion += 1;
        fn.status = fn.activeVersion === null ? EntityStatus.CREATING : EntityStatus.UPDATING;
        deploy.push(await this.addVersion(m, fn, fn.latestVersion, spec));
      }
      return m.save(fn);
    });
    return functionViewOf(record);
  }

  /** Deploys an earlier version's spec (and source) again, as a new version. */
  async rollback(org: string, name: string, version: number): Promise<FunctionView> {
    const record = await this.transaction(async (m, deploy) => {
      const fn = await this.locked(m, org, name);
      const earlier = await m.findOneBy(FunctionVersion, { functionId: fn.id, version });
      if (!earlier) throw new DispatchError(ErrorCode.NOT_FOUND, `function "${name}" has no version ${version}; list them with GET /v1/function/${name}/versions`);
      fn.spec = earlier.spec;
      fn.latestVersion += 1;
      fn.status = fn.activeVersion === null ? EntityStatus.CREATING : EntityStatus.UPDATING;
      deploy.push(await this.addVersion(m, fn, fn.latestVersion, earlier.spec));
      return m.save(fn);
    });
    return functionViewOf(record);
  }

  /** Marks the function DELETING; the deployer removes its versions from the provider, then the rows. */
  async delete(org: string, name: string): Promise<FunctionView> {
    const record = await this.transaction(async (m, retire) => {
      const fn = await this.locked(m, org, name);
      fn.status = EntityStatus.DELETING;
      const live = await m.find(FunctionVersion, { where: { functionId: fn.id } });
      for (const v of live) {
        if (v.status === VersionStatus.RETIRED) continue;
        v.status = VersionStatus.RETIRING;
        await m.save(v);
      }
      await this.outbox.add(m, 'function.function.changed.v1', changedEvent(fn));
      const saved = await m.save(fn);
      retire.push(...live.map((v) => v.id));
      return saved;
    });
    return functionViewOf(record);
  }

  async get(org: string, name: string): Promise<FunctionView> {
    return functionViewOf(await this.find(org, name));
  }

  async list(org: string, page: PageRequest): Promise<Page<FunctionView>> {
    const rows = await this.dataSource.getRepository(FunctionRecord).find({
      where: page.after === undefined ? { org } : { org, name: MoreThan(page.after) },
      order: { name: 'ASC' },
      take: page.limit + 1,
    });
    return mapPage(toPage(rows, page.limit, (r) => r.name), functionViewOf);
  }

  /** Newest first. */
  async listVersions(org: string, name: string, page: PageRequest): Promise<Page<VersionView>> {
    const fn = await this.find(org, name);
    const before = page.after === undefined ? undefined : Number(page.after);
    if (before !== undefined && !Number.isInteger(before)) throw new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
    const q = this.dataSource.getRepository(FunctionVersion).createQueryBuilder('v').where('v.functionId = :id', { id: fn.id });
    if (before !== undefined) q.andWhere('v.version < :before', { before });
    const rows = await q.orderBy('v.version', 'DESC').take(page.limit + 1).getMany();
    return mapPage(toPage(rows, page.limit, (v) => String(v.version)), versionViewOf);
  }

  private async find(org: string, name: string): Promise<FunctionRecord> {
    const fn = await this.dataSource.getRepository(FunctionRecord).findOneBy({ org, name });
    if (!fn) throw functionNotFound(name);
    return fn;
  }

  private async locked(m: EntityManager, org: string, name: string): Promise<FunctionRecord> {
    const fn = await m.findOne(FunctionRecord, { where: { org, name }, lock: { mode: 'pessimistic_write' } });
    if (!fn) throw functionNotFound(name);
    if (fn.status === EntityStatus.DELETING) throw new DispatchError(ErrorCode.NOT_READY, `function "${name}" is being deleted`);
    return fn;
  }

  private async sourceOf(body: { source?: string; runtime?: string; handler?: string }, uploaded?: SourceTree): Promise<{ tree: SourceTree; digest: string; archive: Buffer } | undefined> {
    if (body.source !== undefined && uploaded) throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'give the source either as the `source` field or as an upload, not both');
    const tree = uploaded ?? (body.source !== undefined ? await readArchive(Buffer.from(body.source, 'base64')) : undefined);
    if (!tree) return undefined;
    return { tree, digest: treeDigest(tree), archive: await packTree(tree) };
  }

  /** The merged spec, or a 4xx naming every problem; nothing is stored before this passes. */
  private async checkedSpec(
    base: FunctionSpec | undefined,
    changes: SpecChanges,
    source: { tree: SourceTree; digest: string } | undefined,
    m?: EntityManager,
  ): Promise<FunctionSpec> {
    const merged = mergeSpec(base, changes, source?.digest);
    if ('problems' in merged) throw new DispatchError(ErrorCode.VALIDATION_FAILED, `invalid function: ${merged.problems.join('; ')}`, { problems: merged.problems });
    const spec = merged.spec;
    if (spec.runtime && spec.sourceDigest && (source || changes.handler !== undefined || changes.runtime !== undefined)) {
      // The handler is checked against the source it will run with: the new upload, else the kept one.
      const tree = source?.tree ?? (await this.keptTree(m ?? this.dataSource.manager, spec.sourceDigest));
      checkHandler(tree, spec.runtime, spec.handler);
    }
    if (spec.inputSchema) compileSchema('inputSchema', spec.inputSchema);
    if (spec.outputSchema) compileSchema('outputSchema', spec.outputSchema);
    this.bindings.assertBindable(spec.services);
    return spec;
  }

  private async keptTree(m: EntityManager, digest: string): Promise<SourceTree> {
    const kept = await m.findOneByOrFail(FunctionSource, { digest });
    return readArchive(kept.archive);
  }

  private async keepSource(m: EntityManager, digest: string, archive: Buffer): Promise<void> {
    await m.createQueryBuilder().insert().into(FunctionSource).values({ digest, archive }).orIgnore().execute();
  }

  /** Returns the new version's id, for the deployer once the transaction commits. */
  private async addVersion(m: EntityManager, fn: FunctionRecord, version: number, spec: FunctionSpec): Promise<string> {
    const saved = await m.save(
      m.create(FunctionVersion, { functionId: fn.id, org: fn.org, version, spec, providerName: providerNameOf(fn.name, fn.id, version), image: null, status: VersionStatus.CREATING, reason: [] }),
    );
    await this.outbox.add(m, 'function.function.changed.v1', changedEvent(fn));
    return saved.id;
  }

  /** Runs `work` in a transaction; the version ids it collects go to the deployer once it has committed. */
  private async transaction<T extends FunctionRecord>(work: (m: EntityManager, versionIds: string[]) => Promise<T>, name?: string): Promise<T> {
    const queued: string[] = [];
    let result: T;
    try {
      result = await this.dataSource.transaction((m) => work(m, queued));
    } catch (err) {
      if (name && isUniqueViolation(err)) {
        throw new DispatchError(ErrorCode.NAME_CONFLICT, `function "${name}" already exists in this org; update it with PUT /v1/function/${name} or choose another name`);
      }
      throw err;
    }
    this.relay.notify();
    this.catalog.forget(result.org, result.name);
    for (const id of queued) this.versions.enqueue(id);
    return result;
  }
}

/** The `function.function.changed.v1` fact of a function as it now is. */
export function changedEvent(fn: FunctionRecord) {
  return { id: fn.id, org: fn.org, name: fn.name, status: fn.status, revision: fn.latestVersion };
}

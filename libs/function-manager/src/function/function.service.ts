import { Inject, Injectable } from '@nestjs/common';
import { EntityStatus, ErrorCode, type FunctionSpec, type Page } from '@dispatch/contracts';
import { isUniqueViolation } from '@dispatch/persistence';
import { DispatchError, mapPage, pageByName, toPage, type PageRequest } from '@dispatch/platform';
import { type FunctionRepositories, FunctionStore, type FunctionTransaction } from '../persistence/function-store';
import { ConcurrencyLimiter } from '../run/concurrency-limiter';
import { FunctionCatalog } from '../run/function-catalog';
import { ServiceBindingInjector } from '../run/service-binding-injector';
import { checkHandler, packTree, readArchive, type SourceTree, treeDigest } from '../source';
import { providerNameOf } from '../version/deployment';
import { VersionStatus } from '../version/version.entity';
import { VERSION_QUEUE, type VersionQueue } from '../version/version-queue';
import { type VersionView, versionViewOf } from '../version/version-view';
import { changedEvent } from './function-changed';
import type { FunctionRecord } from './function.entity';
import { functionNotFound } from './function-not-found';
import { type CreateFunctionBody, mergeSpec, type SpecChanges, type UpdateFunctionBody } from './function-spec';
import { type FunctionView, functionViewOf } from './function-view';
import { compileSchema } from './json-schemas';
import { SecretReferences } from './secret-references';

/**
 * Functions and their versions. Every change of what runs makes a new version, deployed beside
 * the serving one; the deployer promotes it once the provider can serve it, then retires the old
 * one, so an update never interrupts runs. Source is checked (archive, handler) before anything is
 * stored, and kept once per distinct tree.
 */
@Injectable()
export class FunctionsService {
  constructor(
    private readonly store: FunctionStore,
    @Inject(VERSION_QUEUE) private readonly versions: VersionQueue,
    private readonly catalog: FunctionCatalog,
    private readonly limiter: ConcurrencyLimiter,
    private readonly bindings: ServiceBindingInjector,
    private readonly secretRefs: SecretReferences,
  ) {}

  async create(org: string, body: CreateFunctionBody, uploaded?: SourceTree): Promise<FunctionView> {
    const { maxFunctions } = await this.limiter.quotasOf(org);
    const count = await this.store.functions.count(org);
    if (count >= maxFunctions) {
      throw new DispatchError(
        ErrorCode.QUOTA_EXCEEDED,
        `the org has ${count} functions, its quota (maxFunctions ${maxFunctions}); delete some or ask a platform admin to raise it`,
      );
    }
    const source = await this.sourceOf(body, uploaded);
    const spec = await this.checkedSpec(undefined, body, source);
    await this.secretRefs.assertExist(org, spec.secrets);
    const record = await this.transaction(async (tx, deploy) => {
      if (source) await tx.sources.keep(source.digest, source.archive);
      const fn = await tx.functions.save(
        tx.functions.build({
          org,
          name: body.name,
          spec,
          tags: body.tags,
          status: EntityStatus.CREATING,
          activeVersion: null,
          latestVersion: 1,
        }),
      );
      deploy.push(await this.addVersion(tx, fn, 1, spec));
      return fn;
    }, body.name);
    return functionViewOf(record);
  }

  async update(org: string, name: string, body: UpdateFunctionBody, uploaded?: SourceTree): Promise<FunctionView> {
    const source = await this.sourceOf(body, uploaded);
    const { source: _source, tags, ...changes } = body;
    // Only a change of the secrets is checked, before the function is locked: its others were checked when set.
    if (changes.secrets) await this.secretRefs.assertExist(org, changes.secrets);
    const record = await this.transaction(async (tx, deploy) => {
      const fn = await this.locked(tx, org, name);
      const spec = await this.checkedSpec(fn.spec, changes, source, tx);
      if (tags) fn.tags = tags;
      // A change of tags alone deploys nothing.
      if (Object.keys(changes).length || source) {
        if (source) await tx.sources.keep(source.digest, source.archive);
        fn.spec = spec;
        fn.latestVersion += 1;
        fn.status = fn.activeVersion === null ? EntityStatus.CREATING : EntityStatus.UPDATING;
        deploy.push(await this.addVersion(tx, fn, fn.latestVersion, spec));
      }
      return tx.functions.save(fn);
    });
    return functionViewOf(record);
  }

  /** Deploys an earlier version's spec (and source) again, as a new version. */
  async rollback(org: string, name: string, version: number): Promise<FunctionView> {
    const record = await this.transaction(async (tx, deploy) => {
      const fn = await this.locked(tx, org, name);
      const earlier = await tx.versions.byVersion(org, fn.id, version);
      if (!earlier)
        throw new DispatchError(
          ErrorCode.NOT_FOUND,
          `function "${name}" has no version ${version}; list them with GET /v1/function/${name}/versions`,
        );
      fn.spec = earlier.spec;
      fn.latestVersion += 1;
      fn.status = fn.activeVersion === null ? EntityStatus.CREATING : EntityStatus.UPDATING;
      deploy.push(await this.addVersion(tx, fn, fn.latestVersion, earlier.spec));
      return tx.functions.save(fn);
    });
    return functionViewOf(record);
  }

  /** Marks the function DELETING; the deployer removes its versions from the provider, then the rows. */
  async delete(org: string, name: string): Promise<FunctionView> {
    const record = await this.transaction(async (tx, retire) => {
      const fn = await this.locked(tx, org, name);
      fn.status = EntityStatus.DELETING;
      const live = await tx.versions.ofFunction(org, fn.id);
      for (const v of live) {
        if (v.status === VersionStatus.RETIRED) continue;
        await tx.versions.setStatus(org, v.id, VersionStatus.RETIRING);
      }
      await tx.publishChanged(changedEvent(fn));
      const saved = await tx.functions.save(fn);
      retire.push(...live.map((v) => v.id));
      return saved;
    });
    return functionViewOf(record);
  }

  async get(org: string, name: string): Promise<FunctionView> {
    return functionViewOf(await this.find(org, name));
  }

  async list(org: string, page: PageRequest): Promise<Page<FunctionView>> {
    return pageByName(await this.store.functions.page(org, page.after, page.limit), page.limit, functionViewOf);
  }

  /** Newest first. */
  async listVersions(org: string, name: string, page: PageRequest): Promise<Page<VersionView>> {
    const fn = await this.find(org, name);
    const before = page.after === undefined ? undefined : Number(page.after);
    if (before !== undefined && !Number.isInteger(before))
      throw new DispatchError(ErrorCode.INVALID_PAGE_TOKEN, 'pageToken is not one this API returned; start again without it');
    const rows = await this.store.versions.page(org, fn.id, before, page.limit);
    return mapPage(
      toPage(rows, page.limit, (v) => String(v.version)),
      versionViewOf,
    );
  }

  private async find(org: string, name: string): Promise<FunctionRecord> {
    const fn = await this.store.functions.byName(org, name);
    if (!fn) throw functionNotFound(name);
    return fn;
  }

  private async locked(tx: FunctionTransaction, org: string, name: string): Promise<FunctionRecord> {
    const fn = await tx.functions.lockedByName(org, name);
    if (!fn) throw functionNotFound(name);
    if (fn.status === EntityStatus.DELETING) throw new DispatchError(ErrorCode.NOT_READY, `function "${name}" is being deleted`);
    return fn;
  }

  private async sourceOf(
    body: { source?: string; runtime?: string; handler?: string },
    uploaded?: SourceTree,
  ): Promise<{ tree: SourceTree; digest: string; archive: Buffer } | undefined> {
    if (body.source !== undefined && uploaded)
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'give the source either as the `source` field or as an upload, not both');
    const tree = uploaded ?? (body.source !== undefined ? await readArchive(Buffer.from(body.source, 'base64')) : undefined);
    if (!tree) return undefined;
    return { tree, digest: treeDigest(tree), archive: await packTree(tree) };
  }

  /** The merged spec, or a 4xx naming every problem; nothing is stored before this passes. */
  private async checkedSpec(
    base: FunctionSpec | undefined,
    changes: SpecChanges,
    source: { tree: SourceTree; digest: string } | undefined,
    tx?: FunctionRepositories,
  ): Promise<FunctionSpec> {
    const merged = mergeSpec(base, changes, source?.digest);
    if ('problems' in merged)
      throw new DispatchError(ErrorCode.VALIDATION_FAILED, `invalid function: ${merged.problems.join('; ')}`, {
        problems: merged.problems,
      });
    const spec = merged.spec;
    if (spec.runtime && spec.sourceDigest && (source || changes.handler !== undefined || changes.runtime !== undefined)) {
      // The handler is checked against the source it will run with: the new upload, else the kept one.
      const tree = source?.tree ?? (await readArchive(await (tx ?? this.store).sources.archiveOf(spec.sourceDigest)));
      checkHandler(tree, spec.runtime, spec.handler);
    }
    if (spec.inputSchema) compileSchema('inputSchema', spec.inputSchema);
    if (spec.outputSchema) compileSchema('outputSchema', spec.outputSchema);
    this.bindings.assertBindable(spec.services);
    return spec;
  }

  /** Returns the new version's id, for the deployer once the transaction commits. */
  private async addVersion(tx: FunctionTransaction, fn: FunctionRecord, version: number, spec: FunctionSpec): Promise<string> {
    const saved = await tx.versions.add({
      functionId: fn.id,
      org: fn.org,
      version,
      spec,
      providerName: providerNameOf(fn.name, fn.id, version),
      image: null,
      status: VersionStatus.CREATING,
      reason: [],
    });
    await tx.publishChanged(changedEvent(fn));
    return saved.id;
  }

  /** Runs `work` in a transaction; the version ids it collects go to the deployer once it has committed. */
  private async transaction<T extends FunctionRecord>(
    work: (tx: FunctionTransaction, versionIds: string[]) => Promise<T>,
    name?: string,
  ): Promise<T> {
    const queued: string[] = [];
    let result: T;
    try {
      result = await this.store.transaction((tx) => work(tx, queued));
    } catch (err) {
      if (name && isUniqueViolation(err)) {
        throw new DispatchError(
          ErrorCode.NAME_CONFLICT,
          `function "${name}" already exists in this org; update it with PUT /v1/function/${name} or choose another name`,
        );
      }
      throw err;
    }
    this.catalog.forget(result.org, result.name);
    for (const id of queued) this.versions.enqueue(id);
    return result;
  }
}

import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { EntityStatus } from '@dispatch/contracts';
import { LOGGER, ReconcileLoop, type ReconcileOutcome } from '@dispatch/platform';
import { changedEvent } from '../function/function-changed';
import type { FunctionRecord } from '../function/function.entity';
import { FUNCTION_CONFIG, type FunctionConfig } from '../function-config';
import { FunctionStore } from '../persistence/function-store';
import { FUNCTION_PROVIDER, type FunctionProvider } from '../provider/function-provider';
import { FunctionCatalog } from '../run/function-catalog';
import { readArchive, writeLocalImage } from '../source';
import { type FunctionVersion, VersionStatus } from '../version/version.entity';
import type { VersionQueue } from '../version/version-queue';
import { rolloutStep } from './rollout';

/** How often a version being deployed is looked at while the provider makes it ready. */
export const DEPLOY_POLL_MS = 50;
/** How often the provider is checked for serving versions it lost. */
const PROVIDER_CHECK_MS = 30_000;
/** How long start-up waits for restored versions to be available. */
const BOOT_RESTORE_WAIT_MS = 30_000;

/**
 * Drives function versions toward the provider (DESIGN §6): a CREATING version gets its image
 * (built from the kept source in solo mode), is deployed under its own provider name and, once the
 * provider reports a ready replica, is promoted to serve; the version it replaced is RETIRING and,
 * after RETIRE_DELAY_MS (enough for runs already routed to it and for other replicas' caches), is
 * removed from the provider. A version that cannot become ready is ERROR with the provider's words.
 */
@Injectable()
export class Deployer implements VersionQueue, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly loop: ReconcileLoop;
  private healTimer?: NodeJS.Timeout;
  private providerRestored!: () => void;
  /**
   * Settles once the serving versions were deployed again on the provider at start (or that was
   * tried): queued runs wait for it, so none is sent to a provider that does not have its function yet.
   */
  readonly restored = new Promise<void>((resolve) => (this.providerRestored = resolve));

  constructor(
    private readonly store: FunctionStore,
    @Inject(FUNCTION_PROVIDER) private readonly provider: FunctionProvider,
    @Inject(FUNCTION_CONFIG) private readonly config: FunctionConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly catalog: FunctionCatalog,
  ) {
    this.loop = new ReconcileLoop({
      name: 'function-versions',
      log: logger,
      resyncMs: 10_000,
      listPending: () => this.store.versions.pendingIdsAcrossOrgs(),
      reconcile: (id) => this.reconcile(id),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Before the API answers: a provider that lost the serving versions (faas-local starts empty
    // with every solo start) gets them back, so READY functions are runnable from the first request.
    await this.restoreServing(BOOT_RESTORE_WAIT_MS)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not restore the serving versions on the provider; retrying periodically'))
      .finally(() => this.providerRestored());
    this.healTimer = setInterval(
      () => void this.restoreServing(0).catch((err: unknown) => this.logger.warn({ err }, 'provider check failed')),
      PROVIDER_CHECK_MS,
    );
    this.healTimer.unref();
    await this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.healTimer);
    await this.loop.stop();
  }

  /**
   * Deploys again every serving (READY) version the provider does not have, then waits up to
   * `waitMs` for them to be available. Versions the provider has are left alone.
   */
  async restoreServing(waitMs: number): Promise<number> {
    const serving = await this.store.versions.servingAcrossOrgs();
    if (!serving.length) return 0;
    const present = new Set(await this.provider.deployedNames());
    const missing = serving.filter((v) => !present.has(v.providerName));
    for (const version of missing) {
      const fn = await this.store.functions.byId(version.org, version.functionId);
      if (!fn) continue;
      // The image may be gone with the provider (solo's images live beside it): rebuilt from the kept source.
      const image = await this.imageOf(version);
      await this.provider.deploy({
        providerName: version.providerName,
        image,
        org: fn.org,
        functionName: fn.name,
        version: version.version,
        spec: version.spec,
      });
      this.logger.info({ org: fn.org, function: fn.name, version: version.version }, 'serving version deployed again on the provider');
    }
    const deadline = Date.now() + waitMs;
    for (const version of missing) {
      while (Date.now() < deadline) {
        if ((await this.provider.state(version.providerName)) === 'ready') break;
        await new Promise((r) => setTimeout(r, DEPLOY_POLL_MS));
      }
    }
    return missing.length;
  }

  enqueue(versionId: string): void {
    this.loop.enqueue(versionId);
  }

  async reconcile(id: string): Promise<ReconcileOutcome> {
    const version = await this.store.versions.byIdAcrossOrgs(id);
    if (!version) return { done: true };
    const fn = await this.store.functions.byId(version.org, version.functionId);
    if (version.status === VersionStatus.RETIRING) return this.retire(version, fn);
    if (version.status !== VersionStatus.CREATING) return { done: true };
    if (!fn || fn.status === EntityStatus.DELETING) return this.markRetiring(version);
    // A newer version was asked for meanwhile: this one will never serve.
    if (version.version < fn.latestVersion && (fn.activeVersion ?? 0) >= version.version) return this.markRetiring(version);
    return this.deploy(version, fn);
  }

  private async deploy(version: FunctionVersion, fn: FunctionRecord): Promise<ReconcileOutcome> {
    if (!version.image) {
      let image: string;
      try {
        image = await this.imageOf(version);
      } catch (err) {
        return this.fail(version, fn, (err as Error).message);
      }
      version.image = image;
      await this.store.versions.setImage(version.org, version.id, image);
    }
    const deployment = {
      providerName: version.providerName,
      image: version.image,
      org: fn.org,
      functionName: fn.name,
      version: version.version,
      spec: version.spec,
    };
    const step = await rolloutStep(this.provider, deployment, version.createdTime, this.config.DEPLOY_TIMEOUT_MS);
    if (step.next === 'promote') return this.promote(version, fn);
    if (step.next === 'fail') return this.fail(version, fn, step.why);
    return { requeueAfterMs: DEPLOY_POLL_MS };
  }

  /** The image of a version: the user's, else built from the kept source into the local image layout. */
  private async imageOf(version: FunctionVersion): Promise<string> {
    if (version.spec.image) return version.spec.image;
    if (!version.spec.sourceDigest) throw new Error('the version has neither an image nor source');
    const root = this.config.FUNCTION_IMAGES_DIR;
    if (!root) {
      throw new Error(
        'this deployment builds no images from source (FUNCTION_IMAGES_DIR is unset and image-manager is not part of it yet); create the function with an image',
      );
    }
    const archive = await this.store.sources.archiveOf(version.spec.sourceDigest);
    return (await writeLocalImage(root, await readArchive(archive))).image;
  }

  private async promote(version: FunctionVersion, fn: FunctionRecord): Promise<ReconcileOutcome> {
    const retired = await this.store.transaction(async (tx) => {
      const current = await tx.functions.lockedById(fn.org, fn.id);
      if (!current || current.status === EntityStatus.DELETING) return [];
      // A newer version already serves: this one arrived late and is not needed.
      if ((current.activeVersion ?? 0) > version.version) {
        await tx.versions.setStatus(fn.org, version.id, VersionStatus.RETIRING);
        return [version.id];
      }
      const previous = current.activeVersion === null ? null : await tx.versions.byVersion(fn.org, fn.id, current.activeVersion);
      await tx.versions.setStatus(fn.org, version.id, VersionStatus.READY, []);
      if (previous) await tx.versions.setStatus(fn.org, previous.id, VersionStatus.RETIRING);
      current.activeVersion = version.version;
      if (current.latestVersion === version.version) {
        current.status = EntityStatus.READY;
        current.reason = [];
      }
      await tx.functions.save(current);
      await tx.publishChanged(changedEvent(current));
      return previous ? [previous.id] : [];
    });
    this.catalog.forget(fn.org, fn.name);
    this.logger.info({ org: fn.org, function: fn.name, version: version.version }, 'function version serving');
    for (const id of retired) this.loop.enqueue(id);
    return { done: true };
  }

  private async fail(version: FunctionVersion, fn: FunctionRecord, why: string): Promise<ReconcileOutcome> {
    const reason = [`version ${version.version}: ${why}`];
    await this.store.transaction(async (tx) => {
      await tx.versions.setStatus(fn.org, version.id, VersionStatus.ERROR, reason);
      const current = await tx.functions.lockedById(fn.org, fn.id);
      if (!current || current.status === EntityStatus.DELETING) return;
      // With a version still serving, the function stays READY and says why the new one did not take over.
      current.status = current.activeVersion === null ? EntityStatus.ERROR : EntityStatus.READY;
      current.reason = reason;
      await tx.functions.save(current);
    });
    this.catalog.forget(fn.org, fn.name);
    this.logger.warn({ org: fn.org, function: fn.name, version: version.version, reason: why }, 'function version failed');
    await this.provider.remove(version.providerName).catch(() => undefined);
    return { done: true };
  }

  private async markRetiring(version: FunctionVersion): Promise<ReconcileOutcome> {
    await this.store.versions.setStatus(version.org, version.id, VersionStatus.RETIRING);
    return { requeueAfterMs: 0 };
  }

  private async retire(version: FunctionVersion, fn: FunctionRecord | null): Promise<ReconcileOutcome> {
    const deleting = !fn || fn.status === EntityStatus.DELETING;
    const wait = version.modifiedTime.getTime() + this.config.RETIRE_DELAY_MS - Date.now();
    if (!deleting && wait > 0) return { requeueAfterMs: wait };
    await this.provider.remove(version.providerName);
    await this.store.versions.setStatus(version.org, version.id, VersionStatus.RETIRED);
    if (fn && deleting) await this.removeIfGone(fn);
    return { done: true };
  }

  /** The last version of a deleted function is off the provider: its rows go. */
  private async removeIfGone(fn: FunctionRecord): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (await tx.versions.countLive(fn.org, fn.id)) return;
      await tx.versions.removeOfFunction(fn.org, fn.id);
      await tx.functions.remove(fn.org, fn.id);
      await tx.publishChanged({ id: fn.id, org: fn.org, name: fn.name, status: 'DELETED', revision: fn.latestVersion + 1 });
    });
    this.catalog.forget(fn.org, fn.name);
  }
}

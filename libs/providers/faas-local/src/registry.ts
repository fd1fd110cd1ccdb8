import type { Logger } from 'pino';
import { resolveDeployment, type DeploymentRules } from './deployment';
import { FunctionPool, type PoolContext } from './pool';

export type ChangeResult = { ok: true } | { ok: false; status: 400 | 404 | 409; message: string };

/**
 * The deployed functions by name, each with its pool. Functions are keyed by name alone: a
 * name is unique across namespaces here, and a call naming another namespace is not found.
 */
export class FunctionRegistry {
  private readonly pools = new Map<string, FunctionPool>();
  /** Deleted functions whose workers still finish their calls. */
  private readonly retiring = new Set<FunctionPool>();

  constructor(
    private readonly rules: DeploymentRules,
    private readonly ctx: PoolContext,
    private readonly logger: Logger,
  ) {}

  get(name: string, namespace?: string): FunctionPool | undefined {
    const pool = this.pools.get(name);
    if (!pool || (namespace !== undefined && namespace !== pool.spec.namespace)) return undefined;
    return pool;
  }

  list(namespace?: string): FunctionPool[] {
    return [...this.pools.values()].filter((p) => namespace === undefined || p.spec.namespace === namespace);
  }

  /** POST: a new function; an existing name is a 409 (re-deploying is what PUT is for). */
  deploy(body: unknown): ChangeResult {
    const spec = resolveDeployment(body, this.rules);
    if (!spec.ok) return { ok: false, status: 400, message: spec.problem };
    if (this.pools.has(spec.value.name)) {
      return { ok: false, status: 409, message: `function ${spec.value.name} already exists: update it with PUT /system/functions` };
    }
    const pool = new FunctionPool(spec.value, this.ctx);
    this.pools.set(spec.value.name, pool);
    this.logger.info({ function: spec.value.name, image: spec.value.image }, 'function deployed');
    pool.start();
    return { ok: true };
  }

  /** PUT: replaces the spec of an existing function; its workers roll over without failing a call. */
  update(body: unknown): ChangeResult {
    const spec = resolveDeployment(body, this.rules);
    if (!spec.ok) return { ok: false, status: 400, message: spec.problem };
    const pool = this.pools.get(spec.value.name);
    if (!pool) return { ok: false, status: 404, message: `function ${spec.value.name} not found` };
    pool.update(spec.value);
    this.logger.info({ function: spec.value.name, image: spec.value.image }, 'function updated');
    return { ok: true };
  }

  /** DELETE: gone from the routes at once; its workers finish their calls in the background. */
  remove(name: string, namespace?: string): boolean {
    const pool = this.get(name, namespace);
    if (!pool) return false;
    this.pools.delete(name);
    this.retiring.add(pool);
    void pool.delete().then(() => this.retiring.delete(pool));
    this.logger.info({ function: name }, 'function deleted');
    return true;
  }

  /** The monitor's beat: memory limits, scaling, back-off expiry. */
  tick(): void {
    for (const pool of this.pools.values()) pool.tick();
    for (const pool of this.retiring) pool.tick();
  }

  async shutdown(drainMs: number): Promise<void> {
    const pools = [...this.pools.values(), ...this.retiring];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.shutdown(drainMs)));
    this.retiring.clear();
  }

  killNow(): void {
    for (const pool of [...this.pools.values(), ...this.retiring]) pool.killNow();
  }
}

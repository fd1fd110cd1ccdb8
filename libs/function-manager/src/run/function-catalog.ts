import { Injectable } from '@nestjs/common';
import { TtlCache } from '@dispatch/platform';
import { functionNotFound } from '../function/function-not-found';
import { compileSchema } from '../function/json-schemas';
import { FunctionStore } from '../persistence/function-store';
import type { ActiveFunction } from './active-function';

/** How long another replica's change may take to be seen here when its event is missed. */
export const CATALOG_TTL_MS = 2000;

/**
 * The functions runs are made of, cached: a run must not cost a database read and a schema
 * compile. Entries are dropped on this process's own changes and expire after CATALOG_TTL_MS, which
 * is how other replicas' changes arrive; a replaced version keeps serving for longer than that
 * (RETIRE_DELAY_MS), so a stale entry still reaches a live version.
 */
@Injectable()
export class FunctionCatalog {
  private readonly entries = new TtlCache<ActiveFunction>();

  constructor(private readonly store: FunctionStore) {}

  async get(org: string, name: string): Promise<ActiveFunction> {
    const key = `${org}/${name}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const fn = await this.load(org, name);
    this.entries.set(key, fn, CATALOG_TTL_MS);
    return fn;
  }

  forget(org: string, name: string): void {
    this.entries.delete(`${org}/${name}`);
  }

  private async load(org: string, name: string): Promise<ActiveFunction> {
    const record = await this.store.functions.byName(org, name);
    if (!record) throw functionNotFound(name);
    const version = record.activeVersion === null ? null : await this.store.versions.byVersion(org, record.id, record.activeVersion);
    const spec = version?.spec ?? record.spec;
    return {
      id: record.id,
      org,
      name,
      status: record.status,
      version: version?.version ?? null,
      providerName: version?.providerName ?? null,
      spec,
      ...(spec.inputSchema ? { validateInput: compileSchema('inputSchema', spec.inputSchema) } : {}),
      ...(spec.outputSchema ? { validateOutput: compileSchema('outputSchema', spec.outputSchema) } : {}),
    };
  }
}

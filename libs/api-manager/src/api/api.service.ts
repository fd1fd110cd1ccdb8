import { Inject, Injectable } from '@nestjs/common';
import { EntityStatus, ErrorCode, type Page, type Tag } from '@dispatch/contracts';
import { DispatchError, pageByName, type PageRequest } from '@dispatch/platform';
import { API_CONFIG, type ApiConfig } from '../api-config';
import { declarativeConfig, type KongDeclarativeConfig } from '../kong/kong-export';
import { ApiStore } from '../persistence/api-store';
import { GatewayReconciler } from '../reconcile/gateway-reconciler';
import type { ApiRecord } from './api.entity';
import type { ApiRepository } from './api.repository';
import { routeKeys, type ApiSpec } from './api-spec';
import type { ApiView } from './api-view';
import { apiViewOf } from './api-view-of';
import { FunctionReferences } from './function-references';

export interface ApiChanges {
  spec: ApiSpec;
  tags: Tag[];
}
export interface NewApi extends ApiChanges {
  name: string;
}

/**
 * APIs: a function served by the gateway on paths, hosts and methods. A write stores the spec and
 * hands it to the reconcile loop, which drives the gateway and sets READY once it serves it.
 */
@Injectable()
export class ApisService {
  constructor(
    private readonly store: ApiStore,
    private readonly functions: FunctionReferences,
    private readonly gateway: GatewayReconciler,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async create(org: string, body: NewApi): Promise<ApiView> {
    await this.functions.assertExists(org, body.spec.function);
    const keys = routeKeys(org, body.spec);
    const created = await this.store.transaction(async (apis) => {
      await apis.lockRoutes();
      if (await apis.byName(org, body.name)) {
        throw new DispatchError(ErrorCode.NAME_CONFLICT, `API "${body.name}" already exists in org "${org}"; choose another name`, {
          name: body.name,
        });
      }
      await assertRoutesFree(apis, keys, undefined);
      return apis.save(
        apis.build({
          org,
          name: body.name,
          spec: body.spec,
          routeKeys: keys,
          tags: body.tags,
          generation: 1,
          status: EntityStatus.CREATING,
          reason: this.gateway.pendingReason(),
        }),
      );
    });
    this.gateway.kick();
    return apiViewOf(created);
  }

  async list(org: string, page: PageRequest): Promise<Page<ApiView>> {
    return pageByName(await this.store.apis.page(org, page.after, page.limit), page.limit, apiViewOf);
  }

  async get(org: string, name: string): Promise<ApiView> {
    return apiViewOf(notFoundUnless(name, await this.store.apis.byName(org, name)));
  }

  /**
   * The org's APIs as a Kong declarative config: what the reconcile loop drives the gateway toward
   * (the same upstream settings), the gateway's shared secret left out. An API being deleted is no
   * longer wanted, and is not in it.
   */
  async exportConfig(org: string): Promise<KongDeclarativeConfig> {
    const apis = (await this.store.apis.all(org)).filter((api) => api.status !== EntityStatus.DELETING);
    return declarativeConfig(org, apis, {
      functionManagerUrl: this.config.FUNCTION_MANAGER_URL,
      timeoutMs: this.config.API_UPSTREAM_TIMEOUT_MS,
    });
  }

  /** Replaces the spec and tags; the gateway follows, and the API is READY again once it serves the new spec. */
  async update(org: string, name: string, body: ApiChanges): Promise<ApiView> {
    await this.functions.assertExists(org, body.spec.function);
    const keys = routeKeys(org, body.spec);
    const updated = await this.store.transaction(async (apis) => {
      await apis.lockRoutes();
      const api = notFoundUnless(name, await apis.lockedByName(org, name));
      if (api.status === EntityStatus.DELETING) {
        throw new DispatchError(ErrorCode.NOT_READY, `API "${name}" is being deleted; create it again once it is gone`);
      }
      await assertRoutesFree(apis, keys, api.id);
      const status = api.status === EntityStatus.CREATING ? EntityStatus.CREATING : EntityStatus.UPDATING;
      return apis.save(
        Object.assign(api, {
          spec: body.spec,
          routeKeys: keys,
          tags: body.tags,
          generation: api.generation + 1,
          status,
          reason: this.gateway.pendingReason(),
        }),
      );
    });
    this.gateway.kick();
    return apiViewOf(updated);
  }

  /**
   * Marks the API DELETING; the reconcile loop removes its gateway entities and then the API.
   * Without a gateway there is nothing to remove, and it goes at once.
   */
  async delete(org: string, name: string): Promise<void> {
    await this.store.transaction(async (apis) => {
      const api = notFoundUnless(name, await apis.lockedByName(org, name));
      if (!this.gateway.configured) return apis.remove(org, api.id);
      // Its paths are free at once: the gateway lets go of them on the next pass.
      await apis.save(Object.assign(api, { status: EntityStatus.DELETING, reason: [], routeKeys: [] }));
    });
    this.gateway.kick();
  }
}

function notFoundUnless(name: string, api: ApiRecord | null): ApiRecord {
  if (!api) throw new DispatchError(ErrorCode.NOT_FOUND, `API "${name}" not found; list the org's APIs with GET /v1/api`);
  return api;
}

async function assertRoutesFree(apis: ApiRepository, keys: string[], id: string | undefined): Promise<void> {
  const holder = await apis.routeHolderAcrossOrgs(keys, id);
  if (!holder) return;
  const taken = holder.shared.map((k) => {
    const [host, path] = k.split(' ');
    return host === '*' ? path : `${host}${path}`;
  });
  throw new DispatchError(
    ErrorCode.ROUTE_CONFLICT,
    `${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} already served by another API on the same host; choose other paths or hosts`,
    // Another org's API is not named: its names are that org's business.
    { paths: taken },
  );
}

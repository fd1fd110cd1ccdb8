import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { EntityStatus } from '@dispatch/contracts';
import {
  type KongAdminClient,
  KongApiError,
  type KongPlugin,
  type KongRoute,
  type KongService,
  KongUnavailableError,
} from '@dispatch/kong-client';
import { LOGGER, PeriodicTask } from '@dispatch/platform';
import { API_CONFIG, type ApiConfig } from '../api-config';
import type { ApiRecord } from '../api/api.entity';
import { DISPATCH_TAG, differs, wantedEntities, type WantedEntities } from '../kong/kong-mapping';
import { ApiStore } from '../persistence/api-store';

/** The Kong Admin API client, or null when no gateway is configured. */
export const KONG_ADMIN = Symbol.for('dispatch.api-manager.kong-admin');

export const NO_GATEWAY_REASON =
  'no gateway is configured (KONG_ADMIN_URL is unset): the API is kept, and served once api-manager drives a gateway';

/** What Kong reports of the platform's entities, by name. */
interface GatewayState {
  services: Map<string, KongService>;
  routes: Map<string, KongRoute>;
  plugins: Map<string, KongPlugin>;
}

/**
 * Drives Kong toward the APIs (DESIGN §6): each pass lists every entity tagged `dispatch` (paged,
 * filtered by tag), compares it with the wanted entities of every API, writes what is missing or
 * differs (PUT by name: idempotent) and deletes what no API wants any more, so an entity changed or
 * deleted by hand in Kong is put back within one pass. An API is READY once its entities are in
 * place, ERROR with Kong's reason when Kong refuses them; when Kong cannot be reached the statuses
 * stay as they are and the next pass tries again. A pass runs every API_RESYNC_MS and right after
 * each change; without a gateway nothing runs.
 */
@Injectable()
export class GatewayReconciler implements OnModuleInit, OnApplicationShutdown {
  private readonly task: PeriodicTask | undefined;
  private again = false;

  constructor(
    @Inject(KONG_ADMIN) private readonly kong: KongAdminClient | null,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly store: ApiStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.task = kong
      ? new PeriodicTask(
          () => this.passes(),
          config.API_RESYNC_MS,
          (err) => logger.warn({ err }, 'gateway reconcile pass failed; retrying on the next period'),
        )
      : undefined;
  }

  get configured(): boolean {
    return this.kong !== null;
  }

  /** The reason a freshly written API starts with: why it will not become READY, if it will not. */
  pendingReason(): string[] {
    return this.configured ? [] : [NO_GATEWAY_REASON];
  }

  onModuleInit(): void {
    if (!this.task) this.logger.info('no Kong Admin API configured (KONG_ADMIN_URL): APIs are stored but not served');
    this.task?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task?.stop();
    this.kong?.close();
  }

  /** Asks for a pass now; one asked during a pass runs right after it, so no change waits for the period. */
  kick(): void {
    if (!this.task) return;
    this.again = true;
    void this.task.runNow();
  }

  /** Runs passes until none was asked for during the last; resolves when the gateway matched the APIs read by the last. */
  async passes(): Promise<void> {
    do {
      this.again = false;
      await this.pass();
    } while (this.again);
  }

  private async pass(): Promise<void> {
    const kong = this.kong;
    if (!kong) return;
    const apis = await this.store.apis.allAcrossOrgs();
    let state: GatewayState;
    try {
      state = await this.read(kong);
    } catch (err) {
      if (!(err instanceof KongUnavailableError)) throw err;
      this.logger.warn({ err: err.message }, 'Kong Admin API unavailable; API statuses kept, retrying on the next pass');
      return;
    }
    const wanted = new Set<string>();
    const upstream = {
      functionManagerUrl: this.config.FUNCTION_MANAGER_URL,
      timeoutMs: this.config.API_UPSTREAM_TIMEOUT_MS,
      gatewaySecret: this.config.GATEWAY_SHARED_SECRET ?? '',
    };
    for (const api of apis) {
      if (api.status === EntityStatus.DELETING) continue;
      const entities = wantedEntities(api, upstream);
      wanted.add(`service ${entities.name}`).add(`route ${entities.name}`);
      for (const p of entities.plugins) wanted.add(`plugin ${p.instanceName}`);
      try {
        // A spec changed since the gateway last served it is written whole: a PUT replaces, so a
        // field it no longer sets goes back to Kong's default, which a field-by-field look would miss.
        await this.apply(kong, entities, state, api.status !== EntityStatus.READY);
      } catch (err) {
        if (err instanceof KongUnavailableError) {
          this.logger.warn({ err: err.message }, 'Kong Admin API unavailable; API statuses kept, retrying on the next pass');
          return;
        }
        if (!(err instanceof KongApiError)) throw err;
        await this.record(api, EntityStatus.ERROR, [`the gateway refused the API: ${err.message}`]);
        continue;
      }
      await this.record(api, EntityStatus.READY, []);
    }
    try {
      await this.prune(kong, state, wanted);
    } catch (err) {
      if (!(err instanceof KongUnavailableError)) throw err;
      this.logger.warn({ err: err.message }, 'Kong Admin API unavailable; deletions retried on the next pass');
      return;
    }
    // Everything a deleted API had in Kong is gone now: the API goes too.
    for (const api of apis) if (api.status === EntityStatus.DELETING) await this.store.apis.removeDeleted(api.org, api.id);
  }

  private async read(kong: KongAdminClient): Promise<GatewayState> {
    const byName = <T extends { name?: string; instance_name?: string }>(list: T[]) =>
      new Map(list.flatMap((e) => ((e.instance_name ?? e.name) ? [[(e.instance_name ?? e.name)!, e] as const] : [])));
    const tags = [DISPATCH_TAG];
    const [services, routes, plugins] = await Promise.all([
      kong.listAll('services', { tags }),
      kong.listAll('routes', { tags }),
      kong.listAll('plugins', { tags }),
    ]);
    return { services: byName(services), routes: byName(routes), plugins: byName(plugins) };
  }

  /** Writes each of the API's entities that Kong lacks or holds otherwise; all of them when `all`. */
  private async apply(kong: KongAdminClient, wanted: WantedEntities, state: GatewayState, all: boolean): Promise<void> {
    const service = state.services.get(wanted.name);
    if (all || !service || differs(wanted.service, service)) await kong.upsertService(wanted.name, wanted.service);
    const route = state.routes.get(wanted.name);
    // Hosts are sent only when the API has some: none must read back as none.
    const routeDrifted = route && (differs({ hosts: [], ...wanted.route }, { hosts: [], ...route }) || route.service?.id !== service?.id);
    if (all || !route || routeDrifted) await kong.upsertRoute(wanted.name, wanted.route, { service: wanted.name });
    for (const { instanceName, plugin } of wanted.plugins) {
      const actual = state.plugins.get(instanceName);
      if (all || !actual || differs(plugin, actual)) await kong.upsertPlugin(instanceName, plugin, { service: wanted.name });
    }
  }

  /** Deletes the platform's entities no API wants: plugins and routes before the services they hang on. */
  private async prune(kong: KongAdminClient, state: GatewayState, wanted: Set<string>): Promise<void> {
    for (const name of state.plugins.keys()) if (!wanted.has(`plugin ${name}`)) await kong.deletePlugin(name);
    for (const name of state.routes.keys()) if (!wanted.has(`route ${name}`)) await kong.deleteRoute(name);
    for (const name of state.services.keys()) if (!wanted.has(`service ${name}`)) await kong.deleteService(name);
  }

  private async record(api: ApiRecord, status: EntityStatus, reason: string[]): Promise<void> {
    if (api.status === status && api.reason.join('\n') === reason.join('\n')) return;
    await this.store.apis.setStatus(api.org, api.id, api.generation, status, reason);
  }
}

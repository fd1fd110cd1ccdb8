import type { GatewayState, KongConsumer, KongKeyAuthCredential, KongPlugin } from '../kong-entities';
import type { PluginLookups } from '../plugins/plugin';
import type { AnyPlugin } from '../plugins/registry';
import { PluginConfigError, validatePlugin } from '../plugins/validate';
import { Router } from '../router';

export interface ConfiguredPlugin {
  entity: KongPlugin;
  plugin: AnyPlugin;
  config: Record<string, unknown>;
  protocols: string[];
}

interface Scope {
  route: string | undefined;
  service: string | undefined;
  consumer: string | undefined;
}

/**
 * Kong's precedence when one plugin is configured at several scopes: the most specific wins, in
 * this order (consumer+route+service first, global last).
 */
const PRECEDENCE: (keyof Scope)[][] = [
  ['consumer', 'route', 'service'],
  ['consumer', 'route'],
  ['consumer', 'service'],
  ['route', 'service'],
  ['consumer'],
  ['route'],
  ['service'],
  [],
];

function rankOf(entity: KongPlugin): number {
  const set = (['consumer', 'route', 'service'] as const).filter((field) => entity[field]?.id);
  return PRECEDENCE.findIndex((scope) => scope.length === set.length && scope.every((field) => set.includes(field)));
}

/**
 * A GatewayState validated and indexed for serving: its router, its plugins with their configs
 * checked and defaulted, and the lookups the auth plugins make. Building one throws
 * RouteConfigError or PluginConfigError for a state Kong would refuse, so a bad state never serves.
 */
export class CompiledState implements PluginLookups {
  readonly router: Router;
  /** Plugin names in Kong's execution order (higher priority first). */
  readonly pluginOrder: AnyPlugin[];
  private readonly configured = new Map<string, ConfiguredPlugin[]>();
  private readonly consumers = new Map<string, KongConsumer>();
  private readonly credentials = new Map<string, KongKeyAuthCredential>();
  private readonly groups = new Map<string, string[]>();

  constructor(state: GatewayState, available: Map<string, AnyPlugin>) {
    this.router = new Router(state.routes, state.services);
    for (const entity of state.plugins) {
      const plugin = available.get(entity.name);
      if (!plugin)
        throw new PluginConfigError(entity.id, {
          name: `plugin '${entity.name}' not enabled; add it to the 'plugins' configuration property`,
        });
      const { config, protocols } = validatePlugin(entity, plugin);
      if (entity.enabled === false) continue;
      const list = this.configured.get(entity.name) ?? [];
      list.push({ entity, plugin, config, protocols });
      this.configured.set(entity.name, list);
    }
    for (const list of this.configured.values()) list.sort((a, b) => rankOf(a.entity) - rankOf(b.entity));
    this.pluginOrder = [...available.values()].filter((plugin) => this.configured.has(plugin.name)).sort((a, b) => b.priority - a.priority);
    for (const consumer of state.consumers) {
      this.consumers.set(consumer.id, consumer);
      if (consumer.username) this.consumers.set(consumer.username, consumer);
    }
    for (const credential of state.keyauth_credentials) this.credentials.set(credential.key, credential);
    for (const acl of state.acls) this.groups.set(acl.consumer.id, [...(this.groups.get(acl.consumer.id) ?? []), acl.group]);
  }

  /** The configuration of a plugin that applies to this request, if any (most specific scope). */
  pluginFor(name: string, scope: Scope, protocol: string): ConfiguredPlugin | undefined {
    return this.configured
      .get(name)
      ?.find(
        ({ entity, protocols }) =>
          (!entity.route?.id || entity.route.id === scope.route) &&
          (!entity.service?.id || entity.service.id === scope.service) &&
          (!entity.consumer?.id || entity.consumer.id === scope.consumer) &&
          (protocols.length === 0 || protocols.includes(protocol)),
      );
  }

  consumer(idOrUsername: string): KongConsumer | undefined {
    return this.consumers.get(idOrUsername);
  }

  keyAuthCredential(key: string): KongKeyAuthCredential | undefined {
    return this.credentials.get(key);
  }

  consumerGroups(consumerId: string): string[] {
    return this.groups.get(consumerId) ?? [];
  }
}

import type { GatewayState, KongPlugin } from '../kong-entities';
import { emptyGatewayState } from '../kong-entities';
import { bundledPlugins } from '../plugins/registry';
import { PluginConfigError } from '../plugins/validate';
import { RouteConfigError } from '../router';
import { CompiledState } from './compiled-state';

function stateWith(plugins: KongPlugin[]): GatewayState {
  return {
    ...emptyGatewayState(),
    services: [{ id: 's1', protocol: 'http', host: 'h' }],
    routes: [{ id: 'r1', paths: ['/'], service: { id: 's1' } }],
    consumers: [{ id: 'c1', username: 'ann' }],
    plugins,
  };
}

function limit(id: string, scope: Partial<Pick<KongPlugin, 'route' | 'service' | 'consumer' | 'enabled' | 'protocols'>>): KongPlugin {
  return { id, name: 'rate-limiting', config: { minute: 1 }, ...scope };
}

describe('CompiledState', () => {
  it('picks the most specific plugin configuration, as Kong ranks them', () => {
    const compiled = new CompiledState(
      stateWith([
        limit('global', {}),
        limit('service', { service: { id: 's1' } }),
        limit('route', { route: { id: 'r1' } }),
        limit('route+service', { route: { id: 'r1' }, service: { id: 's1' } }),
        limit('consumer', { consumer: { id: 'c1' } }),
        limit('consumer+route', { consumer: { id: 'c1' }, route: { id: 'r1' } }),
      ]),
      bundledPlugins(),
    );
    const pick = (route?: string, service?: string, consumer?: string) =>
      compiled.pluginFor('rate-limiting', { route, service, consumer }, 'http')?.entity.id;
    expect(pick('r1', 's1', 'c1')).toBe('consumer+route');
    expect(pick('r2', 's1', 'c1')).toBe('consumer');
    expect(pick('r1', 's1')).toBe('route+service');
    expect(pick('r1', 's2')).toBe('route');
    expect(pick('r2', 's1')).toBe('service');
    expect(pick('r2', 's2')).toBe('global');
  });

  it('skips disabled plugins and those not configured for the protocol', () => {
    const compiled = new CompiledState(
      stateWith([
        limit('off', { route: { id: 'r1' }, enabled: false }),
        limit('grpc-only', { service: { id: 's1' }, protocols: ['grpc'] }),
        limit('global', {}),
      ]),
      bundledPlugins(),
    );
    expect(compiled.pluginFor('rate-limiting', { route: 'r1', service: 's1', consumer: undefined }, 'http')?.entity.id).toBe('global');
  });

  it("orders plugins by Kong's priorities", () => {
    const compiled = new CompiledState(
      stateWith([
        { id: 'a', name: 'acl', config: { allow: ['x'] } },
        limit('b', {}),
        { id: 'c', name: 'key-auth', config: {} },
        { id: 'd', name: 'request-size-limiting', config: {} },
        { id: 'e', name: 'cors', config: {} },
      ]),
      bundledPlugins(),
    );
    expect(compiled.pluginOrder.map((plugin) => plugin.name)).toEqual([
      'cors',
      'key-auth',
      'request-size-limiting',
      'acl',
      'rate-limiting',
    ]);
  });

  it('refuses unknown plugins, invalid configs and broken routes', () => {
    expect(() => new CompiledState(stateWith([{ id: 'x', name: 'jwt', config: {} }]), bundledPlugins())).toThrow(
      /plugin 'jwt' not enabled/,
    );
    expect(() => new CompiledState(stateWith([{ id: 'x', name: 'acl', config: {} }]), bundledPlugins())).toThrow(PluginConfigError);
    const badRoute = { ...stateWith([]), routes: [{ id: 'r', paths: ['~(['] }] };
    expect(() => new CompiledState(badRoute, bundledPlugins())).toThrow(RouteConfigError);
  });

  it('finds consumers by id or username, credentials by key, and groups by consumer', () => {
    const compiled = new CompiledState(
      {
        ...stateWith([]),
        keyauth_credentials: [{ id: 'k', key: 'secret', consumer: { id: 'c1' } }],
        acls: [
          { id: 'g1', group: 'a', consumer: { id: 'c1' } },
          { id: 'g2', group: 'b', consumer: { id: 'c1' } },
        ],
      },
      bundledPlugins(),
    );
    expect(compiled.consumer('ann')?.id).toBe('c1');
    expect(compiled.consumer('c1')?.username).toBe('ann');
    expect(compiled.keyAuthCredential('secret')?.id).toBe('k');
    expect(compiled.consumerGroups('c1')).toEqual(['a', 'b']);
    expect(compiled.consumerGroups('c2')).toEqual([]);
  });
});

import { emptyGatewayState } from '../kong-entities';
import { PluginConfigError } from '../plugins/validate';
import { RouteConfigError } from '../router';
import { startGatewayProxy, validateGatewayState } from './gateway-proxy';

describe('validateGatewayState', () => {
  it('accepts an empty state and a valid one', () => {
    expect(() => validateGatewayState(emptyGatewayState())).not.toThrow();
    expect(() =>
      validateGatewayState({
        ...emptyGatewayState(),
        services: [{ id: 's', protocol: 'http', host: 'h' }],
        routes: [{ id: 'r', paths: ['/'], service: { id: 's' } }],
        plugins: [{ id: 'p', name: 'rate-limiting', route: { id: 'r' }, config: { minute: 5 } }],
      }),
    ).not.toThrow();
  });

  it('names what Kong would refuse', () => {
    expect(() => validateGatewayState({ ...emptyGatewayState(), routes: [{ id: 'r', paths: ['~/(x'] }] })).toThrow(RouteConfigError);
    expect(() =>
      validateGatewayState({ ...emptyGatewayState(), plugins: [{ id: 'p', name: 'request-size-limiting', config: { size_unit: 'GB' } }] }),
    ).toThrow(PluginConfigError);
  });

  it('keeps the proxy from starting on an invalid state', async () => {
    await expect(
      startGatewayProxy({ port: 0, state: { ...emptyGatewayState(), plugins: [{ id: 'p', name: 'acl', config: {} }] } }),
    ).rejects.toThrow(/at least one of these fields must be non-empty: 'config.allow', 'config.deny'/);
  });
});

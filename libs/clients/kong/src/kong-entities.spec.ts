import { collectionPath, segment } from './kong-entities';

describe('collection paths', () => {
  it('nests a collection under its parent as the Admin API does', () => {
    expect(collectionPath('services')).toBe('/services');
    expect(collectionPath('routes', { service: 'hello' })).toBe('/services/hello/routes');
    expect(collectionPath('plugins', { route: 'hello-get' })).toBe('/routes/hello-get/plugins');
    expect(collectionPath('key-auths')).toBe('/key-auths');
    expect(collectionPath('key-auths', { consumer: 'alice' })).toBe('/consumers/alice/key-auth');
    expect(collectionPath('jwts', { consumer: 'alice' })).toBe('/consumers/alice/jwt');
    expect(collectionPath('acls', { consumer: 'alice' })).toBe('/consumers/alice/acls');
  });

  it('refuses a nesting Kong does not have, and names that are not one path segment', () => {
    expect(() => collectionPath('consumers', { service: 'x' })).toThrow(
      'consumers cannot be listed by service: Kong nests them by nothing',
    );
    expect(() => collectionPath('plugins', { service: 'a', route: 'b' })).toThrow(/only by service or route/);
    for (const bad of ['', 'a/b', '../x', 'a b', 'a?b', '%2F']) expect(() => segment('service', bad)).toThrow(/cannot name a Kong entity/);
    expect(segment('service', 'acme.hello-1_v2~x')).toBe('acme.hello-1_v2~x');
    expect(segment('consumer', 'acme:alice')).toBe('acme%3Aalice');
  });
});

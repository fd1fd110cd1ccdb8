import { kongPluginProblems } from '@dispatch/kong-client/contract-checks';
import type { ApiSpec } from '../api/api-spec';
import { differs, kongName, wantedEntities } from './kong-mapping';

const spec = (over: Partial<ApiSpec> = {}): ApiSpec => ({
  function: 'hello-fn',
  methods: ['GET', 'POST'],
  paths: ['/hello'],
  hosts: [],
  protocols: ['http', 'https'],
  authentication: 'public',
  cors: null,
  rateLimit: null,
  requestSizeLimit: null,
  enabled: true,
  ...over,
});
const SECRET = 'gateway-secret-0123456789';
const upstream = { functionManagerUrl: 'http://function-manager:8080', timeoutMs: 300_000, gatewaySecret: SECRET };

describe('wantedEntities', () => {
  it("points one service at function-manager's invoke route of the function, and routes the org's paths to it", () => {
    const w = wantedEntities({ org: 'acme', name: 'hello', spec: spec() }, upstream);
    expect(w.name).toBe('acme.hello');
    expect(w.service).toMatchObject({
      protocol: 'http',
      host: 'function-manager',
      port: 8080,
      path: '/v1/invoke/acme/hello-fn',
      enabled: true,
    });
    expect(w.route).toMatchObject({ paths: ['/acme/hello'], methods: ['GET', 'POST'], protocols: ['http', 'https'], strip_path: true });
    expect(w.route.hosts).toBeUndefined();
    expect(w.plugins.map((p) => p.instanceName)).toEqual(['acme.hello.request-transformer']);
    for (const tags of [w.service.tags, w.route.tags]) expect(tags).toEqual(['dispatch', 'org:acme', 'api:hello']);
  });

  it('serves paths as given when hosts tell the orgs apart, and keeps a base path and https of the upstream', () => {
    const w = wantedEntities(
      { org: 'acme', name: 'hello', spec: spec({ hosts: ['api.example.com'], protocols: ['https'], enabled: false }) },
      { functionManagerUrl: 'https://fm.internal/base/', timeoutMs: 1000, gatewaySecret: SECRET },
    );
    expect(w.route).toMatchObject({ paths: ['/hello'], hosts: ['api.example.com'], protocols: ['https'] });
    expect(w.service).toMatchObject({ protocol: 'https', port: 443, path: '/base/v1/invoke/acme/hello-fn', enabled: false });
  });

  it('adds a plugin per feature, each accepted by its Kong schema, and OPTIONS to the route for CORS preflights', () => {
    const w = wantedEntities(
      {
        org: 'acme',
        name: 'hello',
        spec: spec({
          authentication: 'api-key',
          cors: {
            origins: ['https://app.example.com'],
            methods: ['GET'],
            headers: ['x-a'],
            exposedHeaders: [],
            credentials: true,
            maxAgeSeconds: 60,
          },
          rateLimit: { second: 5, minute: 100 },
          requestSizeLimit: 4096,
        }),
      },
      upstream,
    );
    expect(w.route.methods).toEqual(['GET', 'POST', 'OPTIONS']);
    expect(w.plugins.map((p) => p.instanceName)).toEqual([
      'acme.hello.cors',
      'acme.hello.rate-limiting',
      'acme.hello.request-size-limiting',
      'acme.hello.request-transformer',
    ]);
    expect(w.plugins[1].plugin.config).toEqual({ second: 5, minute: 100, policy: 'local', limit_by: 'ip' });
    expect(w.plugins[2].plugin.config).toEqual({ allowed_payload_size: 4096, size_unit: 'bytes' });
    for (const { plugin } of w.plugins) {
      expect(kongPluginProblems(plugin)).toEqual([]);
      expect(plugin.tags).toEqual(['dispatch', 'org:acme', 'api:hello']);
    }
  });

  it("sets the gateway's headers for the invoke route after removing any a client sent, so none can be forged", () => {
    const w = wantedEntities({ org: 'acme', name: 'hello', spec: spec({ authentication: 'idp-token' }) }, upstream);
    const transformer = w.plugins.find((p) => p.plugin.name === 'request-transformer');
    expect(transformer?.plugin.config).toEqual({
      remove: { headers: ['x-dispatch-gateway-secret', 'x-dispatch-auth', 'x-dispatch-api'] },
      add: { headers: [`x-dispatch-gateway-secret:${SECRET}`, 'x-dispatch-auth:idp-token', 'x-dispatch-api:hello'] },
    });
    expect(kongPluginProblems(transformer!.plugin)).toEqual([]);
  });

  it("serves an org's root as /<org>/ and exactly /<org>, never as a prefix of a longer org's paths", () => {
    const w = wantedEntities({ org: 'ac', name: 'home', spec: spec({ paths: ['/', '/docs'] }) }, upstream);
    expect(w.route.paths).toEqual(['/ac/', '~/ac$', '/ac/docs']);
    const hosted = wantedEntities({ org: 'ac', name: 'home', spec: spec({ paths: ['/'], hosts: ['ac.example.com'] }) }, upstream);
    expect(hosted.route.paths).toEqual(['/']);
  });

  it('names an IPv6 upstream by its address, without the brackets of its URL', () => {
    const w = wantedEntities({ org: 'acme', name: 'hello', spec: spec() }, { ...upstream, functionManagerUrl: 'http://[::1]:8080' });
    expect(w.service).toMatchObject({ host: '::1', port: 8080 });
  });

  it('names entities so that no two (org, API) pairs share one', () => {
    expect(kongName('a-b', 'c')).not.toBe(kongName('a', 'b-c'));
  });
});

describe('differs', () => {
  it('ignores what Kong adds, but not a field written that reads back otherwise', () => {
    expect(differs({ paths: ['/a'], config: { minute: 1 } }, { paths: ['/a'], id: 'x', config: { minute: 1, policy: 'local' } })).toBe(
      false,
    );
    expect(differs({ paths: ['/a'] }, { paths: ['/a', '/b'] })).toBe(true);
    expect(differs({ config: { minute: 1 } }, { config: { minute: 2 } })).toBe(true);
    expect(differs({ hosts: ['h'] }, {})).toBe(true);
  });
});

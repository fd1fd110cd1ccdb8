import { readFileSync } from 'node:fs';
import { describeProblems, kongDeclarativeProblems, KONG_PLUGIN_SCHEMAS } from '@dispatch/kong-client/contract-checks';
import { sharedSpecPath } from '@dispatch/testing';
import type { ApiSpec } from '../api/api-spec';
import {
  declarativeConfig,
  EXPORT_SECRET_PLACEHOLDER,
  KONG_PATH_HANDLING,
  KONG_PLUGIN_DEFAULTS,
  KONG_PLUGIN_PROTOCOLS,
} from './kong-export';
import { wantedEntities } from './kong-mapping';

const spec = (over: Partial<ApiSpec> = {}): ApiSpec => ({
  function: 'hello-fn',
  methods: ['GET'],
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
const upstream = { functionManagerUrl: 'http://function-manager:8080', timeoutMs: 60_000 };
const everything = spec({
  authentication: 'api-key',
  hosts: ['api.example.com'],
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
});

describe('declarativeConfig', () => {
  const apis = [
    { org: 'acme', name: 'zeta', spec: spec({ paths: ['/zeta'] }) },
    { org: 'acme', name: 'all', spec: everything },
    { org: 'acme', name: 'off', spec: spec({ paths: ['/off'], enabled: false }) },
  ];
  const config = declarativeConfig('acme', apis, upstream);

  it("is decK's file: valid against kong_json_schema.json, each plugin against its Kong schema", () => {
    expect(config._format_version).toBe('3.0');
    expect(describeProblems(kongDeclarativeProblems(config))).toEqual([]);
    // The check finds what it should: a field decK does not know, a plugin config Kong refuses.
    const broken = structuredClone(config) as unknown as { services: Record<string, unknown>[] };
    broken.services[0]['colour'] = 'red';
    (broken.services[0]['plugins'] as { config: Record<string, unknown> }[])[0].config['nope'] = 1;
    expect(describeProblems(kongDeclarativeProblems(broken))).toEqual(
      expect.arrayContaining(['file/services/0/colour unknown field', 'file/services/0/plugins/0/config/nope unknown field']),
    );
  });

  it('holds, per enabled API and by name, the service, route and plugins the reconcile loop writes, with their names and tags', () => {
    expect(config.services.map((s) => s.name)).toEqual(['acme.all', 'acme.zeta']);
    const [all] = config.services;
    const wanted = wantedEntities(apis[1], { ...upstream, gatewaySecret: EXPORT_SECRET_PLACEHOLDER });
    const { enabled: _, ...service } = wanted.service;
    expect(all).toMatchObject({ name: 'acme.all', ...service });
    expect(all).not.toHaveProperty('enabled');
    expect(all.routes).toEqual([{ name: 'acme.all', ...wanted.route, path_handling: KONG_PATH_HANDLING }]);
    expect(all.routes[0]).toMatchObject({ paths: ['/hello'], hosts: ['api.example.com'], methods: ['GET', 'OPTIONS'] });
    expect(all.plugins.map((p) => p.name)).toEqual(wanted.plugins.map((p) => p.plugin.name));
    expect(all.plugins.map((p) => p.name).sort()).toEqual(['cors', 'rate-limiting', 'request-size-limiting', 'request-transformer']);
    for (const [i, plugin] of all.plugins.entries()) {
      expect(plugin).not.toHaveProperty('instance_name');
      expect(plugin).toMatchObject({ enabled: true, protocols: KONG_PLUGIN_PROTOCOLS, config: wanted.plugins[i].plugin.config });
    }
    for (const tags of [all.tags, all.routes[0].tags, ...all.plugins.map((p) => p.tags)])
      expect(tags).toEqual(['dispatch', 'org:acme', 'api:all']);
  });

  it("puts decK's placeholder where the gateway's shared secret goes, whatever the platform's secret", () => {
    const transformer = config.services[0].plugins.find((p) => p.name === 'request-transformer')!;
    const added = (transformer.config['add'] as { headers: string[] }).headers;
    expect(added).toContain('x-dispatch-gateway-secret:${{ env "DECK_GATEWAY_SHARED_SECRET" }}');
    expect(added).toEqual(expect.arrayContaining(['x-dispatch-auth:api-key', 'x-dispatch-api:all']));
    // The upstream given has no secret to leak: the type leaves it out, and a caller passing one anyway is ignored.
    const leaky = declarativeConfig('acme', apis, { ...upstream, gatewaySecret: 'the-real-secret-0123' } as typeof upstream);
    expect(JSON.stringify(leaky)).not.toContain('the-real-secret-0123');
  });

  it('leaves out disabled APIs: a disabled service serves nothing, and decK 1.4 knows no enabled field on one', () => {
    expect(config.services.some((s) => s.name === 'acme.off')).toBe(false);
    expect(declarativeConfig('acme', [], upstream)).toEqual({
      _format_version: '3.0',
      _info: { select_tags: ['dispatch', 'org:acme'] },
      services: [],
    });
  });

  it("carries Kong's own defaults of what the mapping leaves unset (the plugin schemas' defaults)", () => {
    const files = KONG_PLUGIN_SCHEMAS;
    for (const [name, defaults] of Object.entries(KONG_PLUGIN_DEFAULTS)) {
      const schema = JSON.parse(readFileSync(sharedSpecPath('kong', 'plugins', files[name]), 'utf8')) as {
        properties: { protocols: { default: unknown }; config: { properties: Record<string, { default?: unknown; properties?: object }> } };
      };
      expect(schema.properties.protocols.default).toEqual(KONG_PLUGIN_PROTOCOLS);
      for (const [field, value] of Object.entries(defaults)) {
        const fieldSchema = schema.properties.config.properties[field];
        if (fieldSchema.properties) {
          // A record without a default of its own: Kong fills in each of its fields.
          const inner = Object.fromEntries(
            Object.entries(fieldSchema.properties as Record<string, { default?: unknown }>).map(([k, v]) => [k, v.default]),
          );
          expect({ [name]: { [field]: value } }).toEqual({ [name]: { [field]: inner } });
        } else expect({ [name]: { [field]: value } }).toEqual({ [name]: { [field]: fieldSchema.default } });
      }
    }
    const transformer = config.services[0].plugins.find((p) => p.name === 'request-transformer')!;
    expect(transformer.config['append']).toEqual({ body: [], headers: [], querystring: [] });
    expect((transformer.config['remove'] as { headers: string[] }).headers).toEqual([
      'x-dispatch-gateway-secret',
      'x-dispatch-auth',
      'x-dispatch-api',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { sharedSpecPath } from '@dispatch/testing';
import { corsPlugin } from './cors';
import { aclSchema } from './schemas/acl.schema';
import { corsSchema } from './schemas/cors.schema';
import { keyAuthSchema } from './schemas/key-auth.schema';
import { rateLimitingSchema } from './schemas/rate-limiting.schema';
import { requestSizeLimitingSchema } from './schemas/request-size-limiting.schema';
import { requestTransformerSchema } from './schemas/request-transformer.schema';
import { keyAuthPlugin } from './key-auth';
import { PluginConfigError, validatePlugin } from './validate';

describe('plugin config validation', () => {
  it.each([
    ['Cors.json', corsSchema],
    ['RateLimiting.json', rateLimitingSchema],
    ['RequestSizeLimiting.json', requestSizeLimitingSchema],
    ['KeyAuth.json', keyAuthSchema],
    ['Acl.json', aclSchema],
    ['RequestTransformer.json', requestTransformerSchema],
  ])('carries the same schema as ../shared/specs/kong/plugins/%s', (file, schema) => {
    expect(schema).toEqual(JSON.parse(readFileSync(sharedSpecPath('kong', 'plugins', file), 'utf8')));
  });

  it("fills in Kong's defaults", () => {
    const { config, protocols } = validatePlugin({ id: 'p', name: 'key-auth', config: { hide_credentials: true } }, keyAuthPlugin);
    expect(config).toEqual({
      key_names: ['apikey'],
      key_in_header: true,
      key_in_query: true,
      key_in_body: false,
      hide_credentials: true,
      run_on_preflight: true,
    });
    expect(protocols).toEqual(['grpc', 'grpcs', 'http', 'https', 'ws', 'wss']);
  });

  it('names every bad field, and refuses unknown ones', () => {
    try {
      validatePlugin({ id: 'p', name: 'cors', config: { methods: ['FETCH'], credentials: 'yes', colour: 'red' } }, corsPlugin);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(PluginConfigError);
      const { fields, message } = error as PluginConfigError;
      expect(Object.keys(fields).sort()).toEqual(['config.colour', 'config.credentials', 'config.methods.0']);
      expect(fields['config.colour']).toBe('unknown field');
      expect(message).toMatch(/^plugin p: 3 schema violations \(/);
    }
  });

  it('refuses a consumer scope on plugins that cannot have one', () => {
    expect(() => validatePlugin({ id: 'p', name: 'key-auth', config: {}, consumer: { id: 'c' } }, keyAuthPlugin)).toThrow(
      /consumer: value must be null/,
    );
    expect(() => validatePlugin({ id: 'p', name: 'key-auth', config: {}, route: { id: 'r' } }, keyAuthPlugin)).not.toThrow();
  });

  it('reads null fields, as the Admin API returns unset ones, as absent', () => {
    const { config } = validatePlugin({ id: 'p', name: 'cors', config: { max_age: null, origins: null } }, corsPlugin);
    expect(config).not.toHaveProperty('max_age');
    expect(config).not.toHaveProperty('origins');
  });
});

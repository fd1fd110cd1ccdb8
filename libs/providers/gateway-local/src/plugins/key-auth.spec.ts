import type { GatewayState } from '../kong-entities';
import { accessContext, runPlugin } from '../test-support/access-context';
import { keyAuthPlugin } from './key-auth';

const state: Partial<GatewayState> = {
  consumers: [
    { id: 'c-1', username: 'ann', custom_id: 'ext-1' },
    { id: 'c-anon', username: 'anonymous' },
  ],
  keyauth_credentials: [
    { id: 'k-1', key: 'secret-1', consumer: { id: 'c-1' } },
    { id: 'k-old', key: 'expired', consumer: { id: 'c-1' }, ttl: 10, created_at: 1 },
  ],
};

describe('key-auth plugin', () => {
  it('answers 401 "No API key found in request" with WWW-Authenticate, naming the realm when set', async () => {
    const { exit, body } = await runPlugin(keyAuthPlugin, {}, accessContext({ state }).ctx);
    expect(exit?.status).toBe(401);
    expect(body?.['message']).toBe('No API key found in request');
    expect(exit?.headers['WWW-Authenticate']).toBe('Key');
    const withRealm = await runPlugin(keyAuthPlugin, { realm: 'dispatch' }, accessContext({ state }).ctx);
    expect(withRealm.exit?.headers['WWW-Authenticate']).toBe('Key realm="dispatch"');
  });

  it('answers 401 Unauthorized for an unknown or expired key, and for a key sent twice "Duplicate API key found"', async () => {
    expect((await runPlugin(keyAuthPlugin, {}, accessContext({ state, headers: { apikey: 'nope' } }).ctx)).body?.['message']).toBe(
      'Unauthorized',
    );
    expect((await runPlugin(keyAuthPlugin, {}, accessContext({ state, headers: { apikey: 'expired' } }).ctx)).body?.['message']).toBe(
      'Unauthorized',
    );
    const twice = await runPlugin(keyAuthPlugin, {}, accessContext({ state, query: 'apikey=a&apikey=b' }).ctx);
    expect(twice.body?.['message']).toBe('Duplicate API key found');
    const twiceInHeaders = await runPlugin(keyAuthPlugin, {}, accessContext({ state, headers: { apikey: ['secret-1', 'secret-1'] } }).ctx);
    expect(twiceInHeaders.body?.['message']).toBe('Duplicate API key found');
  });

  it('authenticates from the header and sets the consumer headers upstream, keeping the key unless hide_credentials', async () => {
    const { ctx, upstream } = accessContext({ state, headers: { apikey: 'secret-1' } });
    expect((await runPlugin(keyAuthPlugin, {}, ctx)).exit).toBeUndefined();
    expect(ctx.consumer?.id).toBe('c-1');
    expect(ctx.credential?.id).toBe('k-1');
    expect(upstream.headers).toEqual({
      'x-consumer-id': 'c-1',
      'x-consumer-custom-id': 'ext-1',
      'x-consumer-username': 'ann',
      'x-credential-identifier': 'k-1',
      'x-anonymous-consumer': undefined,
    });
    const hidden = accessContext({ state, query: 'apikey=secret-1' });
    await runPlugin(keyAuthPlugin, { hide_credentials: true }, hidden.ctx);
    expect(hidden.upstream.clearedQuery).toEqual(['apikey']);
    expect(hidden.upstream.headers['apikey']).toBeUndefined();
    expect('apikey' in hidden.upstream.headers).toBe(true);
  });

  it('looks only where configured, under the configured key names', async () => {
    const config = { key_names: ['x-api-key'], key_in_query: false };
    expect((await runPlugin(keyAuthPlugin, config, accessContext({ state, query: 'x-api-key=secret-1' }).ctx)).exit?.status).toBe(401);
    expect(
      (await runPlugin(keyAuthPlugin, config, accessContext({ state, headers: { 'x-api-key': 'secret-1' } }).ctx)).exit,
    ).toBeUndefined();
    const underscored = { key_names: ['api_key'] };
    expect(
      (await runPlugin(keyAuthPlugin, underscored, accessContext({ state, headers: { 'api-key': 'secret-1' } }).ctx)).exit,
    ).toBeUndefined();
  });

  it('reads the key from a JSON or form body with key_in_body, removing it with hide_credentials', async () => {
    const json = accessContext({
      state,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"apikey":"secret-1","n":1}',
    });
    expect((await runPlugin(keyAuthPlugin, { key_in_body: true, hide_credentials: true }, json.ctx)).exit).toBeUndefined();
    expect(JSON.parse(json.upstream.body!.toString())).toEqual({ n: 1 });
    const form = accessContext({
      state,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'apikey=secret-1&a=b',
    });
    expect((await runPlugin(keyAuthPlugin, { key_in_body: true }, form.ctx)).exit).toBeUndefined();
    expect(form.ctx.consumer?.username).toBe('ann');
  });

  it('runs as the anonymous consumer when authentication fails and anonymous is set', async () => {
    const { ctx, upstream } = accessContext({ state });
    expect((await runPlugin(keyAuthPlugin, { anonymous: 'anonymous' }, ctx)).exit).toBeUndefined();
    expect(ctx.consumer?.id).toBe('c-anon');
    expect(ctx.credential).toBeUndefined();
    expect(upstream.headers['x-anonymous-consumer']).toBe('true');
    const missing = await runPlugin(keyAuthPlugin, { anonymous: 'ghost' }, accessContext({ state }).ctx);
    expect(missing.exit?.status).toBe(500);
    expect(missing.body?.['message']).toBe("anonymous consumer ghost is configured but doesn't exist");
  });

  it('lets preflights through without a key when run_on_preflight is false', async () => {
    expect(
      (await runPlugin(keyAuthPlugin, { run_on_preflight: false }, accessContext({ state, method: 'OPTIONS' }).ctx)).exit,
    ).toBeUndefined();
    expect((await runPlugin(keyAuthPlugin, {}, accessContext({ state, method: 'OPTIONS' }).ctx)).exit?.status).toBe(401);
  });

  it('refuses key names with characters Kong does not allow', async () => {
    await expect(runPlugin(keyAuthPlugin, { key_names: ['api key'] }, accessContext().ctx)).rejects.toThrow(
      /config\.key_names: bad header name 'api key'/,
    );
  });
});

import { accessContext, runPlugin } from '../test-support/access-context';
import { corsPlugin } from './cors';

function preflight(origin: string, extra: Record<string, string> = {}) {
  return accessContext({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', ...extra } }).ctx;
}

describe('cors plugin', () => {
  it('answers a preflight with 200, no body, and the default methods, echoing the requested headers', async () => {
    const { exit } = await runPlugin(corsPlugin, {}, preflight('https://a.test', { 'access-control-request-headers': 'X-One, X-Two' }));
    expect(exit?.status).toBe(200);
    expect(exit?.body).toBe('');
    expect(exit?.headers).toEqual({
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'X-One, X-Two',
      'Access-Control-Allow-Methods': 'CONNECT,DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT,TRACE',
    });
  });

  it('uses the configured headers, methods and max_age, and private network access when asked', async () => {
    const { exit } = await runPlugin(
      corsPlugin,
      { origins: ['https://a.test'], headers: ['X-A', 'X-B'], methods: ['GET', 'POST'], max_age: 3600, private_network: true },
      preflight('https://a.test', { 'access-control-request-private-network': 'true' }),
    );
    expect(exit?.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://a.test',
      Vary: 'Origin',
      'Access-Control-Allow-Headers': 'X-A,X-B',
      'Access-Control-Allow-Methods': 'GET,POST',
      'Access-Control-Max-Age': '3600',
      'Access-Control-Allow-Private-Network': 'true',
    });
  });

  it('is no preflight without Origin or Access-Control-Request-Method, and leaves preflights to the upstream with preflight_continue', async () => {
    expect(
      (await runPlugin(corsPlugin, {}, accessContext({ method: 'OPTIONS', headers: { origin: 'https://a.test' } }).ctx)).exit,
    ).toBeUndefined();
    const passed = await runPlugin(corsPlugin, { preflight_continue: true }, preflight('https://a.test'));
    expect(passed.exit).toBeUndefined();
    expect(passed.response.headers).toEqual({});
  });

  it('matches origins exactly (default ports dropped) or by anchored regex against the host', async () => {
    const config = { origins: ['https://a.test', 'http://b.test:8080', '.*\\.c\\.test'] };
    const origin = async (value: string) =>
      (await runPlugin(corsPlugin, config, accessContext({ headers: { origin: value } }).ctx)).response.headers[
        'Access-Control-Allow-Origin'
      ];
    expect(await origin('https://a.test:443')).toBe('https://a.test');
    expect(await origin('http://b.test:8080')).toBe('http://b.test:8080');
    expect(await origin('http://b.test')).toBeUndefined();
    expect(await origin('https://x.c.test')).toBe('https://x.c.test');
    expect(await origin('https://x.c.test.evil')).toBeUndefined();
    expect(await origin('https://evil.test')).toBeUndefined();
  });

  it("echoes the origin with credentials instead of '*', and sets a single plain origin whatever the request's", async () => {
    const withCredentials = await runPlugin(
      corsPlugin,
      { origins: ['*'], credentials: true },
      accessContext({ headers: { origin: 'https://a.test' } }).ctx,
    );
    expect(withCredentials.response.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://a.test',
      'Access-Control-Allow-Credentials': 'true',
      Vary: 'Origin',
    });
    const single = await runPlugin(
      corsPlugin,
      { origins: ['https://only.test'] },
      accessContext({ headers: { origin: 'https://other.test' } }).ctx,
    );
    expect(single.response.headers['Access-Control-Allow-Origin']).toBe('https://only.test');
  });

  it('adds exposed headers and appends Origin to an upstream Vary; adds nothing without an Origin', async () => {
    const { response } = await runPlugin(
      corsPlugin,
      { origins: ['https://a.test', 'https://b.test'], exposed_headers: ['X-Total', 'X-Page'] },
      accessContext({ headers: { origin: 'https://b.test' } }).ctx,
      { status: 200, headers: { Vary: 'Accept' } },
    );
    expect(response.headers).toMatchObject({ 'Access-Control-Expose-Headers': 'X-Total,X-Page', Vary: ['Accept', 'Origin'] });
    const none = await runPlugin(corsPlugin, { exposed_headers: ['X'] }, accessContext().ctx, { status: 200, headers: {} });
    expect(none.response.headers).toEqual({});
  });
});

import http from 'node:http';
import type { GatewayState, KongPlugin, KongRoute } from '../kong-entities';
import { emptyGatewayState } from '../kong-entities';
import { PluginConfigError } from '../plugins/validate';
import { closedPort, type EchoedRequest, type EchoUpstream, startEchoUpstream } from '../test-support/echo-upstream';
import { type GatewayProxy, startGatewayProxy } from './gateway-proxy';

describe('gateway-local proxy (a real upstream on loopback)', () => {
  let upstream: EchoUpstream;
  let proxy: GatewayProxy;
  let clock = Date.UTC(2026, 0, 1, 12, 0, 30);

  function state(): GatewayState {
    const route = (id: string, fields: Partial<KongRoute>): KongRoute => ({
      id,
      service: { id: fields.service?.id ?? 'echo' },
      created_at: 1,
      ...fields,
    });
    const plugin = (id: string, name: string, routeId: string | undefined, config: Record<string, unknown>): KongPlugin => ({
      id,
      name,
      route: routeId ? { id: routeId } : null,
      config,
    });
    return {
      ...emptyGatewayState(),
      services: [
        { id: 'echo', protocol: 'http', host: '127.0.0.1', port: upstream.port, path: '/base' },
        { id: 'down', protocol: 'http', host: '127.0.0.1', port: downPort, path: '/' },
        { id: 'slow', protocol: 'http', host: '127.0.0.1', port: upstream.port, path: '/', read_timeout: 300 },
      ],
      routes: [
        route('fn', { paths: ['/fn'], strip_path: true }),
        route('keep', { paths: ['/keep'], strip_path: false }),
        route('host', { hosts: ['api.example.com'], paths: ['/'], preserve_host: true }),
        route('regex', { paths: ['~/users/(?<user>\\w+)/items/(\\d+)$'], strip_path: false }),
        route('cors', { paths: ['/cors'] }),
        route('limited', { paths: ['/limited'] }),
        route('sized', { paths: ['/sized'] }),
        route('private', { paths: ['/private'] }),
        route('admins', { paths: ['/admins'] }),
        route('down', { paths: ['/down'], service: { id: 'down' } }),
        route('slow', { paths: ['/slow'], strip_path: false, service: { id: 'slow' } }),
        route('secure', { paths: ['/secure'], protocols: ['https'] }),
        route('stream', { paths: ['/stream-route'] }),
        route('stalling', { paths: ['/stalling'], service: { id: 'slow' } }),
        { id: 'orphan', paths: ['/orphan'], service: null },
      ],
      plugins: [
        plugin('p-cors', 'cors', 'cors', {
          origins: ['https://app.example.com', 'https://.*\\.trusted\\.test'],
          credentials: true,
          max_age: 600,
          exposed_headers: ['X-Total'],
        }),
        plugin('p-rl', 'rate-limiting', 'limited', { minute: 2, hour: 10, limit_by: 'ip' }),
        plugin('p-size', 'request-size-limiting', 'sized', { allowed_payload_size: 10, size_unit: 'bytes' }),
        plugin('p-key', 'key-auth', 'private', { hide_credentials: true }),
        plugin('p-key-admins', 'key-auth', 'admins', {}),
        plugin('p-acl', 'acl', 'admins', { allow: ['admin'] }),
        { ...plugin('p-bob-rl', 'rate-limiting', 'private', { minute: 5 }), consumer: { id: 'c-bob' } },
        plugin('p-cors-private', 'cors', 'private', { origins: ['https://app.example.com'] }),
      ],
      consumers: [
        { id: 'c-alice', username: 'alice' },
        { id: 'c-bob', username: 'bob' },
      ],
      keyauth_credentials: [
        { id: 'k-alice', key: 'alice-key', consumer: { id: 'c-alice' } },
        { id: 'k-bob', key: 'bob-key', consumer: { id: 'c-bob' } },
      ],
      acls: [{ id: 'a1', group: 'admin', consumer: { id: 'c-alice' } }],
    };
  }

  let downPort: number;

  beforeAll(async () => {
    upstream = await startEchoUpstream();
    downPort = await closedPort();
    proxy = await startGatewayProxy({ port: 0, state: state(), now: () => clock });
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
  });

  async function call(path: string, init: RequestInit = {}) {
    const res = await fetch(`${proxy.url}${path}`, init);
    const text = await res.text();
    return { res, text, json: () => JSON.parse(text) as Record<string, unknown> };
  }

  async function echoed(path: string, init: RequestInit = {}) {
    const { res, json } = await call(path, init);
    expect(res.status).toBe(200);
    return { res, echo: json() as unknown as EchoedRequest };
  }

  it('answers an unknown route with 404 and Kong body and headers', async () => {
    const { res, json } = await call('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('server')).toBe('kong/3.9.0');
    const body = json();
    expect(body['message']).toBe('no Route matched with those values');
    expect(body['request_id']).toBe(res.headers.get('x-kong-request-id'));
  });

  it('strips the matched prefix, joins the service path, and adds the forwarding and Kong headers', async () => {
    const { res, echo } = await echoed('/fn/hello?x=1', { headers: { 'x-forwarded-for': '10.0.0.9' } });
    expect(echo.url).toBe('/base/hello?x=1');
    expect(echo.headers.host).toBe(`127.0.0.1:${upstream.port}`);
    expect(echo.headers['x-forwarded-prefix']).toBe('/fn');
    expect(echo.headers['x-forwarded-path']).toBe('/fn/hello');
    expect(echo.headers['x-forwarded-for']).toBe('10.0.0.9, 127.0.0.1');
    expect(echo.headers['x-forwarded-port']).toBe(String(proxy.port));
    expect(echo.headers['x-real-ip']).toBe('127.0.0.1');
    expect(res.headers.get('via')).toBe('1.1 upstream-cache, 1.1 kong/3.9.0');
    expect(Number(res.headers.get('x-kong-upstream-latency'))).toBeGreaterThanOrEqual(0);
    expect(Number(res.headers.get('x-kong-proxy-latency'))).toBeGreaterThanOrEqual(0);
  });

  it('keeps the path without strip_path, and streams request bodies through', async () => {
    const { echo } = await echoed('/keep/a', { method: 'POST', body: 'hello body', headers: { 'content-type': 'text/plain' } });
    expect(echo.url).toBe('/base/keep/a');
    expect(echo.body).toBe('hello body');
    expect(echo.method).toBe('POST');
  });

  it('streams the response as the upstream sends it', async () => {
    // The upstream sends its second line 400 ms after the first: a buffering proxy would deliver both at once.
    const res = await fetch(`${proxy.url}/stream-route/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first\n');
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('second\n');
  });

  it('cuts a response whose next chunk comes later than read_timeout', async () => {
    const res = await fetch(`${proxy.url}/stalling/stream`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('streams a large request body through', async () => {
    const body = 'x'.repeat(3 * 1024 * 1024);
    const { echo } = await echoed('/keep/big', { method: 'PUT', body });
    expect(echo.body.length).toBe(body.length);
  });

  it('sends the client Host with preserve_host, matching by host', async () => {
    // fetch cannot set Host: node:http can.
    const echo = await new Promise<EchoedRequest>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: proxy.port, path: '/anything', headers: { host: 'api.example.com' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as EchoedRequest));
      });
      req.on('error', reject);
    });
    expect(echo.headers.host).toBe('api.example.com');
    expect(echo.headers['x-forwarded-host']).toBe('api.example.com');
    expect(echo.url).toBe('/base/anything');
  });

  it('routes regex paths', async () => {
    const { echo } = await echoed('/users/ann/items/42');
    expect(echo.url).toBe('/base/users/ann/items/42');
    expect((await call('/users/ann/items/x')).res.status).toBe(404);
  });

  describe('cors', () => {
    it('answers a preflight itself with the configured headers', async () => {
      const { res, text } = await call('/cors', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-a' },
      });
      expect(res.status).toBe(200);
      expect(text).toBe('');
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')).toBe('CONNECT,DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT,TRACE');
      expect(res.headers.get('access-control-allow-headers')).toBe('x-a');
      expect(res.headers.get('access-control-max-age')).toBe('600');
      expect(res.headers.get('vary')).toBe('Origin');
    });

    it('adds the allow and expose headers to proxied responses of allowed origins only', async () => {
      const allowed = await call('/cors', { headers: { origin: 'https://api.trusted.test' } });
      expect(allowed.res.headers.get('access-control-allow-origin')).toBe('https://api.trusted.test');
      expect(allowed.res.headers.get('access-control-expose-headers')).toBe('X-Total');
      const refused = await call('/cors', { headers: { origin: 'https://evil.test' } });
      expect(refused.res.status).toBe(200);
      expect(refused.res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('rate-limits per window with Kong headers, then 429 with Retry-After until the window turns', async () => {
    const first = await call('/limited');
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('x-ratelimit-limit-minute')).toBe('2');
    expect(first.res.headers.get('x-ratelimit-remaining-minute')).toBe('1');
    expect(first.res.headers.get('x-ratelimit-limit-hour')).toBe('10');
    expect(first.res.headers.get('x-ratelimit-remaining-hour')).toBe('9');
    expect(first.res.headers.get('ratelimit-limit')).toBe('2');
    expect(first.res.headers.get('ratelimit-remaining')).toBe('1');
    expect(first.res.headers.get('ratelimit-reset')).toBe('30');
    expect((await call('/limited')).res.headers.get('ratelimit-remaining')).toBe('0');
    const refused = await call('/limited');
    expect(refused.res.status).toBe(429);
    expect(refused.json()['message']).toBe('API rate limit exceeded');
    expect(refused.res.headers.get('retry-after')).toBe('30');
    expect(refused.res.headers.get('x-ratelimit-remaining-minute')).toBe('0');
    clock += 30_000;
    const next = await call('/limited');
    expect(next.res.status).toBe(200);
    expect(next.res.headers.get('x-ratelimit-remaining-hour')).toBe('7');
  });

  it('refuses a body over the size limit with 413, and takes one within it', async () => {
    const over = await call('/sized', { method: 'POST', body: 'x'.repeat(11) });
    expect(over.res.status).toBe(413);
    expect(over.json()['message']).toBe('Request size limit exceeded');
    const chunked = await call('/sized', {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('x'.repeat(20)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.res.status).toBe(413);
    const { echo } = await echoed('/sized', { method: 'POST', body: 'x'.repeat(10) });
    expect(echo.body).toBe('x'.repeat(10));
  });

  describe('key-auth and acl', () => {
    it('answers 401 with Kong message and WWW-Authenticate without a key, and for a wrong one', async () => {
      const missing = await call('/private');
      expect(missing.res.status).toBe(401);
      expect(missing.json()['message']).toBe('No API key found in request');
      expect(missing.res.headers.get('www-authenticate')).toBe('Key');
      const wrong = await call('/private', { headers: { apikey: 'nope' } });
      expect(wrong.res.status).toBe(401);
      expect(wrong.json()['message']).toBe('Unauthorized');
    });

    it('passes a good key from the header or query, hiding it and naming the consumer', async () => {
      const byHeader = await echoed('/private/x', { headers: { apikey: 'alice-key' } });
      expect(byHeader.echo.headers['apikey']).toBeUndefined();
      expect(byHeader.echo.headers['x-consumer-username']).toBe('alice');
      expect(byHeader.echo.headers['x-consumer-id']).toBe('c-alice');
      expect(byHeader.echo.headers['x-credential-identifier']).toBe('k-alice');
      const byQuery = await echoed('/private/x?apikey=bob-key&keep=1');
      expect(byQuery.echo.url).toBe('/base/x?keep=1');
      expect(byQuery.echo.headers['x-consumer-username']).toBe('bob');
    });

    it('adds CORS headers to the 401 of key-auth, since header_filter runs on plugin exits too', async () => {
      const missing = await call('/private', { headers: { origin: 'https://app.example.com' } });
      expect(missing.res.status).toBe(401);
      expect(missing.res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    });

    it('applies a plugin configured for a consumer once key-auth has identified them', async () => {
      const bob = await call('/private', { headers: { apikey: 'bob-key' } });
      expect(bob.res.headers.get('x-ratelimit-limit-minute')).toBe('5');
      const alice = await call('/private', { headers: { apikey: 'alice-key' } });
      expect(alice.res.status).toBe(200);
      expect(alice.res.headers.get('x-ratelimit-limit-minute')).toBeNull();
    });

    it('lets members of an allowed group through with their groups, and refuses others with 403', async () => {
      const alice = await echoed('/admins', { headers: { apikey: 'alice-key' } });
      expect(alice.echo.headers['x-consumer-groups']).toBe('admin');
      const bob = await call('/admins', { headers: { apikey: 'bob-key' } });
      expect(bob.res.status).toBe(403);
      expect(bob.json()['message']).toBe('You cannot consume this service');
    });
  });

  it('answers 426 on a route for HTTPS only, and 503 on a route without a service', async () => {
    const secure = await call('/secure');
    expect(secure.res.status).toBe(426);
    expect(secure.json()['message']).toBe('Please use HTTPS protocol');
    const orphan = await call('/orphan');
    expect(orphan.res.status).toBe(503);
    expect(orphan.json()['message']).toBe('no Service found with those values');
  });

  it('answers 502 when the upstream is down and 504 when it is too slow', async () => {
    const down = await call('/down');
    expect(down.res.status).toBe(502);
    expect(down.json()['message']).toBe('An invalid response was received from the upstream server');
    const started = Date.now();
    const slow = await call('/slow');
    expect(slow.res.status).toBe(504);
    expect(slow.json()['message']).toBe('The upstream server is timing out');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('swaps in a new state atomically, and keeps the old one when the new one is invalid', async () => {
    const next = state();
    next.routes = next.routes.filter((route) => route.id !== 'fn');
    proxy.setState(next);
    expect((await call('/fn/hello')).res.status).toBe(404);
    const bad = state();
    bad.plugins = [{ id: 'bad', name: 'rate-limiting', config: { minute: 'many' } }];
    expect(() => proxy.setState(bad)).toThrow(PluginConfigError);
    expect((await call('/fn/hello')).res.status).toBe(404);
    proxy.setState(state());
    expect((await call('/fn/hello')).res.status).toBe(200);
  });
});

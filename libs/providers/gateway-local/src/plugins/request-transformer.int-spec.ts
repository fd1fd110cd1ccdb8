import http from 'node:http';
import { startGateway, type Gateway } from '../gateway';
import { type EchoedRequest, type EchoUpstream, startEchoUpstream } from '../test-support/echo-upstream';

/**
 * request-transformer configured through the Admin API as api-manager does, and a real upstream on
 * loopback that echoes what it received.
 */
let gateway: Gateway;
let upstream: EchoUpstream;

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${gateway.admin.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Through node:http, which sends headers exactly as given (fetch would refuse or merge some). */
function proxied(
  method: string,
  path: string,
  headers: http.OutgoingHttpHeaders = {},
  body?: string,
): Promise<{ status: number; echoed: EchoedRequest }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${gateway.proxy.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, echoed: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  upstream = await startEchoUpstream();
  gateway = await startGateway({ adminPort: 0, proxyPort: 0 });
  expect(await admin('PUT', '/services/orders', { url: `http://127.0.0.1:${upstream.port}/function/orders` })).toMatchObject({
    status: 200,
  });
  expect((await admin('PUT', '/services/orders/routes/orders', { paths: ['/acme/orders'] })).status).toBe(200);
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

describe('request-transformer through the gateway', () => {
  it('replaces the Dispatch headers a client sends with the configured ones (remove runs before add)', async () => {
    const created = await admin('POST', '/routes/orders/plugins', {
      name: 'request-transformer',
      config: {
        remove: { headers: ['x-dispatch-gateway-secret', 'x-dispatch-auth', 'x-dispatch-api'] },
        add: { headers: ['x-dispatch-gateway-secret:gw-secret-1', 'x-dispatch-auth:idp-token', 'x-dispatch-api:orders'] },
      },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        name: 'request-transformer',
        enabled: true,
        config: { remove: { headers: ['x-dispatch-gateway-secret', 'x-dispatch-auth', 'x-dispatch-api'], body: [], querystring: [] } },
      },
    });

    const spoofed = await proxied('GET', '/acme/orders/42?x=1', {
      'X-Dispatch-Auth': 'none',
      'x-dispatch-gateway-secret': 'guessed',
      'X-Dispatch-API': ['admin', 'other'],
      'X-Other': 'kept',
    });
    expect(spoofed.status).toBe(200);
    expect(spoofed.echoed).toMatchObject({ method: 'GET', url: '/function/orders/42?x=1' });
    expect(spoofed.echoed.headers).toMatchObject({
      'x-dispatch-gateway-secret': 'gw-secret-1',
      'x-dispatch-auth': 'idp-token',
      'x-dispatch-api': 'orders',
      'x-other': 'kept',
    });

    const plain = await proxied('GET', '/acme/orders');
    expect(plain.echoed.headers).toMatchObject({ 'x-dispatch-auth': 'idp-token', 'x-dispatch-api': 'orders' });
  });

  it('changes the method, path, query string and appended headers the upstream gets', async () => {
    const plugins = (await admin('GET', '/routes/orders/plugins')).body.data as { id: string }[];
    const patched = await admin('PATCH', `/plugins/${plugins[0]!.id}`, {
      config: {
        http_method: 'PUT',
        replace: { uri: '/v2/orders' },
        append: { headers: ['x-trace:gateway'], querystring: ['tag:b'] },
        rename: { querystring: ['q:search'] },
      },
    });
    expect(patched).toMatchObject({ status: 200, body: { config: { http_method: 'PUT', replace: { uri: '/v2/orders' } } } });

    const { echoed } = await proxied('POST', '/acme/orders/42?tag=a&q=x+y', { 'x-trace': 'client', 'x-dispatch-auth': 'none' }, 'payload');
    expect(echoed).toMatchObject({ method: 'PUT', url: '/v2/orders?search=x%20y&tag=a&tag=b', body: 'payload' });
    expect(echoed.headers).toMatchObject({ 'x-trace': 'client, gateway', 'x-dispatch-auth': 'idp-token' });
  });

  it('moves a url-encoded body to the query string when the method becomes GET', async () => {
    const plugins = (await admin('GET', '/routes/orders/plugins')).body.data as { id: string }[];
    const patched = await admin('PATCH', `/plugins/${plugins[0]!.id}`, {
      config: { http_method: 'GET', replace: { uri: '' }, append: { querystring: [] } },
    });
    expect(patched.status).toBe(200);
    const { echoed } = await proxied('POST', '/acme/orders?a=0', { 'content-type': 'application/x-www-form-urlencoded' }, 'b=2&a=1');
    expect(echoed).toMatchObject({ method: 'GET', url: '/function/orders?a=0&a=1&b=2', body: 'b=2&a=1' });
  });

  it('refuses body transformations at the Admin API with a schema violation, changing nothing', async () => {
    const before = gateway.store.state().plugins;
    const refused = await admin('POST', '/services/orders/plugins', {
      name: 'request-transformer',
      config: { add: { body: ['field:value'] } },
    });
    expect(refused).toEqual({
      status: 400,
      body: {
        code: 2,
        name: 'schema violation',
        message:
          'schema violation (config.add.body: gateway-local does not support body transformations: leave the body lists of request-transformer empty)',
        fields: {
          config: {
            add: { body: 'gateway-local does not support body transformations: leave the body lists of request-transformer empty' },
          },
        },
      },
    });
    expect(gateway.store.state().plugins).toEqual(before);
  });

  it('refuses templates, and headers Kong would refuse', async () => {
    const refused = await admin('POST', '/services/orders/plugins', {
      name: 'request-transformer',
      config: { add: { headers: ['x-user:$(headers["x-user"])', 'bad header:1'] } },
    });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        code: 2,
        fields: {
          config: {
            add: {
              headers: {
                0: expect.stringMatching(/is a template: gateway-local does not render request-transformer templates/),
                1: "'bad header' is not a valid header",
              },
            },
          },
        },
      },
    });
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createDispatchClient, DispatchApiError, serviceAccountTokenProvider } from './index';

const answering = (body: string, init: ResponseInit) => (async () => new Response(body, init)) as typeof fetch;

describe('DispatchApiError', () => {
  it('carries the fields of a Dispatch error body', async () => {
    const body = { code: 'NAME_CONFLICT', message: 'secret x exists', details: { name: 'x' }, requestId: 'r-1' };
    const client = createDispatchClient({
      baseUrl: 'http://dispatch.invalid',
      fetch: answering(JSON.stringify(body), { status: 409, headers: { 'content-type': 'application/json' } }),
    });
    const error = await client.GET('/v1/secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DispatchApiError);
    expect(error).toMatchObject({ status: 409, ...body });
  });

  it('is UNEXPECTED_RESPONSE with the status when the body is not JSON, taking the request id from the header', async () => {
    const client = createDispatchClient({
      baseUrl: 'http://dispatch.invalid',
      fetch: answering('<html>Bad Gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'x-request-id': 'r-2' } }),
    });
    const error = (await client.GET('/v1/secret').catch((e: unknown) => e)) as DispatchApiError;
    expect(error).toMatchObject({ status: 502, code: 'UNEXPECTED_RESPONSE', requestId: 'r-2', details: undefined });
    expect(error.message).toContain('502');
    expect(error.message).toContain('Bad Gateway');
  });

  it('is UNEXPECTED_RESPONSE for JSON that is not an error body, and for an empty body', async () => {
    for (const body of ['{"error":"nope"}', '']) {
      const client = createDispatchClient({ baseUrl: 'http://dispatch.invalid', fetch: answering(body, { status: 500 }) });
      await expect(client.GET('/v1/secret')).rejects.toMatchObject({ status: 500, code: 'UNEXPECTED_RESPONSE' });
    }
  });
});

describe('bearer auth', () => {
  it('sends a fixed token, and asks a provider before every request', async () => {
    const seen: (string | null)[] = [];
    const fetchSeeing = (async (request: Request) => {
      seen.push(request.headers.get('authorization'));
      return Response.json({ items: [] });
    }) as typeof fetch;
    await createDispatchClient({ baseUrl: 'http://dispatch.invalid', token: 't0', fetch: fetchSeeing }).GET('/v1/secret');
    let n = 0;
    const provided = createDispatchClient({ baseUrl: 'http://dispatch.invalid', tokenProvider: async () => `t${++n}`, fetch: fetchSeeing });
    await provided.GET('/v1/secret');
    await provided.GET('/v1/secret');
    expect(seen).toEqual(['Bearer t0', 'Bearer t1', 'Bearer t2']);
  });
});

describe('serviceAccountTokenProvider', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

  it('signs RS256 tokens with iss org/name, sub name and a bounded lifetime, and re-signs near expiry', async () => {
    let clock = 1_000_000_000_000;
    const provider = serviceAccountTokenProvider({ org: 'acme', name: 'ci', privateKeyPem, lifetimeSeconds: 300, now: () => clock });
    const first = await provider();
    expect(decodeProtectedHeader(first)).toMatchObject({ alg: 'RS256' });
    expect(decodeJwt(first)).toEqual({ iss: 'acme/ci', sub: 'ci', iat: clock / 1000, exp: clock / 1000 + 300 });

    clock += 239_000; // 61 s left: still the same token
    expect(await provider()).toBe(first);
    clock += 2_000; // 59 s left: a new one
    const second = await provider();
    expect(second).not.toBe(first);
    expect(decodeJwt(second).exp).toBe(clock / 1000 + 300);
  });

  it('shares one signature among concurrent callers', async () => {
    const provider = serviceAccountTokenProvider({ org: 'acme', name: 'ci', privateKeyPem });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
  });

  it('refuses a lifetime the server would refuse', () => {
    expect(() => serviceAccountTokenProvider({ org: 'acme', name: 'ci', privateKeyPem, lifetimeSeconds: 7200 })).toThrow(RangeError);
  });
});

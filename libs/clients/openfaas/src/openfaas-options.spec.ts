import http from 'node:http';
import https from 'node:https';
import { ErrorCode } from '@dispatch/contracts';
import { DEFAULT_MAX_SOCKETS, DEFAULT_SYSTEM_TIMEOUT_MS, resolveOptions } from './openfaas-options';

describe('resolveOptions', () => {
  it('computes once what every call needs, with a keep-alive agent of its own', () => {
    const r = resolveOptions({ baseUrl: 'http://gateway.openfaas:8080/' });
    expect(r).toMatchObject({
      baseUrl: 'http://gateway.openfaas:8080',
      hostname: 'gateway.openfaas',
      port: 8080,
      pathPrefix: '',
      secure: false,
      ownsAgent: true,
    });
    expect(r.authorization).toBeUndefined();
    expect(r.timeoutMs).toBe(DEFAULT_SYSTEM_TIMEOUT_MS);
    expect(r.agent).toBeInstanceOf(http.Agent);
    expect(r.agent).toMatchObject({ keepAlive: true, maxSockets: DEFAULT_MAX_SOCKETS });
    r.agent.destroy();
  });

  it('takes credentials from the options, else from the URL, and keeps them out of the URL', () => {
    const fromUrl = resolveOptions({ baseUrl: 'https://ad%40min:p%3Ass@gw.example/openfaas' });
    expect(fromUrl).toMatchObject({ baseUrl: 'https://gw.example/openfaas', port: 443, pathPrefix: '/openfaas', secure: true });
    expect(fromUrl.agent).toBeInstanceOf(https.Agent);
    expect(fromUrl.authorization).toBe(`Basic ${Buffer.from('ad@min:p:ss').toString('base64')}`);
    const given = resolveOptions({ baseUrl: 'http://x:y@gw', basicAuth: { user: 'u', password: 'p' } });
    expect(given.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    fromUrl.agent.destroy();
    given.agent.destroy();
  });

  it('uses an agent passed in without owning it', () => {
    const agent = new http.Agent({ keepAlive: true });
    expect(resolveOptions({ baseUrl: 'http://gw', httpAgent: agent })).toMatchObject({ agent, ownsAgent: false });
    agent.destroy();
  });

  it('refuses options that cannot work, saying what to give', () => {
    expect(() => resolveOptions({ baseUrl: 'gateway:8080' })).toThrow(/baseUrl must be http or https|not a URL/);
    expect(() => resolveOptions({ baseUrl: 'not a url' })).toThrow(
      'OpenFaasClient: baseUrl is not a URL: give the gateway as http(s)://host:port',
    );
    expect(() => resolveOptions({ baseUrl: 'http://gw', timeoutMs: 0 })).toThrow(
      'OpenFaasClient: timeoutMs must be a positive number, got 0',
    );
    expect(() => resolveOptions({ baseUrl: 'http://gw', namespace: 'Team_A' })).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
  });
});

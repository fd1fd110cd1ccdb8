import http from 'node:http';
import https from 'node:https';
import { DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT_MS, resolveOptions } from './kong-options';

describe('resolveOptions', () => {
  it('takes the Admin API URL and a keep-alive agent of its own, with the defaults', () => {
    const r = resolveOptions({ baseUrl: 'http://kong-admin.kong:8001/' });
    expect(r).toMatchObject({
      baseUrl: 'http://kong-admin.kong:8001',
      ownsAgent: true,
      timeoutMs: DEFAULT_TIMEOUT_MS,
      pageSize: DEFAULT_PAGE_SIZE,
    });
    expect(r.agent).toBeInstanceOf(http.Agent);
    expect(r.agent).toMatchObject({ keepAlive: true });
    r.agent.destroy();
    const s = resolveOptions({ baseUrl: 'https://kong.example/admin/', adminToken: 't0ken', timeoutMs: 500, pageSize: 1000 });
    expect(s).toMatchObject({ baseUrl: 'https://kong.example/admin', adminToken: 't0ken', timeoutMs: 500, pageSize: 1000 });
    expect(s.agent).toBeInstanceOf(https.Agent);
    s.agent.destroy();
  });

  it('uses an agent passed in without owning it, and a unix socket', () => {
    const agent = new http.Agent({ keepAlive: true });
    expect(resolveOptions({ baseUrl: 'http://localhost', httpAgent: agent, socketPath: '/run/kong/admin.sock' })).toMatchObject({
      agent,
      ownsAgent: false,
      socketPath: '/run/kong/admin.sock',
    });
    agent.destroy();
  });

  it('refuses options that cannot work, saying what to give', () => {
    expect(() => resolveOptions({ baseUrl: 'kong:8001' })).toThrow(/baseUrl must be http or https|not a URL/);
    expect(() => resolveOptions({ baseUrl: 'not a url' })).toThrow(
      'KongAdminClient: baseUrl is not a URL: give the Admin API as http(s)://host:port',
    );
    expect(() => resolveOptions({ baseUrl: 'http://admin:pw@kong:8001' })).toThrow(
      /must not carry credentials: give the admin token as adminToken/,
    );
    expect(() => resolveOptions({ baseUrl: 'http://kong', timeoutMs: 0 })).toThrow(
      'KongAdminClient: timeoutMs must be a positive number, got 0',
    );
    expect(() => resolveOptions({ baseUrl: 'http://kong', pageSize: 1001 })).toThrow(
      /pageSize must be a whole number from 1 to 1000, got 1001/,
    );
    expect(() => resolveOptions({ baseUrl: 'http://kong', adminToken: 'two words' })).toThrow(
      /adminToken must be non-empty printable ASCII/,
    );
  });
});

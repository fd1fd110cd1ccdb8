import { apiBodyOf } from './api';

describe('dispatch create api flags', () => {
  it("maps Dispatch's flags and ours onto the API's body, leaving defaults to the server", () => {
    expect(apiBodyOf('hello', { path: ['/hello'], output: 'table' })).toEqual({ function: 'hello', paths: ['/hello'] });
    expect(
      apiBodyOf('hello', {
        method: ['post', 'GET'],
        path: ['/a', '/b'],
        domain: ['api.example.com'],
        auth: 'idp-token',
        httpsOnly: true,
        cors: true,
        disable: true,
        rateLimitMinute: '60',
        maxBodyBytes: '1024',
        output: 'json',
      }),
    ).toEqual({
      function: 'hello',
      paths: ['/a', '/b'],
      methods: ['POST', 'GET'],
      hosts: ['api.example.com'],
      authentication: 'idp-token',
      protocols: ['https'],
      cors: true,
      enabled: false,
      rateLimit: { minute: 60 },
      requestSizeLimit: 1024,
    });
  });

  it('refuses what the server would, before calling it', () => {
    expect(() => apiBodyOf('hello', { output: 'table' })).toThrow('-p/--path');
    expect(() => apiBodyOf('hello', { path: ['/a'], auth: 'basic', output: 'table' })).toThrow('--auth basic');
    expect(() => apiBodyOf('hello', { path: ['/a'], rateLimitMinute: '0', output: 'table' })).toThrow('--rate-limit-minute 0');
  });
});

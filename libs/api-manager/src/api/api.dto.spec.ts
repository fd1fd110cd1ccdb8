import { apiCreateBody, apiUpdateBody } from './api.dto';
import { routeKeys } from './api-spec';

const problems = (body: unknown) => {
  const r = apiCreateBody.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('apiCreateBody', () => {
  it("fills the defaults and takes Dispatch's names: uris for paths, https-only for protocols", () => {
    const parsed = apiCreateBody.parse({ name: 'hello', function: 'fn', uris: ['/hello/'], 'https-only': true, cors: true });
    expect(parsed.spec).toMatchObject({
      function: 'fn',
      paths: ['/hello'],
      protocols: ['https'],
      methods: ['GET', 'POST'],
      hosts: [],
      authentication: 'public',
      rateLimit: null,
      requestSizeLimit: null,
      enabled: true,
    });
    expect(parsed.spec.cors?.origins).toEqual(['*']);
    expect(apiCreateBody.parse({ name: 'a', function: 'fn', paths: ['/a'] }).spec.protocols).toEqual(['http', 'https']);
  });

  it.each([
    [{ name: 'a', function: 'fn' }, 'paths'],
    [{ name: 'a', function: 'fn', paths: ['/a'], uris: ['/b'] }, 'uris'],
    [{ name: 'a', function: 'fn', paths: ['a'] }, 'paths.0'],
    [{ name: 'a', function: 'fn', paths: ['/a//b'] }, 'paths.0'],
    [{ name: 'a', function: 'fn', paths: ['/a'], methods: ['FETCH'] }, 'methods.0'],
    [{ name: 'a', function: 'fn', paths: ['/a'], cors: { origins: ['not an origin'] } }, 'cors.origins.0'],
    [{ name: 'a', function: 'fn', paths: ['/a'], cors: { origins: ['*'], credentials: true } }, 'cors.origins'],
    [{ name: 'a', function: 'fn', paths: ['/a'], cors: { origins: ['*'], methods: ['BREW'] } }, 'cors.methods.0'],
    [{ name: 'a', function: 'fn', paths: ['/a'], rateLimit: {} }, 'rateLimit'],
    [{ name: 'a', function: 'fn', paths: ['/a'], rateLimit: { minute: 0 } }, 'rateLimit.minute'],
    [{ name: 'a', function: 'fn', paths: ['/a'], rateLimit: { second: 10, minute: 5 } }, 'rateLimit.minute'],
    [{ name: 'a', function: 'fn', paths: ['/a'], requestSizeLimit: 0 }, 'requestSizeLimit'],
    [{ name: 'a', function: 'fn', paths: ['/a'], protocols: ['https'], 'https-only': false }, 'https-only'],
    [{ name: 'a', function: 'fn', paths: ['/a'], hosts: ['bad host'] }, 'hosts.0'],
    [{ name: 'a', function: 'fn', paths: ['/a'], authentication: 'basic' }, 'authentication'],
    [{ name: 'a', function: 'fn', paths: ['/a'], extra: 1 }, ''],
    [{ name: 'export', function: 'fn', paths: ['/a'] }, 'name'],
  ])('refuses %j, naming %s', (body, field) => expect(problems(body)).toContain(field));

  it('takes the same fields on update, without the name', () => {
    expect(apiUpdateBody.parse({ function: 'fn', paths: ['/b'] }).spec.paths).toEqual(['/b']);
    expect(apiUpdateBody.safeParse({ name: 'x', function: 'fn', paths: ['/b'] }).success).toBe(false);
  });
});

describe('routeKeys', () => {
  it('serves paths under the org without hosts, as given on each host otherwise', () => {
    expect(routeKeys('acme', { paths: ['/a', '/'], hosts: [] })).toEqual(['* /acme', '* /acme/a']);
    expect(routeKeys('acme', { paths: ['/a'], hosts: ['x.example.com', 'y.example.com'] })).toEqual([
      'x.example.com /a',
      'y.example.com /a',
    ]);
  });
});

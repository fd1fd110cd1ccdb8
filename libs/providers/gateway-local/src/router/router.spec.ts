import type { KongRoute, KongService } from '../kong-entities';
import { Router, RouteConfigError, type RouterRequest } from './router';
import { normalizeRequestPath } from './normalize-path';

const service: KongService = { id: 'svc', protocol: 'http', host: 'upstream.test', port: 80, path: null };

function route(id: string, fields: Partial<KongRoute>): KongRoute {
  return { id, service: { id: 'svc' }, created_at: 1, ...fields };
}

function req(method: string, target: string, host = 'localhost', headers: RouterRequest['headers'] = {}): RouterRequest {
  return { method, target, host, headers, localPort: 8000 };
}

function matchedId(router: Router, request: RouterRequest): string | undefined {
  return router.match(request)?.route.id;
}

describe('Router (Kong traditional_compatible)', () => {
  describe('the documented example route (hosts, paths, methods)', () => {
    const router = new Router(
      [route('r', { hosts: ['example.com', 'foo-service.com'], paths: ['/foo', '/bar'], methods: ['GET'] })],
      [service],
    );

    it.each([
      ['GET', '/foo', 'example.com'],
      ['GET', '/bar', 'foo-service.com'],
      ['GET', '/foo/hello/world', 'example.com'],
    ])('matches %s %s Host: %s', (method, target, host) => {
      expect(matchedId(router, req(method, target, host))).toBe('r');
    });

    it.each([
      ['GET', '/', 'example.com', 'the path'],
      ['POST', '/foo', 'example.com', 'the method'],
      ['GET', '/foo', 'foo.com', 'the host'],
    ])('does not match %s %s Host: %s (%s differs)', (method, target, host) => {
      expect(router.match(req(method, target, host))).toBeUndefined();
    });
  });

  it('matches wildcard hosts at either end, and a host with a port only on that port', () => {
    const router = new Router(
      [route('sub', { hosts: ['*.example.com'] }), route('tld', { hosts: ['example.*'] }), route('port', { hosts: ['service.com:8000'] })],
      [service],
    );
    expect(matchedId(router, req('GET', '/', 'a.example.com'))).toBe('sub');
    expect(matchedId(router, req('GET', '/', 'x.y.example.com'))).toBe('sub');
    expect(matchedId(router, req('GET', '/', 'example.org'))).toBe('tld');
    expect(matchedId(router, req('GET', '/', 'EXAMPLE.ORG:8000'))).toBe('tld');
    expect(matchedId(router, req('GET', '/', 'service.com'))).toBe('port');
    expect(matchedId(router, req('GET', '/', 'service.com:8000'))).toBe('port');
    expect(router.match(req('GET', '/', 'service.com:9000'))).toBeUndefined();
    expect(router.match(req('GET', '/', 'example-com.net'))).toBeUndefined();
  });

  it('matches plain paths as prefixes, including with a query string', () => {
    const router = new Router([route('r', { paths: ['/service'] })], [service]);
    for (const target of ['/service', '/service/resource', '/service/resource?param=value', '/services']) {
      expect(matchedId(router, req('GET', target))).toBe('r');
    }
    expect(router.match(req('GET', '/servic'))).toBeUndefined();
  });

  it('matches `~` regex paths anchored at the start and returns their captures', () => {
    const router = new Router([route('users', { paths: ['~/users/\\d+/profile', '~/version/(?<version>\\d+)/users/(\\S+)'] })], [service]);
    expect(matchedId(router, req('GET', '/users/123/profile'))).toBe('users');
    expect(router.match(req('GET', '/users/abc/profile'))).toBeUndefined();
    expect(router.match(req('GET', '/api/users/123/profile'))).toBeUndefined();
    const match = router.match(req('GET', '/version/1/users/john'));
    expect(match?.uriCaptures).toEqual({ full: '/version/1/users/john', unnamed: ['1', 'john'], named: { version: '1' } });
    expect(router.match(req('GET', '/users/123/profile'))?.uriCaptures).toBeUndefined();
  });

  it('accepts PCRE named groups (?P<name>)', () => {
    const router = new Router([route('r', { paths: ['~/fn/(?P<name>[a-z]+)$'] })], [service]);
    expect(router.match(req('GET', '/fn/hello'))?.uriCaptures?.named).toEqual({ name: 'hello' });
    expect(router.match(req('GET', '/fn/hello/x'))).toBeUndefined();
  });

  it('matches headers by any value, case-insensitively, and `~*` values as regexes', () => {
    const router = new Router(
      [route('v', { headers: { version: ['v1', 'v2'] } }), route('re', { headers: { 'x-client': ['~*^mobile-\\d+$'] } })],
      [service],
    );
    expect(matchedId(router, req('GET', '/', 'h', { version: 'V2' }))).toBe('v');
    expect(matchedId(router, req('GET', '/', 'h', { 'x-client': 'Mobile-12' }))).toBe('re');
    expect(router.match(req('GET', '/', 'h', { version: 'v3' }))).toBeUndefined();
    expect(router.match(req('GET', '/', 'h'))).toBeUndefined();
  });

  describe('priority', () => {
    it('evaluates regex paths before plain ones, then by regex_priority, then the longest prefix', () => {
      const router = new Router(
        [
          route('status', { paths: ['~/status/\\d+'], regex_priority: 0 }),
          route('version-status', { paths: ['~/version/\\d+/status/\\d+'], regex_priority: 6 }),
          route('version', { paths: ['/version'] }),
          route('version-any', { paths: ['/version/any/'] }),
        ],
        [service],
      );
      expect(matchedId(router, req('GET', '/version'))).toBe('version');
      expect(matchedId(router, req('GET', '/version/any/thing'))).toBe('version-any');
      expect(matchedId(router, req('GET', '/version/1/status/2'))).toBe('version-status');
      expect(matchedId(router, req('GET', '/status/2'))).toBe('status');
    });

    it('ignores regex_priority on plain paths, whatever other routes exist', () => {
      const router = new Router(
        [
          route('root', { hosts: ['foo.com'], paths: ['/'], regex_priority: 1 }),
          route('v1', { hosts: ['foo.com'], paths: ['/v1'], regex_priority: 0 }),
          route('other', { hosts: ['bar.com'], paths: ['~/.*'] }),
        ],
        [service],
      );
      expect(matchedId(router, req('GET', '/v1/x', 'foo.com'))).toBe('v1');
      expect(matchedId(router, req('GET', '/x', 'foo.com'))).toBe('root');
    });

    it('lets the higher regex_priority win between two matching regexes', () => {
      const router = new Router(
        [route('low', { paths: ['~/a/.*'], regex_priority: 1 }), route('high', { paths: ['~/a/b.*'], regex_priority: 5 })],
        [service],
      );
      expect(matchedId(router, req('GET', '/a/bc'))).toBe('high');
      expect(matchedId(router, req('GET', '/a/xc'))).toBe('low');
    });

    it('prefers the route setting more fields (hosts, methods, headers) over a longer path', () => {
      const router = new Router(
        [
          route('long-path', { paths: ['/very/long/path'] }),
          route('host-and-path', { hosts: ['example.com'], paths: ['/'] }),
          route('method-host-path', { hosts: ['example.com'], paths: ['/'], methods: ['GET'] }),
        ],
        [service],
      );
      expect(matchedId(router, req('GET', '/very/long/path', 'example.com'))).toBe('method-host-path');
      expect(matchedId(router, req('POST', '/very/long/path', 'example.com'))).toBe('host-and-path');
      expect(matchedId(router, req('POST', '/very/long/path', 'other.com'))).toBe('long-path');
    });

    it('prefers plain hosts over wildcard hosts, and more headers over fewer', () => {
      const router = new Router(
        [
          route('wild', { hosts: ['*.example.com'] }),
          route('plain', { hosts: ['api.example.com'] }),
          route('one-header', { headers: { a: ['1'] } }),
          route('two-headers', { headers: { a: ['1'], b: ['2'] } }),
        ],
        [service],
      );
      expect(matchedId(router, req('GET', '/', 'api.example.com'))).toBe('plain');
      expect(matchedId(router, req('GET', '/', 'web.example.com'))).toBe('wild');
      expect(matchedId(router, req('GET', '/', 'x', { a: '1', b: '2' }))).toBe('two-headers');
      expect(matchedId(router, req('GET', '/', 'x', { a: '1' }))).toBe('one-header');
    });

    it('orders the path groups of one route separately, so its longer prefix beats a mid-length one', () => {
      const router = new Router([route('split', { paths: ['/a', '/a/b/c'] }), route('mid', { paths: ['/a/b'] })], [service]);
      expect(matchedId(router, req('GET', '/a/b/c/d'))).toBe('split');
      expect(matchedId(router, req('GET', '/a/b/x'))).toBe('mid');
      expect(matchedId(router, req('GET', '/a/x'))).toBe('split');
    });

    it('breaks ties by the greater route id, as the ATC router does', () => {
      const router = new Router(
        [route('e8fb37f1-0002', { paths: ['/same'], created_at: 10 }), route('e8fb37f1-0001', { paths: ['/same'], created_at: 20 })],
        [service],
      );
      expect(matchedId(router, req('GET', '/same'))).toBe('e8fb37f1-0002');
    });

    // Cases of Kong's own router spec (spec/01-unit/08-router_spec.lua) that its compat flavor runs.
    it('[method] does not supersede [wildcard host] or [uri prefix]', () => {
      const hostCase = new Router([route('r-8101', { methods: ['GET'] }), route('r-8102', { hosts: ['domain.*'] })], [service]);
      expect(matchedId(hostCase, req('GET', '/', 'nothing.com'))).toBe('r-8101');
      expect(matchedId(hostCase, req('GET', '/', 'domain.com'))).toBe('r-8102');
      const uriCase = new Router([route('r-8101', { methods: ['GET'] }), route('r-8102', { paths: ['/example'] })], [service]);
      expect(matchedId(uriCase, req('GET', '/example', 'domain.org'))).toBe('r-8102');
      expect(matchedId(uriCase, req('GET', '/example/status/200', 'domain.org'))).toBe('r-8102');
    });

    it('[host] and [uri] have higher priority than [method]', () => {
      const router = new Router(
        [
          route('r-1', { hosts: ['domain-1.org', 'domain-2.org'] }),
          route('r-2', { methods: ['TRACE'] }),
          route('r-3', { paths: ['/my-route'] }),
        ],
        [service],
      );
      expect(matchedId(router, req('TRACE', '/', 'domain-2.org'))).toBe('r-1');
      expect(matchedId(router, req('TRACE', '/my-route', 'domain.org'))).toBe('r-3');
    });

    it('half [uri regex] and [method] match does not supersede another route', () => {
      const router = new Router(
        [
          route('r-8101', { methods: ['GET'], paths: ['~/users/\\d+/profile'] }),
          route('r-8102', { methods: ['POST'], paths: ['~/users/\\d*/profile'] }),
        ],
        [service],
      );
      expect(matchedId(router, req('GET', '/users/123/profile'))).toBe('r-8101');
      expect(matchedId(router, req('POST', '/users/123/profile'))).toBe('r-8102');
    });

    it('matches a [wildcard host + port] even if a [wildcard host] matched', () => {
      const router = new Router(
        [route('r-8101', { hosts: ['route.*'] }), route('r-8102', { hosts: ['route.*:123'] }), route('r-8103', { hosts: ['route.*:80'] })],
        [service],
      );
      expect(matchedId(router, req('GET', '/', 'route.org:123'))).toBe('r-8102');
      expect(matchedId(router, req('GET', '/', 'route.org:80'))).toBe('r-8103');
    });

    it('matches [wildcard host + path] even if a similar [plain host] exists, and the plain one on its path', () => {
      const router = new Router(
        [
          route('r-8101', { hosts: ['*.route.com'], paths: ['/path1'] }),
          route('r-8102', { hosts: ['plain.route.com'], paths: ['/path2'] }),
        ],
        [service],
      );
      expect(matchedId(router, req('GET', '/path1', 'plain.route.com'))).toBe('r-8101');
      expect(matchedId(router, req('GET', '/path2', 'plain.route.com'))).toBe('r-8102');
    });
  });

  describe('upstream path (strip_path, path_handling v0) and host', () => {
    function upstream(fields: Partial<KongRoute>, servicePath: string | null, target: string) {
      const router = new Router([route('r', fields)], [{ ...service, path: servicePath }]);
      return router.match(req('GET', target, 'client.test'));
    }

    it.each([
      // service path, route path, strip_path, request → upstream (Kong's path handling v0 table)
      ['/s', '/fv0', false, '/fv0req', '/s/fv0req'],
      ['/s', '/fv0', true, '/fv0req', '/s/req'],
      ['/s', '/fv0', true, '/fv0/req', '/s/req'],
      ['/s', '/fv0', true, '/fv0', '/s'],
      ['/s', '/fv0', true, '/fv0/', '/s/'],
      ['/s/', '/fv0', true, '/fv0', '/s'],
      ['/s/', '/fv0', true, '/fv0/', '/s/'],
      ['/s/', '/fv0', true, '/fv0req', '/s/req'],
      ['/s/', '/fv0', false, '/fv0/req', '/s/fv0/req'],
      ['/s', '/fv0/', true, '/fv0/req', '/s/req'],
      ['/s', '/fv0/', false, '/fv0/req', '/s/fv0/req'],
      [null, '/fn', true, '/fn/hello', '/hello'],
      [null, '/fn', true, '/fn', '/'],
      [null, '/fn', false, '/fn/hello', '/fn/hello'],
    ])('service %s, route %s, strip_path %s: %s → %s', (servicePath, routePath, strip, target, expected) => {
      expect(upstream({ paths: [routePath], strip_path: strip }, servicePath, target)?.upstreamTarget).toBe(expected);
    });

    it('strips the whole regex match (the documented /version/\\d+/service example)', () => {
      expect(
        upstream({ paths: ['~/version/\\d+/service'], strip_path: true }, null, '/version/1/service/path/to/resource')?.upstreamTarget,
      ).toBe('/path/to/resource');
    });

    it('strips url-encoded paths, leaving reserved escapes encoded (Kong router spec)', () => {
      const match = upstream({ paths: ['/endel%2Fst'], strip_path: true }, null, '/endel%2fst');
      expect(match?.strippedPrefix).toBe('/endel%2Fst');
      expect(match?.upstreamTarget).toBe('/');
    });

    it('strips a [uri regex] with a capture group (Kong router spec)', () => {
      const match = upstream({ paths: ['~/users/(\\d+)/profile'], strip_path: true }, null, '/users/123/profile/hello/world');
      expect(match?.strippedPrefix).toBe('/users/123/profile');
      expect(match?.upstreamTarget).toBe('/hello/world');
      expect(match?.uriCaptures?.unnamed).toEqual(['123']);
    });

    it('escapes again what normalizing decoded and a request line cannot carry', () => {
      expect(upstream({ paths: ['/fn'], strip_path: true }, null, '/fn/a%20b/caf%C3%A9/%2F?q=%20')?.upstreamTarget).toBe(
        '/a%20b/caf%C3%A9/%2F?q=%20',
      );
    });

    it('strips the regex match and keeps the query string', () => {
      const match = upstream({ paths: ['~/fn/[a-z]+'], strip_path: true }, '/base', '/fn/hello/rest?x=1&y=2');
      expect(match?.upstreamTarget).toBe('/base/rest?x=1&y=2');
      expect(match?.strippedPrefix).toBe('/fn/hello');
    });

    it('strips by default, as Kong (strip_path defaults to true)', () => {
      expect(upstream({ paths: ['/p'] }, '/', '/p/x')?.upstreamTarget).toBe('/x');
    });

    it('sends the client Host only with preserve_host', () => {
      expect(upstream({ paths: ['/'], preserve_host: true }, null, '/')?.upstreamHost).toBe('client.test');
      expect(upstream({ paths: ['/'] }, null, '/')?.upstreamHost).toBeUndefined();
    });
  });

  it('matches the normalized path', () => {
    expect(normalizeRequestPath('/a/./b//c/%7Ed/../e?q=1')).toBe('/a/b/c/e');
    expect(normalizeRequestPath('/a%2fb')).toBe('/a%2Fb');
    expect(normalizeRequestPath('/caf%C3%A9/a%20b/%2e%2e/c')).toBe('/café/c');
    expect(normalizeRequestPath('/bad%FF')).toBe('/bad%FF');
    const router = new Router([route('r', { paths: ['/a/b'] })], [service]);
    expect(matchedId(router, req('GET', '/a//./b'))).toBe('r');
  });

  it('rejects a route with an invalid regex or an unknown service', () => {
    expect(() => new Router([route('r', { paths: ['~/(unclosed'] })], [service])).toThrow(RouteConfigError);
    expect(() => new Router([route('r', { service: { id: 'nope' } })], [service])).toThrow(/service nope does not exist/);
  });
});

import { accessContext, runPlugin } from '../test-support/access-context';
import { RateLimitCounters, rateLimitingPlugin, windowStarts } from './rate-limiting';

const T0 = Date.UTC(2026, 5, 15, 10, 20, 45, 500);

describe('rate-limiting plugin (local policy)', () => {
  function limiter() {
    const plugin = rateLimitingPlugin(new RateLimitCounters());
    return (config: Record<string, unknown>, fake: Parameters<typeof accessContext>[0] = {}) => {
      const { ctx } = accessContext({ now: T0, ...fake });
      return runPlugin(plugin, config, ctx).then((result) => ({ ...result, headers: ctx.responseHeaders }));
    };
  }

  it('counts per window, sets Kong headers for each period and the tightest, and refuses with 429 past the limit', async () => {
    const call = limiter();
    const config = { minute: 2, hour: 5 };
    const first = await call(config);
    expect(first.exit).toBeUndefined();
    expect(first.headers).toEqual({
      'X-RateLimit-Limit-Minute': '2',
      'X-RateLimit-Remaining-Minute': '1',
      'X-RateLimit-Limit-Hour': '5',
      'X-RateLimit-Remaining-Hour': '4',
      'RateLimit-Limit': '2',
      'RateLimit-Remaining': '1',
      'RateLimit-Reset': '15',
    });
    expect((await call(config)).headers['RateLimit-Remaining']).toBe('0');
    const refused = await call(config);
    expect(refused.exit?.status).toBe(429);
    expect(refused.body).toEqual({ message: 'API rate limit exceeded', request_id: 'req-1' });
    expect(refused.headers).toMatchObject({
      'Retry-After': '15',
      'RateLimit-Reset': '15',
      'X-RateLimit-Remaining-Minute': '0',
      'X-RateLimit-Remaining-Hour': '3',
    });
  });

  it('starts counting again in the next window', async () => {
    const call = limiter();
    await call({ second: 1 });
    expect((await call({ second: 1 })).exit?.status).toBe(429);
    expect((await call({ second: 1 }, { now: T0 + 500 })).exit).toBeUndefined();
  });

  it('counts each client address apart by default, and a consumer across addresses with limit_by consumer', async () => {
    const call = limiter();
    expect((await call({ minute: 1 }, { clientIp: '198.51.100.1' })).exit).toBeUndefined();
    expect((await call({ minute: 1 }, { clientIp: '198.51.100.2' })).exit).toBeUndefined();
    expect((await call({ minute: 1 }, { clientIp: '198.51.100.1' })).exit?.status).toBe(429);
    const header = { limit_by: 'header', header_name: 'x-tenant', minute: 1 };
    expect((await call(header, { headers: { 'x-tenant': 'a' }, clientIp: '198.51.100.7' })).exit).toBeUndefined();
    expect((await call(header, { headers: { 'x-tenant': 'a' }, clientIp: '198.51.100.8' })).exit?.status).toBe(429);
  });

  it("counts in the plugin's scope: a global limit across routes, a route's limit on its own", async () => {
    const plugin = rateLimitingPlugin(new RateLimitCounters());
    const onRoute = (routeId: string, scope: { routeId?: string }) =>
      runPlugin(plugin, { minute: 1 }, accessContext({ now: T0, route: { id: routeId } }).ctx, undefined, scope).then(
        ({ exit }) => exit?.status,
      );
    expect(await onRoute('a', {})).toBeUndefined();
    expect(await onRoute('b', {})).toBe(429);
    expect(await onRoute('a', { routeId: 'a' })).toBeUndefined();
    expect(await onRoute('a', { routeId: 'a' })).toBe(429);
    expect(await onRoute('b', { routeId: 'b' })).toBeUndefined();
  });

  it('hides the headers with hide_client_headers and uses the custom error code and message', async () => {
    const call = limiter();
    const config = { minute: 1, hide_client_headers: true, error_code: 503, error_message: 'slow down' };
    expect((await call(config)).headers).toEqual({});
    const refused = await call(config);
    expect(refused.exit?.status).toBe(503);
    expect(refused.body?.['message']).toBe('slow down');
    expect(refused.headers).toEqual({});
  });

  it('computes the reset from the window start, in UTC', () => {
    const starts = windowStarts(T0);
    expect(starts.second).toBe(Date.UTC(2026, 5, 15, 10, 20, 45));
    expect(starts.minute).toBe(Date.UTC(2026, 5, 15, 10, 20));
    expect(starts.hour).toBe(Date.UTC(2026, 5, 15, 10));
    expect(starts.day).toBe(Date.UTC(2026, 5, 15));
    expect(starts.month).toBe(Date.UTC(2026, 5, 1));
    expect(starts.year).toBe(Date.UTC(2026, 0, 1));
  });

  it.each([
    [{}, /at least one of these fields must be non-empty/],
    [{ second: 10, minute: 5 }, /the limit for minute\(5\.0\) cannot be lower than the limit for second\(10\.0\)/],
    [{ minute: 5, limit_by: 'header' }, /config\.header_name: required field missing/],
    [{ minute: 5, policy: 'redis' }, /use 'local'/],
    [{ minute: 'five' }, /config\.minute: must be number/],
  ])('refuses the config %j', async (config, message) => {
    await expect(runPlugin(rateLimitingPlugin(new RateLimitCounters()), config, accessContext().ctx)).rejects.toThrow(message);
  });
});

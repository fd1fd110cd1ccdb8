import { accessContext, runPlugin } from '../test-support/access-context';
import { encodeArgs, parseArgs } from './request-transformer-args';
import { requestTransformerPlugin } from './request-transformer';
import { PluginConfigError, validatePlugin } from './validate';

function run(config: Record<string, unknown>, fake: Parameters<typeof accessContext>[0] = {}) {
  const context = accessContext(fake);
  return { ...context, done: runPlugin(requestTransformerPlugin, config, context.ctx) };
}

function refusal(config: Record<string, unknown>): Record<string, string> {
  try {
    validatePlugin({ id: 'p', name: 'request-transformer', config }, requestTransformerPlugin);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginConfigError);
    return (error as PluginConfigError).fields;
  }
  throw new Error('accepted');
}

describe('request-transformer headers', () => {
  it('removes a spoofed header before adding the configured one, so the client cannot set it', async () => {
    const { upstream, done } = run(
      {
        remove: { headers: ['x-dispatch-gateway-secret', 'x-dispatch-auth', 'x-dispatch-api'] },
        add: { headers: ['x-dispatch-gateway-secret:s3cret', 'x-dispatch-auth:idp-token', 'x-dispatch-api:orders'] },
      },
      { headers: { 'x-dispatch-auth': 'none', 'x-dispatch-api': 'admin', accept: 'application/json' } },
    );
    await done;
    expect(upstream.headers).toEqual({
      'x-dispatch-gateway-secret': 's3cret',
      'x-dispatch-auth': 'idp-token',
      'x-dispatch-api': 'orders',
    });
  });

  it('adds only what is absent, replaces only what is present, appends always', async () => {
    const { upstream, done } = run(
      {
        replace: { headers: ['x-present:replaced', 'x-absent:replaced'] },
        add: { headers: ['x-present:added', 'x-new:added'] },
        append: { headers: ['x-present:appended', 'x-more:one', 'x-more:two'] },
      },
      { headers: { 'x-present': 'original' } },
    );
    await done;
    expect(upstream.headers).toEqual({ 'x-present': ['replaced', 'appended'], 'x-new': 'added', 'x-more': ['one', 'two'] });
  });

  it('renames headers (names case-insensitive) and leaves absent ones alone', async () => {
    const { upstream, done } = run({ rename: { headers: ['X-Old:x-new', 'x-missing:x-other'] } }, { headers: { 'x-old': 'v' } });
    await done;
    expect(upstream.headers).toEqual({ 'x-old': undefined, 'x-new': 'v' });
  });

  it('runs remove, rename, replace, add and append in that order', async () => {
    const { upstream, done } = run(
      {
        append: { headers: ['x-b:appended'] },
        add: { headers: ['x-b:added', 'x-a:added'] },
        replace: { headers: ['x-b:replaced'] },
        rename: { headers: ['x-a:x-b'] },
        remove: { headers: ['x-b'] },
      },
      { headers: { 'x-a': 'a', 'x-b': 'b' } },
    );
    await done;
    // x-b removed, x-a renamed to it, then replaced; add skips it and re-adds x-a; append adds to x-b.
    expect(upstream.headers).toEqual({ 'x-a': 'added', 'x-b': ['replaced', 'appended'] });
  });

  it('keeps values as written after the colons, and never adds a Host; replace sets it', async () => {
    const { upstream, done } = run({ add: { headers: ['x-spaced: v:1', 'host:evil.test'] }, replace: { headers: ['host:api.test'] } });
    await done;
    expect(upstream.headers).toEqual({ 'x-spaced': ' v:1', host: 'api.test' });
  });
});

describe('request-transformer query string', () => {
  it('removes, renames, replaces, adds and appends arguments, written back in name order', async () => {
    const { upstream, done } = run(
      {
        remove: { querystring: ['secret'] },
        rename: { querystring: ['old:new'] },
        replace: { querystring: ['mode:strict', 'absent:x'] },
        add: { querystring: ['mode:loose', 'lang:en gb'] },
        append: { querystring: ['tag:b'] },
      },
      { query: 'tag=a&secret=1&old=o&mode=m&flag' },
    );
    await done;
    expect(upstream.query).toBe('flag&lang=en%20gb&mode=strict&new=o&tag=a&tag=b');
  });

  it('drops an argument of the new name when renaming one the request lacks, as Kong does', async () => {
    const { upstream, done } = run({ rename: { querystring: ['missing:kept'] } }, { query: 'kept=1&other=2' });
    await done;
    expect(upstream.query).toBe('other=2');
  });

  it('leaves the query string as received when no querystring list is set', async () => {
    const { upstream, done } = run({ add: { headers: ['x:1'] } }, { query: 'b=1&a=%7e' });
    await done;
    expect(upstream.query).toBeUndefined();
  });

  it('parses flags, repeats and escapes, and encodes as kong.service.request.set_query', () => {
    const args = parseArgs('a=1&a=2&flag&empty=&sp=x+y&pct=%2F%zz&=nameless');
    expect([...args]).toEqual([
      ['a', ['1', '2']],
      ['flag', [true]],
      ['empty', ['']],
      ['sp', ['x y']],
      ['pct', ['/%zz']],
    ]);
    expect(encodeArgs(args)).toBe('a=1&a=2&empty=&flag&pct=%2F%25zz&sp=x%20y');
    expect(encodeArgs(new Map([['q', ["it's (ok)*!"]]]))).toBe('q=it%27s%20%28ok%29%2A%21');
  });
});

describe('request-transformer method and path', () => {
  it('changes the upstream method and replaces the path', async () => {
    const { upstream, done } = run({ http_method: 'PUT', replace: { uri: '/v2/orders' } }, { method: 'POST', path: '/orders' });
    await done;
    expect(upstream).toMatchObject({ method: 'PUT', path: '/v2/orders', query: undefined });
  });

  it("moves a url-encoded body's fields to the query string when the method becomes GET", async () => {
    const { upstream, done, bodyReads } = run(
      { http_method: 'GET' },
      {
        method: 'POST',
        query: 'a=0',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: 'b=2&a=1',
      },
    );
    await done;
    expect(upstream).toMatchObject({ method: 'GET', query: 'a=0&a=1&b=2' });
    expect(bodyReads()).toBe(1);
  });

  it('reads no body for a JSON request or another method', async () => {
    const json = run({ http_method: 'GET' }, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    await json.done;
    const post = run({ http_method: 'POST' }, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    await post.done;
    expect([json.bodyReads(), post.bodyReads(), json.upstream.query, post.upstream.method]).toEqual([0, 0, undefined, 'POST']);
  });

  it('leaves the path alone for an empty replace.uri', async () => {
    const { upstream, done } = run({ replace: { uri: '' } });
    await done;
    expect(upstream.path).toBeUndefined();
  });
});

describe('request-transformer config', () => {
  it("fills every operation's lists with Kong's defaults", () => {
    const { config } = validatePlugin(
      { id: 'p', name: 'request-transformer', config: { add: { headers: ['a:b'] } } },
      requestTransformerPlugin,
    );
    const empty = { body: [], headers: [], querystring: [] };
    expect(config).toEqual({ remove: empty, rename: empty, replace: empty, append: empty, add: { ...empty, headers: ['a:b'] } });
  });

  it('refuses body transformations, saying gateway-local does not support them', () => {
    const fields = refusal({ add: { body: ['a:1'] }, remove: { body: ['b'] } });
    expect(fields).toEqual({
      'config.add.body': expect.stringMatching(/^gateway-local does not support body transformations/),
      'config.remove.body': expect.stringMatching(/^gateway-local does not support body transformations/),
    });
  });

  it('refuses templates, bad header names and values, valueless arguments, and bad paths and methods', () => {
    expect(
      refusal({
        add: { headers: ['x-a:$(headers.host)', 'x-ok:1', 'x b:1'], querystring: ['q'] },
        rename: { headers: ['x-a:x b'] },
        append: { headers: ['host:a'], querystring: ['q:$(query_params.a)'] },
        remove: { headers: ['bad header'] },
        replace: { uri: 'v2' },
        http_method: 'FETCH',
      }),
    ).toEqual({
      'config.add.headers.0': expect.stringMatching(/^value '\$\(headers.host\)' is a template: gateway-local does not render/),
      'config.add.headers.2': "'x b' is not a valid header",
      'config.add.querystring.0': "key 'q' has no value",
      'config.rename.headers.0': "'x b' is not a valid header",
      'config.append.headers.0': expect.stringMatching(/Host/),
      'config.append.querystring.0': expect.stringMatching(/is a template/),
      'config.remove.headers.0': "'bad header' is not a valid header",
      'config.replace.uri': "'v2' is not a path: it must start with /",
      'config.http_method': expect.stringMatching(/^'FETCH' is not a method/),
    });
    expect(refusal({ replace: { uri: '/$(uri_captures.id)' } })).toEqual({ 'config.replace.uri': expect.stringMatching(/is a template/) });
    expect(refusal({ add: { headers: ['x-empty:'] } })).toEqual({ 'config.add.headers.0': "'' is not a valid header" });
    expect(refusal({ add: { colour: ['x'] } })).toEqual({ 'config.add.colour': 'unknown field' });
    expect(refusal({ add: { headers: ['no-colon'] } })).toEqual({ 'config.add.headers.0': expect.stringMatching(/pattern/) });
  });
});

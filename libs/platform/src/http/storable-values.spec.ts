import { assertStorable, JSON_MAX_DEPTH } from './storable-values';

function refusal(value: unknown, where = 'body'): { code: string; message: string; details: unknown } | undefined {
  try {
    assertStorable(value, where);
    return undefined;
  } catch (err) {
    return err as { code: string; message: string; details: unknown };
  }
}

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('assertStorable', () => {
  it('lets ordinary values through, escaped backslashes and U+FFFD included', () => {
    for (const value of [undefined, null, 1, true, 'a', '\\u0000', '\ufffd', { a: [1, { b: 'c' }] }, [], {}])
      expect(refusal(value)).toBeUndefined();
  });

  it('names the field holding a NUL at any depth, in arrays and under odd keys', () => {
    expect(refusal('a\u0000b')).toMatchObject({ code: 'INVALID_CHARACTER', details: { field: 'body' } });
    expect(refusal({ env: { HOME: 'x\u0000' } })).toMatchObject({ code: 'INVALID_CHARACTER', details: { field: 'body.env.HOME' } });
    expect(refusal({ tags: ['ok', '\u0000'] })?.message).toMatch(/^body\.tags\[1\] contains a NUL character \(U\+0000\).*remove it/);
    expect(refusal({ 'a b': { 'c-d': '\u0000' } })).toMatchObject({ details: { field: 'body["a b"]["c-d"]' } });
    expect(refusal({ q: '\u0000' }, 'query')).toMatchObject({ details: { field: 'query.q' } });
  });

  it('refuses a NUL in a key, saying which object holds it', () => {
    const err = refusal({ env: { 'A\u0000': 'x' } });
    expect(err).toMatchObject({ code: 'INVALID_CHARACTER', details: { field: 'body.env["A\\u0000"]' } });
    expect(err?.message).toMatch(/^the key "A\\u0000" in body\.env contains a NUL character/);
  });

  it(`refuses nesting deeper than ${JSON_MAX_DEPTH} levels without overflowing the stack`, () => {
    expect(refusal(nested(JSON_MAX_DEPTH))).toBeUndefined();
    expect(refusal(nested(JSON_MAX_DEPTH + 1))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/nests deeper than 100 levels; flatten it$/),
    });
    expect(refusal(nested(100_000))).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

import {
  isDns1123Subdomain,
  isLabelValue,
  isQualifiedName,
  MAX_SECRET_SIZE,
  validateSecret,
  validateSecretUpdate,
} from './apiserver-validation';

describe("the API server's Secret rules (the fake API server)", () => {
  const b64 = (n: number) => Buffer.alloc(n).toString('base64');

  it('knows DNS-1123 subdomains, qualified names and label values', () => {
    expect(isDns1123Subdomain('dispatch.acme.db-password')).toBe(true);
    expect(isDns1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toBe(true);
    for (const bad of ['', 'Upper', '-lead', 'trail-', 'a..b', 'a_b', `${'a'.repeat(254)}`]) expect(isDns1123Subdomain(bad)).toBe(false);
    expect(isQualifiedName('app.kubernetes.io/managed-by')).toBe(true);
    expect(isQualifiedName('Tier_1')).toBe(true);
    for (const bad of ['/x', 'x/', 'a/b/c', 'UPPER.example/x', `${'n'.repeat(64)}`, '-x']) expect(isQualifiedName(bad)).toBe(false);
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('a'.repeat(63))).toBe(true);
    expect(isLabelValue('a'.repeat(64))).toBe(false);
  });

  it('accepts a well-formed Secret and lists every broken rule with its field', () => {
    expect(
      validateSecret({
        metadata: { name: 'ok', labels: { a: 'b' }, annotations: { 'x.io/y': 'anything at all' } },
        data: { 'tls.key': b64(10) },
      }),
    ).toEqual([]);
    const causes = validateSecret({
      metadata: { name: 'Bad', labels: { a: 'b c' }, annotations: { 'a/b/c': '' } },
      data: { 'no spaces': '', '..x': '', '.': '' },
    });
    expect(causes.map((c) => `${c.field} ${c.reason}`)).toEqual([
      'metadata.name FieldValueInvalid',
      'metadata.labels FieldValueInvalid',
      'metadata.annotations FieldValueInvalid',
      'data[no spaces] FieldValueInvalid',
      'data[..x] FieldValueInvalid',
      'data[.] FieldValueInvalid',
    ]);
  });

  it('limits data to 1 MiB of decoded bytes and annotations to 256 KiB', () => {
    expect(validateSecret({ metadata: { name: 'a' }, data: { K: b64(MAX_SECRET_SIZE) } })).toEqual([]);
    expect(validateSecret({ metadata: { name: 'a' }, data: { K: b64(MAX_SECRET_SIZE - 10), L: b64(11) } })).toEqual([
      { reason: 'FieldValueTooLong', field: 'data', message: 'Too long: may not be more than 1048576 bytes' },
    ]);
    expect(validateSecret({ metadata: { name: 'a', annotations: { a: 'x'.repeat(256 * 1024) } } })[0]).toMatchObject({
      field: 'metadata.annotations',
      reason: 'FieldValueTooLong',
    });
  });

  it('keeps type, and the data of an immutable Secret, from changing', () => {
    expect(validateSecretUpdate({ metadata: { name: 'a' }, type: 'kubernetes.io/tls' }, { metadata: { name: 'a' } })).toEqual([
      expect.objectContaining({ field: 'type', message: expect.stringContaining('field is immutable') }),
    ]);
    const frozen = { metadata: { name: 'a' }, data: { K: 'dg==' }, immutable: true };
    expect(validateSecretUpdate({ ...frozen, metadata: { name: 'a', labels: { new: 'label' } } }, frozen)).toEqual([]);
    expect(validateSecretUpdate({ ...frozen, data: { K: 'dw==' } }, frozen).map((c) => c.field)).toEqual(['data']);
    expect(validateSecretUpdate({ ...frozen, immutable: false }, frozen).map((c) => c.field)).toEqual(['immutable']);
  });
});

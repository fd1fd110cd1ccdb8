import { API_KEY_PATTERN } from '@dispatch/contracts';
import { newApiKey, sha256Hex } from './api-key-secret';

describe('API key secrets', () => {
  it('makes keys of the documented shape, whose prefix and hash are what is stored', () => {
    const { key, prefix, sha256 } = newApiKey();
    const m = API_KEY_PATTERN.exec(key);
    expect(m?.[1]).toBe(prefix);
    expect(sha256).toBe(sha256Hex(key));
    expect(sha256).not.toContain(key);
  });

  it('never repeats a key or a prefix', () => {
    const keys = Array.from({ length: 200 }, () => newApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(200);
  });
});

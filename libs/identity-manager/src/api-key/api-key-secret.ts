import { createHash, randomBytes } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new key `dsp_<prefix>_<secret>` (matches API_KEY_PATTERN) with what is stored of it. */
export function newApiKey(): { key: string; prefix: string; sha256: string } {
  const prefix = [...randomBytes(12)].map((b) => BASE32[b & 31]).join('');
  const key = `dsp_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, sha256: sha256Hex(key) };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

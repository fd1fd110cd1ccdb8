import { createHash, timingSafeEqual } from 'node:crypto';

export interface BasicAuthCredentials {
  user: string;
  password: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Checks an `Authorization: Basic …` header against the gateway's credentials, in constant time
 * (digests of equal length, so neither the length nor a common prefix leaks).
 */
export function basicAuthChecker(credentials: BasicAuthCredentials): (header: string | undefined) => boolean {
  const expected = digest(`${credentials.user}:${credentials.password}`);
  return (header) => {
    if (!header) return false;
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) return false;
    return timingSafeEqual(digest(Buffer.from(match[1], 'base64').toString('utf8')), expected);
  };
}

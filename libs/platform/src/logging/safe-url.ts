/**
 * A connection URL as it may be printed or logged: its password (NATS_URL and DATABASE_URL carry
 * credentials in the URL) replaced, the rest kept so the message still says where it went.
 */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    // Not a URL: it may be anything, credentials included.
    return '(an unparseable URL)';
  }
}

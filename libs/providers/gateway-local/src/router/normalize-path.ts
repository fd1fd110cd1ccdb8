/** RFC 3986 reserved characters (and `%`): Kong never decodes their escapes, which would change the path. */
const RESERVED = new Set("!*'();:@&=+$,/?%#[]");

/** Decodes a run of percent-escapes, keeping reserved ones (upper-cased) and any that are not UTF-8. */
function decodeRun(run: string): string {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    const buffer = Buffer.from(bytes);
    const text = buffer.toString('utf8');
    out += Buffer.from(text, 'utf8').equals(buffer)
      ? text
      : bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    bytes = [];
  };
  for (let i = 0; i < run.length; i += 3) {
    const byte = parseInt(run.slice(i + 1, i + 3), 16);
    if (byte < 0x80 && RESERVED.has(String.fromCharCode(byte))) {
      flush();
      out += run.slice(i, i + 3).toUpperCase();
    } else bytes.push(byte);
  }
  flush();
  return out;
}

/**
 * The path Kong matches routes against (kong/tools/uri.lua normalize(uri, true)): the request path
 * without its query, every percent-escape decoded except those of reserved characters, dot segments
 * removed and repeated slashes merged; so `/a/./b//c/%7Ed` matches routes written `/a/b/c/~d`.
 */
export function normalizeRequestPath(rawPath: string): string {
  const query = rawPath.indexOf('?');
  let path = query === -1 ? rawPath : rawPath.slice(0, query);
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/(?:%[0-9A-Fa-f]{2})+/g, decodeRun);
  path = path.replace(/\/{2,}/g, '/');
  const out: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '.') {
      if (last) out.push('');
    } else if (segment === '..') {
      out.pop();
      if (last) out.push('');
    } else out.push(segment);
  });
  return `/${out.join('/')}`;
}

/**
 * Kong's escape of the upstream path (kong/tools/uri.lua escape): what normalizing decoded and is not
 * safe in a request line is percent-encoded again.
 */
export function escapeUpstreamPath(path: string): string {
  return path.replace(/[^!#$&'()*+,/:;=?@[\]A-Za-z0-9\-_.~%]/gu, (char) => encodeURIComponent(char));
}

/** The query string of a raw request target, with its `?`, or '' when it has none. */
export function queryOf(rawPath: string): string {
  const query = rawPath.indexOf('?');
  return query === -1 ? '' : rawPath.slice(query);
}

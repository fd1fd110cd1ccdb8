const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The path Kong matches routes against: the request path without its query, percent-encoded
 * unreserved characters decoded, dot segments removed and repeated slashes merged (Kong's
 * `normalize(uri, true)`), so `/a/./b//c/%7Ed` matches routes written `/a/b/c/~d`.
 */
export function normalizeRequestPath(rawPath: string): string {
  const query = rawPath.indexOf('?');
  let path = query === -1 ? rawPath : rawPath.slice(0, query);
  if (!path.startsWith('/')) path = `/${path}`;
  path = path.replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
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

/** The query string of a raw request target, with its `?`, or '' when it has none. */
export function queryOf(rawPath: string): string {
  const query = rawPath.indexOf('?');
  return query === -1 ? '' : rawPath.slice(query);
}

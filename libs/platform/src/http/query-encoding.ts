import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

/**
 * The name of the first query parameter whose percent-encoding does not decode (`%ZZ`, a lone
 * `%`, cut-short UTF-8), or undefined. Fastify's query parser keeps such text as it came, so a
 * filter like `subject=%E0%A4` would silently match nothing instead of being refused.
 */
export function badlyEncodedQueryParameter(url: string): string | undefined {
  const start = url.indexOf('?');
  if (start < 0 || !url.includes('%', start)) return undefined;
  for (const pair of url.slice(start + 1).split('&')) {
    if (!pair.includes('%')) continue;
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    for (const part of equals < 0 ? [pair] : [name, pair.slice(equals + 1)]) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return safeName(name);
      }
    }
  }
  return undefined;
}

/** The parameter's name as far as it decodes, for the message; the rest stays as sent. */
function safeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Refuses a query that does not decode with 400 INVALID_URL, as the router refuses such a path. */
export function registerQueryEncodingCheck(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    // An unknown route is 404 whatever its query holds.
    if (request.is404) return done();
    const name = badlyEncodedQueryParameter(request.url);
    if (name === undefined) return done();
    done(
      new DispatchError(
        ErrorCode.INVALID_URL,
        `query parameter ${JSON.stringify(name)} is not valid percent-encoding (e.g. "%ZZ", a lone "%", or a cut-short UTF-8 sequence); encode "%" as %25 and each non-ASCII character as %XX of its UTF-8 bytes`,
        { field: `query.${name}` },
      ),
    );
  });
}

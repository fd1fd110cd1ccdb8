import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@dispatch/contracts';
import { DispatchError } from '../errors/dispatch-error';

/**
 * How deep a request's JSON may nest. PostgreSQL's jsonb and V8's JSON.stringify both recurse, so
 * a body nested thousands deep would fail deep inside a handler (a 500) instead of at the edge.
 */
export const JSON_MAX_DEPTH = 100;

type Segment = string | number;

interface Problem {
  kind: 'nul' | 'nul-key' | 'depth';
  /** From the value checked down to the offending one (a key itself, for `nul-key`). */
  path: Segment[];
}

/**
 * Refuses a request value no service can store or safely walk: a NUL character (U+0000) in any
 * string or object key at any depth (PostgreSQL text and jsonb cannot hold one, and stored
 * elsewhere it would come back altered), or nesting deeper than JSON_MAX_DEPTH. `where` names the
 * value for the client: `body`, `query`, `path parameter name`, a form field's name.
 */
export function assertStorable(value: unknown, where: string): void {
  const problem = problemIn(value, 0);
  if (!problem) return;
  const field = where + pathText(problem.path);
  if (problem.kind === 'depth') {
    throw new DispatchError(ErrorCode.VALIDATION_FAILED, `${field} nests deeper than ${JSON_MAX_DEPTH} levels; flatten it`, { field });
  }
  const what =
    problem.kind === 'nul-key'
      ? `the key ${JSON.stringify(problem.path[problem.path.length - 1])} in ${where + pathText(problem.path.slice(0, -1))}`
      : field;
  throw new DispatchError(
    ErrorCode.INVALID_CHARACTER,
    `${what} contains a NUL character (U+0000), which the API cannot store; remove it (send binary data base64-encoded)`,
    { field },
  );
}

/**
 * Checks every request's path parameters, query and parsed JSON body before any guard or handler
 * runs, so no route can forget to. Multipart fields are read by their routes, which check them.
 */
export function registerStorableInputCheck(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    // An unknown route stays a 404 whatever it was sent.
    if (request.is404) return done();
    try {
      for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>))
        assertStorable(value, `path parameter ${name}`);
      assertStorable(request.query, 'query');
      assertStorable(request.body, 'body');
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}

/** Depth-first, stopping at JSON_MAX_DEPTH, so the recursion itself is bounded. The path is built on the way back up. */
function problemIn(value: unknown, depth: number): Problem | undefined {
  if (typeof value === 'string') return value.includes('\0') ? { kind: 'nul', path: [] } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= JSON_MAX_DEPTH) return { kind: 'depth', path: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = problemIn(value[i], depth + 1);
      if (problem) return { kind: problem.kind, path: [i, ...problem.path] };
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (key.includes('\0')) return { kind: 'nul-key', path: [key] };
    const problem = problemIn((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return { kind: problem.kind, path: [key, ...problem.path] };
  }
  return undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `.env.HOME`, `.tags[2]`, `["a b"]`: how a client would write the path in JavaScript. */
function pathText(path: Segment[]): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : IDENTIFIER.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

import { ErrorCode, FUNCTION_RUNTIMES, type FunctionHandlerRef, type FunctionRuntime } from '@dispatch/contracts';
import { DispatchError } from '@dispatch/platform';
import type { SourceTree } from './source-tree';

/** Where a handler lives: the file of the source and the export or function to call in it. */
export interface HandlerTarget {
  runtime: FunctionRuntime;
  /** Path of the file in the source tree. */
  file: string;
  /**
   * Node.js: the named export of `file.js:name`, undefined when `module.exports` is the function.
   * Python: the function to call (`handle` for a bare `hello.py`).
   */
  exportName?: string;
}

/** What a handler reference asks for, before looking at any source: the files it may name, in order. */
export interface HandlerRequest {
  runtime: FunctionRuntime;
  candidates: string[];
  exportName?: string;
}

/** Files a "not found" message lists to help. */
const LISTED_FILES = 8;
const JS_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const PY_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RUNTIME_EXTENSIONS: Record<FunctionRuntime, RegExp> = { nodejs: /\.[cm]?js$/, python3: /\.py$/ };

export function isFunctionRuntime(runtime: string): runtime is FunctionRuntime {
  return (FUNCTION_RUNTIMES as readonly string[]).includes(runtime);
}

function badHandler(handler: string, why: string): DispatchError {
  return new DispatchError(ErrorCode.VALIDATION_FAILED, `handler ${handler} ${why}`, { handler });
}

/** A relative path inside the source, normalised, or VALIDATION_FAILED. */
function handlerPath(handler: string, path: string): string {
  if (path.includes('\\') || /[\u0000-\u001f\u007f]/.test(path)) {
    throw badHandler(handler, 'must be a path with / separators and no control characters');
  }
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    throw badHandler(handler, 'must be a path relative to the source root, not an absolute one');
  }
  const segments = path.split('/').filter((segment) => segment !== '.');
  if (segments.includes('..')) throw badHandler(handler, "must name a file inside the source: no '..'");
  if (segments.length === 0 || segments.includes('')) throw badHandler(handler, 'must name a file (no empty path segments)');
  return segments.join('/');
}

/**
 * The files a handler reference may name, in the order a runtime shim looks for them, and the
 * export to call. UNKNOWN_RUNTIME for a runtime Dispatch has no shim for, VALIDATION_FAILED for a
 * malformed reference (empty, absolute, `..`, a bad export name).
 *
 * Node.js (`nodejs`): `file` or `file:name`.
 * - `index.js`, `lib/hello.js`, `main.cjs`: that file (`module.exports` is the function).
 * - `index`, `lib/hello`: as `require` resolves it: `index`, then `index.js`, then `index/index.js`.
 * - `lib/hello.js:greet`: the export `greet` of lib/hello.js.
 *
 * Python (`python3`): `module.function` or a file.
 * - `hello.handle`: `handle` of hello.py, else of the package hello/__init__.py.
 * - `pkg/mod.handle` or `pkg.mod.handle`: `handle` of pkg/mod.py (else pkg/mod/__init__.py).
 * - `hello.py`: `handle` of hello.py.
 */
export function parseHandler(runtime: string, handler: FunctionHandlerRef): HandlerRequest {
  if (!isFunctionRuntime(runtime)) {
    throw new DispatchError(
      ErrorCode.UNKNOWN_RUNTIME,
      `runtime ${runtime} is unknown: runtime must be one of ${FUNCTION_RUNTIMES.join(', ')}`,
      { runtime, runtimes: FUNCTION_RUNTIMES },
    );
  }
  const ref = handler.trim();
  if (ref === '') throw new DispatchError(ErrorCode.VALIDATION_FAILED, 'handler must not be empty', { handler });
  return runtime === 'nodejs' ? parseNodeHandler(ref) : parsePythonHandler(ref);
}

function parseNodeHandler(handler: string): HandlerRequest {
  const colon = handler.lastIndexOf(':');
  let exportName: string | undefined;
  let file = handler;
  // `C:/x` is an absolute Windows path, refused by handlerPath, not a file `C` with export `/x`.
  if (colon > 1 || (colon === 1 && !/^[A-Za-z]:[\\/]/.test(handler))) {
    file = handler.slice(0, colon);
    exportName = handler.slice(colon + 1);
    if (!JS_IDENTIFIER.test(exportName)) {
      throw badHandler(handler, `names the export ${JSON.stringify(exportName)}, which is not a JavaScript identifier (file.js:name)`);
    }
  }
  const path = handlerPath(handler, file);
  const base = path.slice(path.lastIndexOf('/') + 1);
  const candidates = base.includes('.') ? [path] : [path, `${path}.js`, `${path}/index.js`];
  return { runtime: 'nodejs', candidates, exportName };
}

function parsePythonHandler(handler: string): HandlerRequest {
  if (handler.endsWith('.py')) {
    return { runtime: 'python3', candidates: [handlerPath(handler, handler)], exportName: 'handle' };
  }
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || handler.slice(0, dot).endsWith('/')) {
    throw badHandler(handler, 'must be module.function (hello.handle, pkg/mod.handle) or a file (hello.py)');
  }
  const exportName = handler.slice(dot + 1);
  if (!PY_IDENTIFIER.test(exportName)) {
    throw badHandler(handler, `names the function ${JSON.stringify(exportName)}, which is not a Python identifier (module.function)`);
  }
  // Checked as written first (`../hello.handle` is a '..', not an absolute `//hello`), then with
  // the dots of a dotted module path (`pkg.mod`) as the directory separators they are.
  const module = handlerPath(handler, handlerPath(handler, handler.slice(0, dot)).replace(/\./g, '/'));
  return { runtime: 'python3', candidates: [`${module}.py`, `${module}/__init__.py`], exportName };
}

/**
 * Checks that the handler of a function is in its source and answers where. Refuses with
 * UNKNOWN_RUNTIME ("runtime must be one of nodejs, python3"), VALIDATION_FAILED (a malformed
 * reference, see {@link parseHandler}), or HANDLER_NOT_FOUND with a message listing files that
 * are there: "handler index.js not found in the source; it holds: main.js, package.json".
 */
export function checkHandler(tree: SourceTree, runtime: string, handler: FunctionHandlerRef): HandlerTarget {
  const request = parseHandler(runtime, handler);
  const paths = new Set(tree.files.map((file) => file.path));
  const file = request.candidates.find((candidate) => paths.has(candidate));
  if (file !== undefined) {
    return { runtime: request.runtime, file, ...(request.exportName !== undefined ? { exportName: request.exportName } : {}) };
  }
  const ref = handler.trim();
  const tried = request.candidates.length > 1 ? ` (looked for ${request.candidates.join(', ')})` : '';
  throw new DispatchError(
    ErrorCode.HANDLER_NOT_FOUND,
    `handler ${ref} not found in the source${tried}; it holds: ${describeFiles(tree, request.runtime)}`,
    { handler: ref, runtime: request.runtime, lookedFor: request.candidates },
  );
}

/** A few files of the tree, the runtime's own (`.js`, `.py`) and the shallowest first. */
function describeFiles(tree: SourceTree, runtime: FunctionRuntime): string {
  if (tree.files.length === 0) return 'no files';
  const extension = RUNTIME_EXTENSIONS[runtime];
  const rank = (path: string) => (extension.test(path) ? 0 : 1) * 1000 + path.split('/').length;
  const listed = tree.files
    .map((file) => file.path)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, LISTED_FILES);
  const more = tree.files.length - listed.length;
  return listed.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

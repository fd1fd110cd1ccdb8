import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The user's function, in VMware Dispatch's shape. */
export type UserFunction = (context: unknown, payload: unknown) => unknown;

/** A handler that cannot be loaded; the message says what is wrong and what to fix. */
export class HandlerError extends Error {}

export interface HandlerRef {
  /** Path of the module inside the code dir, as written in the handler. */
  file: string;
  /** Named export, or undefined for the module's own export (module.exports / export default). */
  exportName?: string;
}

/** `index.js`, `lib/hello.js`, or `file.js:name` for a named export. */
export function parseHandlerRef(ref: string): HandlerRef {
  const trimmed = ref.trim();
  const colon = trimmed.lastIndexOf(':');
  const file = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const exportName = colon === -1 ? undefined : trimmed.slice(colon + 1);
  if (file === '') throw new HandlerError(`handler "${ref}" names no file; set it to a file of the function's code such as index.js`);
  if (exportName === '') throw new HandlerError(`handler "${ref}" names no export after ":"; write file.js:name or only file.js`);
  if (path.isAbsolute(file)) throw new HandlerError(`handler "${ref}" is an absolute path; name the file relative to the function's code`);
  return { file, exportName };
}

/** Loads the handler's module from `codeDir` once and returns its function. */
export async function loadHandler(codeDir: string, ref: string): Promise<UserFunction> {
  const { file, exportName } = parseHandlerRef(ref);
  const root = path.resolve(codeDir);
  if (!isDirectory(root)) throw new HandlerError(`the function's code directory ${root} does not exist`);
  const full = path.resolve(root, file);
  const relative = path.relative(root, full);
  if (relative === '..' || relative.startsWith(`..${path.sep}`)) {
    throw new HandlerError(`handler "${ref}" points outside the function's code; name a file inside it`);
  }
  const found = moduleCandidates(full).find(isFile);
  if (found === undefined) {
    throw new HandlerError(
      `${file} not found in the function's code; set the handler to one of its files (index.js, lib/hello.js, file.js:name)`,
    );
  }
  const exported = await importModule(found, file, root);
  return pickFunction(exported, file, exportName);
}

/**
 * The files a handler may mean, in order: without an extension it resolves as `require` does
 * (function-manager's checkHandler accepts the same list when the function is created).
 */
export function moduleCandidates(full: string): string[] {
  return path.basename(full).includes('.') ? [full] : [full, `${full}.js`, path.join(full, 'index.js')];
}

/** Picks the function a module exports, accepting CommonJS and ES module shapes alike. */
export function pickFunction(exported: unknown, file: string, exportName?: string): UserFunction {
  if (exportName !== undefined) {
    const named = isContainer(exported) ? (exported as Record<string, unknown>)[exportName] : undefined;
    const candidate = named ?? defaultExport(exported, exportName);
    if (typeof candidate === 'function') return candidate as UserFunction;
    if (candidate === undefined) {
      throw new HandlerError(
        `${file} has no export named "${exportName}"; export it (exports.${exportName} = function (context, payload) {…}) or fix the handler`,
      );
    }
    throw new HandlerError(
      `export "${exportName}" of ${file} is ${describe(candidate)}, not a function; export a function (context, payload)`,
    );
  }
  if (typeof exported === 'function') return exported as UserFunction;
  const fallback = defaultExport(exported, 'default');
  if (typeof fallback === 'function') return fallback as UserFunction;
  throw new HandlerError(
    `${file} exports ${describe(exported)}, not a function; set module.exports = function (context, payload) {…} or name an export as ${file}:name`,
  );
}

// ES modules (and CommonJS transpiled from them) put the function under `default`.
function defaultExport(exported: unknown, name: string): unknown {
  if (!isContainer(exported)) return undefined;
  const inner = (exported as Record<string, unknown>).default;
  if (name === 'default') return inner;
  return isContainer(inner) ? (inner as Record<string, unknown>)[name] : undefined;
}

// module.exports may be a function that carries named exports as properties.
function isContainer(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

// The build compiles `import()` into `require()`, so the real dynamic import goes through a
// Function the compiler cannot see into.
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

const requireModule = createRequire(__filename);

async function importModule(full: string, file: string, root: string): Promise<unknown> {
  try {
    if (full.endsWith('.mjs')) return await dynamicImport(pathToFileURL(full).href);
    try {
      return requireModule(full);
    } catch (err) {
      // An ES module that require() cannot load (top-level await, or a Node without require(esm)).
      const code = (err as { code?: unknown }).code;
      if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') return await dynamicImport(pathToFileURL(full).href);
      throw err;
    }
  } catch (err) {
    throw new HandlerError(`cannot load ${file}: ${describeLoadError(err, root)}; fix the function's code`);
  }
}

/** One line naming the error and, for syntax errors, where it is (relative to the code dir). */
export function describeLoadError(err: unknown, root: string): string {
  if (!(err instanceof Error)) return String(err);
  const summary = `${err.name}: ${err.message}`.replace(/\s*\n\s*/g, ' ');
  if (!(err instanceof SyntaxError)) return summary;
  // A syntax error's stack starts with "<file>:<line>", the only place Node says where it is.
  const where = err.stack?.split('\n', 1)[0] ?? '';
  if (!/:\d+$/.test(where)) return summary;
  return `${summary} at ${where.startsWith(root + path.sep) ? where.slice(root.length + 1) : where}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : type === 'undefined' ? 'nothing' : `a ${type}`;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

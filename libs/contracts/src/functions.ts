import type { RunErrorType } from './status';

/**
 * The function contract (DESIGN §7): what a runtime shim receives and answers.
 *
 * A runtime shim (libs/runtimes/<runtime>) is an HTTP/1.1 server. It listens on the unix socket
 * named by `DISPATCH_SOCKET`, or else on TCP `PORT` (in a container behind the OpenFaaS watchdog),
 * loads the user's handler once at start, and serves:
 *
 * - `GET /_/health` → 200 `{"ready": true}` once the handler is loaded.
 * - `POST /` with a {@link FunctionEnvelope} as JSON → 200 with a {@link FunctionReply} as JSON,
 *   also when the user's function threw (the error is in `context.error`). Anything other than
 *   200 means the shim itself failed.
 *
 * Environment of a shim (the `DISPATCH_ENV_*` names in openfaas.ts): `DISPATCH_CODE_DIR` (the
 * function's source tree), `DISPATCH_HANDLER` (see {@link FunctionHandlerRef}), `DISPATCH_SOCKET`
 * or `PORT`, `DISPATCH_MEMORY_LIMIT_MB` where the runtime caps itself, and `DISPATCH_LIFELINE_FD`
 * where its starter gives it a lifeline. When the handler cannot be loaded the shim writes one line
 * `handler error: <what to fix>` to stderr and exits with {@link SHIM_EXIT_HANDLER_ERROR}.
 *
 * The lifeline is what keeps a provider's workers from outliving it: every runtime watches the
 * descriptor from its first moment (before the handler loads, which may hang) and, at end-of-file,
 * exits at once with {@link SHIM_EXIT_LIFELINE_LOST}, calls in flight or not: nobody is left to
 * read their answers. A descriptor that is not an open pipe or socket is a bad environment (exit 2).
 */
export interface FunctionEnvelope {
  context: FunctionContext;
  payload: unknown;
}

export interface FunctionContext {
  /** The run this call belongs to (empty when the function is called directly on the provider). */
  runId?: string;
  functionName?: string;
  org?: string;
  /** Epoch milliseconds after which the caller stops waiting. */
  deadline?: number;
  /** Merged key/values of the function's (and the run's) named secrets. */
  secrets?: Record<string, string>;
  /** Credentials of bound service instances, by instance name. */
  serviceBindings?: Record<string, Record<string, unknown>>;
  /** The CloudEvent that triggered the run, without its data (data is the payload). */
  event?: Record<string, unknown>;
  /** The HTTP request that triggered the run through the gateway. */
  httpContext?: HttpContext;
}

/**
 * An HTTP request as a function sees it: the structured fields, plus Dispatch's flat shape (each
 * request header by its lower-case name, and `uri`, `args`, `request-uri`, `scheme`) so functions
 * written for Dispatch read it unchanged. Credentials are never in it; `subject` is who called.
 */
export interface HttpContext {
  method: string;
  /** The path after the function's, starting with '/' ('/' when none). */
  path: string;
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  /** The verified caller (the token's subject, or the API key's consumer); null for a public API. */
  subject?: string | null;
  [dispatchField: string]: unknown;
}

export interface FunctionLogs {
  stdout: string[];
  stderr: string[];
}

/** What went wrong in a run: the typed error of DESIGN §7. */
export interface RunError {
  type: RunErrorType;
  message: string;
  stacktrace?: string[];
}

export interface FunctionReply {
  context: { logs: FunctionLogs; error?: RunError | null };
  payload: unknown;
}

/**
 * How a function names its entry point. Node.js: a file (`index.js`, `lib/hello.js`) whose
 * `module.exports` is the function, or `file.js:name` for a named export. Python: `module.func`
 * (`hello.handle`, `pkg/mod.handle`), or a bare file `hello.py` exporting `handle`.
 */
export type FunctionHandlerRef = string;

/** Exit code of a shim whose handler cannot be loaded (bad file, no such export, syntax error). */
export const SHIM_EXIT_HANDLER_ERROR = 3;
/** Exit code of a shim whose lifeline closed: the process that started it is gone. */
export const SHIM_EXIT_LIFELINE_LOST = 4;

/** Runtimes Dispatch builds functions for. */
export const FUNCTION_RUNTIMES = ['nodejs', 'python3'] as const;
export type FunctionRuntime = (typeof FUNCTION_RUNTIMES)[number];

/** Lines of each stream kept per call; beyond it the last line says how many were dropped. */
export const RUN_LOG_MAX_LINES = 1000;
/** Longest single log line kept, in characters; longer ones are cut. */
export const RUN_LOG_MAX_LINE_LENGTH = 4096;

/**
 * How a provider starts a runtime shim: what each libs/runtimes/<runtime> exports. The command
 * runs with the environment described on FunctionEnvelope; `memoryLimitMb` becomes the runtime's
 * own heap cap where it has one (the provider enforces the hard limit on top).
 */
export interface RuntimeShim {
  runtime: FunctionRuntime;
  /**
   * The absolute path of the interpreter `command` runs, found once with `env` (the provider's
   * PATH and the variables of version managers such as pyenv, whose shims are scripts that need
   * both). A provider that has it starts workers with it and gives them none of its own PATH or
   * locator variables. Absent when `command` already names an absolute path (Node.js: the
   * provider's own executable).
   */
  interpreter?(env: NodeJS.ProcessEnv): Promise<string>;
  /** `interpreter`: the path `interpreter()` found, used instead of looking the runtime up again. */
  command(options: { memoryLimitMb?: number; interpreter?: string }): { command: string; args: string[] };
}

/**
 * Images of solo mode: `local/<sha256 hex of the source tree>`, the function's code tree kept
 * unpacked at `<images root>/<hex>/` (DISPATCH_HOME/images). function-manager writes them;
 * faas-local runs them.
 */
export const LOCAL_IMAGE_PREFIX = 'local/';
export const LOCAL_IMAGE_PATTERN = /^local\/([0-9a-f]{64})$/;

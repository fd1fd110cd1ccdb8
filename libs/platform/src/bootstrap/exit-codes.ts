/**
 * Exit codes of every Dispatch process, so a supervisor (systemd, Kubernetes, a script) can tell
 * why a start failed without parsing its output. Documented in the README; never renumbered.
 */
export const ExitCode = {
  /** Stopped on request (a signal) and in order. */
  OK: 0,
  /** The configuration or the environment is wrong: a variable, a path, a permission. */
  CONFIG: 1,
  /** The data dir (DISPATCH_HOME) is in use by another running Dispatch. */
  DATA_DIR_IN_USE: 3,
  /** A port it must listen on is taken. */
  PORT_IN_USE: 4,
  /** A dependency it needs at start (PostgreSQL, NATS, migrations) failed or did not answer. */
  DEPENDENCY_FAILED: 5,
  /** A dependency was lost while running and could not be brought back (solo's PostgreSQL). */
  DEPENDENCY_LOST: 6,
  /** A second signal while stopping: stopped at once, not in order. */
  FORCED: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure that decides the process's exit code; its message is printed as the reason. */
export class StartupFailure extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupFailure';
  }
}

import { createServer } from 'node:net';
import { ExitCode, StartupFailure } from './exit-codes';

/** A port the server listens on, and the variable that sets it (what the operator changes). */
export interface NamedPort {
  port: number;
  variable: string;
}

/** Why listening on `host:port` failed, as the failure an operator can act on; other errors unchanged. */
export function listenFailure(err: unknown, { port, variable }: NamedPort, host: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new StartupFailure(
      ExitCode.PORT_IN_USE,
      `port ${port} on ${host} is in use by another process: set ${variable} to a free port, or stop that process`,
      { cause: err },
    );
  }
  if (code === 'EACCES') {
    return new StartupFailure(
      ExitCode.CONFIG,
      `not allowed to listen on ${host}:${port} (ports below 1024 need privileges): set ${variable} to another port`,
      { cause: err },
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new StartupFailure(ExitCode.CONFIG, `cannot listen on ${host}: HOST is not an address of this machine`, { cause: err });
  }
  return err;
}

/**
 * Fails in a moment, before PostgreSQL and migrations take seconds, when a port the server must
 * listen on is taken. A process may still take it in between: the real listen maps that the same way.
 */
export async function assertPortsFree(ports: readonly NamedPort[], host: string): Promise<void> {
  const fixed = ports.filter((p) => p.port !== 0);
  for (const [i, a] of fixed.entries()) {
    const twin = fixed.slice(i + 1).find((b) => b.port === a.port);
    if (twin) throw new StartupFailure(ExitCode.CONFIG, `${a.variable} and ${twin.variable} are both ${a.port}: give them different ports`);
  }
  for (const named of fixed) {
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', (err) => reject(listenFailure(err, named, host)));
      probe.listen(named.port, host, () => probe.close(() => resolve()));
    });
  }
}

/**
 * A start-up step on something a process depends on (PostgreSQL, migrations, NATS): its failure
 * exits with DEPENDENCY_FAILED and says which step failed (a failure already classified keeps its code).
 */
export async function dependencyStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof StartupFailure) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new StartupFailure(ExitCode.DEPENDENCY_FAILED, `${what} failed: ${message}`, { cause: err });
  }
}

/** How a main reports a failed start: the failure's own code and message, else 1 with the whole error. */
export function describeStartupFailure(err: unknown): { exitCode: ExitCode; text: string } {
  if (err instanceof StartupFailure) return { exitCode: err.exitCode, text: err.message };
  return { exitCode: ExitCode.CONFIG, text: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

/**
 * Ends a process whose start failed: `<name> failed to start: <reason>` on stderr and the failure's
 * exit code, so a supervisor never takes a failed start for a running process.
 */
export function exitOnStartupFailure(name: string, err: unknown): never {
  const { exitCode, text } = describeStartupFailure(err);
  process.stderr.write(`${name} failed to start: ${text}\n`);
  process.exit(exitCode);
}

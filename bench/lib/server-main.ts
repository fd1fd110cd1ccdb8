/**
 * Runs a bench/servers script: `start` serves and answers how to stop, which SIGINT or SIGTERM
 * then calls before the process exits; a start that fails exits 1 with its error.
 */
export function serverMain(start: () => Promise<() => Promise<void>>): void {
  start().then(
    (stop) => {
      const exit = () => void stop().finally(() => process.exit(0));
      process.once('SIGINT', exit);
      process.once('SIGTERM', exit);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}

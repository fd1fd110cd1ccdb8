import type { RuntimeShim } from '@dispatch/contracts';
import type { Logger } from 'pino';

/**
 * The runtimes with their interpreters found once, at start, with the provider's environment
 * (PATH, pyenv's variables): workers then run the real executable and need none of that
 * environment. A runtime whose interpreter cannot be found stays deployable; its workers fail to
 * start with the reason (in /system/logs and the function's status), as a missing runtime did before.
 */
export async function withInterpreters(
  runtimes: Record<string, RuntimeShim>,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<Record<string, RuntimeShim>> {
  const resolved = await Promise.all(
    Object.entries(runtimes).map(async ([name, shim]): Promise<[string, RuntimeShim]> => {
      if (!shim.interpreter) return [name, shim];
      try {
        const interpreter = await shim.interpreter(env);
        return [name, { ...shim, command: (options) => shim.command({ ...options, interpreter }) }];
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        logger.warn({ runtime: name }, `functions of runtime ${name} cannot start: ${reason}`);
        return [
          name,
          {
            ...shim,
            command: () => {
              throw new Error(reason);
            },
          },
        ];
      }
    }),
  );
  return Object.fromEntries(resolved);
}

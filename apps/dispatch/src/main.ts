import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { createLogger, exitOnStartupFailure, loadConfigOrExit, onShutdownSignal, ShutdownSteps } from '@dispatch/platform';
import { startSolo } from './solo';
import { soloConfigSchema } from './solo-config';

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const config = loadConfigOrExit(soloConfigSchema);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'dispatch' });
  const steps = new ShutdownSteps((err) => logger.error({ err }, 'error while stopping'));
  // Before start-up: a signal during start-up must still stop what already started.
  onShutdownSignal(logger, () => {
    // A signal while a failed start undoes itself must not turn that failure into a clean stop.
    if (!steps.isStopping) signalled = true;
    return steps.stop();
  });
  const solo = await startSolo(config, logger, steps);
  void solo.lost.then(async (failure) => {
    logger.fatal({ reason: failure.message }, 'stopping: a dependency is lost');
    process.stderr.write(`dispatch stopped: ${failure.message}\n`);
    await steps.stop();
    logger.flush();
    process.exit(failure.exitCode);
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(
    [
      ``,
      `Dispatch ${DISPATCH_VERSION} (solo mode) is up in ${seconds.toFixed(2)} s`,
      `  API      ${solo.apiUrl}/v1`,
      `  Docs     ${solo.apiUrl}/docs`,
      `  Health   ${solo.apiUrl}/healthz  ${solo.apiUrl}/readyz`,
      `  Metrics  ${solo.apiUrl}/metrics`,
      `  Gateway  ${solo.gatewayUrl}`,
      `  Functions ${solo.functions}`,
      `  Data     ${solo.dataDir} (${solo.database})`,
      `  CLI      ${solo.cliConfig} (service account ${config.DISPATCH_PLATFORM_ORG}/admin, platform admin)`,
      `Press Ctrl-C to stop.`,
      ``,
    ].join('\n') + '\n',
  );
}

/** Whether a signal began the stop (then its handler exits), as opposed to a failed start-up step undoing itself. */
let signalled = false;

main().catch((err: unknown) => {
  // Stopped by a signal during start-up: the signal handler finishes the stop and exits.
  if (signalled) return;
  exitOnStartupFailure('dispatch', err);
});

import 'reflect-metadata';
import { DISPATCH_VERSION } from '@dispatch/contracts';
import { createLogger, loadConfigOrExit, onShutdownSignal } from '@dispatch/platform';
import { startSolo } from './solo';
import { soloConfigSchema } from './solo-config';

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const config = loadConfigOrExit(soloConfigSchema);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'dispatch' });
  const solo = await startSolo(config, logger);
  onShutdownSignal(logger, solo.stop);
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
      `  Data     ${solo.dataDir} (${solo.database})`,
      `Press Ctrl-C to stop.`,
      ``,
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`dispatch failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

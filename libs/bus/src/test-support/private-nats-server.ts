import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, waitFor } from '@dispatch/testing';

/**
 * A nats-server of one suite's own, for what the shared server must never go through (losing
 * JetStream). Uses the same binary the shared server runs (CI installs it as nats-server).
 */
export interface PrivateNatsServer {
  url: string;
  /** Turns JetStream off by a configuration reload; core NATS keeps serving the same connections. */
  disableJetStream(): Promise<void>;
  stop(): Promise<void>;
}

function natsServerBinary(): string {
  const candidates = [process.env['NATS_SERVER_BIN'], '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN');
  return found;
}

export async function startPrivateNatsServer(): Promise<PrivateNatsServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dispatch-nats-'));
  const port = await freePort();
  const config = path.join(dir, 'nats.conf');
  const logFile = path.join(dir, 'nats.log');
  const listen = `listen: "127.0.0.1:${port}"\n`;
  await writeFile(config, `${listen}jetstream { store_dir: ${JSON.stringify(path.join(dir, 'js'))} }\n`);
  const child: ChildProcess = spawn(natsServerBinary(), ['-c', config, '-l', logFile], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => readFile(logFile, 'utf8').catch(() => '');
  try {
    await waitFor(async () => /Server is ready/.test(await log()), { what: 'the private nats-server', timeoutMs: 10_000 });
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    async disableJetStream() {
      await writeFile(config, listen);
      child.kill('SIGHUP');
      await waitFor(async () => /JetStream Shutdown/.test(await log()), { what: 'JetStream to shut down', timeoutMs: 10_000 });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

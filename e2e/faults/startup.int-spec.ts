import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findProcesses, freePort, runToExit, startProcess } from '@dispatch/testing';

const SOLO = resolve(__dirname, '../../dist/apps/dispatch/src/main.js');

/**
 * A start that fails says why on stderr and exits non-zero with the code of its kind (the README's
 * exit code table), so a supervisor never takes a failed start for a running server.
 */
describe('solo start-up failures (the built server)', () => {
  const homes: string[] = [];
  const newHome = async () => {
    const home = await mkdtemp(join(tmpdir(), 'dispatch-startup-'));
    homes.push(home);
    return home;
  };
  /** The whole environment of a start expected to fail: nothing from the test runner leaks in. */
  const env = (home: string, extra: Record<string, string> = {}) => ({
    DISPATCH_HOME: home,
    PORT: '0',
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  });
  const postgresOf = (home: string) => findProcesses((p) => p.cmdline.includes(`-D ${join(home, 'postgres')}`));

  beforeAll(() => {
    if (!existsSync(SOLO)) throw new Error(`${SOLO} is missing: run \`node tools/build.mjs\` (npm test does it first)`);
  });
  afterAll(async () => {
    for (const home of homes) await rm(home, { recursive: true, force: true });
  });

  it('refuses a data dir another server holds: exit 3, naming the holder pid, and the holder keeps serving', async () => {
    const home = await newHome();
    const port = await freePort();
    const holder = await startProcess(
      [SOLO],
      { ...env(home), PORT: String(port), DATABASE_URL: '', NATS_URL: '' },
      `http://127.0.0.1:${port}/readyz`,
      { timeoutMs: 60_000 },
    );
    try {
      const second = await runToExit([SOLO], env(home));
      expect(second.code).toBe(3);
      expect(second.stderr).toContain(`dispatch failed to start: DISPATCH_HOME ${home} is in use by Dispatch process ${holder.child.pid}`);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      expect(await holder.stop('SIGTERM')).toBe(0);
    }
  }, 90_000);

  describe('a port in use', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
      port = (taken.address() as { port: number }).port;
    });
    afterAll(() => new Promise((done) => taken.close(done)));

    it.each(['PORT', 'GATEWAY_PORT'])('%s: exit 4 with the port and the variable to change, before PostgreSQL starts', async (variable) => {
      const home = await newHome();
      const started = Date.now();
      const { code, stderr } = await runToExit([SOLO], env(home, { [variable]: String(port) }));
      expect(code).toBe(4);
      expect(stderr).toContain(
        `dispatch failed to start: port ${port} on 127.0.0.1 is in use by another process: set ${variable} to a free port`,
      );
      // Well before the embedded PostgreSQL would have started: a cold start of Node and Nest on a busy machine is the rest.
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(existsSync(join(home, 'postgres'))).toBe(false);
      expect(postgresOf(home)).toEqual([]);
    });
  });

  it('stops with exit 5, naming the step, when a dependency cannot be reached, and leaves nothing running', async () => {
    const home = await newHome();
    const port = await freePort();
    // Credentials in the URL never reach the output.
    const { code, stderr } = await runToExit([SOLO], env(home, { NATS_URL: `nats://dispatch:s3cret@127.0.0.1:${port}` }), 60_000);
    expect(code).toBe(5);
    expect(stderr).toContain(`dispatch failed to start: connecting to NATS at nats://dispatch:redacted@127.0.0.1:${port} failed: `);
    expect(stderr).not.toContain('s3cret');
    expect(postgresOf(home)).toEqual([]);
    expect(existsSync(join(home, 'dispatch.lock'))).toBe(false);
  }, 70_000);

  it('refuses a bad configuration with exit 1 and every problem', async () => {
    const { code, stderr } = await runToExit([SOLO], env(await newHome(), { PORT: 'eighty', LOG_LEVEL: 'loud' }));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
  });

  it.each([
    ['function-manager', { RUN_RETENTION_DAYS: 'soon' }, 'RUN_RETENTION_DAYS'],
    ['identity-manager', { AUDIT_RETENTION_DAYS: 'ninety' }, 'AUDIT_RETENTION_DAYS: must be a whole number of days from 1 to 36500'],
  ])('refuses a bad %s setting with exit 1 before anything starts', async (_service, setting, reason) => {
    const home = await newHome();
    const { code, stderr } = await runToExit([SOLO], env(home, setting));
    expect(code).toBe(1);
    expect(stderr).toContain(reason);
    expect(existsSync(join(home, 'postgres'))).toBe(false);
  });

  it('refuses a DISPATCH_HOME it cannot create with exit 1 and the reason', async () => {
    const file = join(await newHome(), 'a-file');
    await writeFile(file, '');
    const { code, stderr } = await runToExit([SOLO], env(join(file, 'home')));
    expect(code).toBe(1);
    expect(stderr).toContain(`dispatch failed to start: cannot create DISPATCH_HOME ${join(file, 'home')}: ENOTDIR`);
  });

  it('refuses the same port for the API and the gateway with exit 1', async () => {
    const port = String(await freePort());
    const { code, stderr } = await runToExit([SOLO], env(await newHome(), { PORT: port, GATEWAY_PORT: port }));
    expect(code).toBe(1);
    expect(stderr).toContain(`PORT and GATEWAY_PORT are both ${port}`);
  });

  it('stops a cluster-mode service with exit 5 when its PostgreSQL cannot be reached, naming it without the password', async () => {
    const port = await freePort();
    const service = resolve(__dirname, '../../dist/apps/api-manager/src/main.js');
    const { code, stderr } = await runToExit(
      [service],
      {
        PORT: '0',
        DATABASE_URL: `postgres://dispatch:s3cret@127.0.0.1:${port}/dispatch`,
        NATS_URL: 'nats://127.0.0.1:4222',
        LOG_LEVEL: 'warn',
      },
      60_000,
    );
    expect(code).toBe(5);
    expect(stderr).toContain(
      `api-manager failed to start: connecting to PostgreSQL at postgres://dispatch:redacted@127.0.0.1:${port}/dispatch failed: `,
    );
    expect(stderr).not.toContain('s3cret');
  }, 70_000);
});

import { In } from 'typeorm';
import { createServiceDataSource } from '@dispatch/persistence';
import { createLogger } from '@dispatch/platform';
import { startTcpCutter } from '@dispatch/testing';
import { FUNCTIONS_SCHEMA } from '../persistence/schema';
import { Run } from './run.entity';
import { RunRecorder } from './run-recorder';
import { RunRepository } from './run.repository';
import { runOf } from './test-support/run-of';
import { useFunctionsDatabase } from '../test-support/functions-database';

/** Run records on real PostgreSQL: group-committed, each run's failure its own, held while the database is away. */
describe('run records', () => {
  const log = createLogger({ level: 'silent', name: 'run-recorder-test' });

  const db = useFunctionsDatabase({ log });

  it('writes many runs at once in few statements, later writes of a run replacing earlier ones', async () => {
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const runs = Array.from({ length: 300 }, (_, i) => runOf({ functionName: `f${i % 3}` }));
    const first = runs[0];
    await Promise.all([...runs.map((r) => recorder.save(r)), recorder.save({ ...first, status: 'FAILED', output: null } as Run)]);
    const [{ n }] = (await db.ds.query(`SELECT count(*)::int AS n FROM "functions"."run"`)) as { n: number }[];
    expect(n).toBe(300);
    const stored = await db.ds.getRepository(Run).findOneByOrFail({ id: first.id });
    expect(stored).toMatchObject({ status: 'FAILED', output: null, input: { n: 1 }, logs: { stdout: ['a'], stderr: [] } });
    expect((await db.ds.getRepository(Run).findOneByOrFail({ id: runs[1].id })).output).toBe('plain string output');
  });

  it('sends runs saved together as one statement, and splits a batch too large for one', async () => {
    await db.ds.query(`DELETE FROM "functions"."run"`);
    const repository = new RunRepository(db.ds);
    const recorder = new RunRecorder(repository);
    // Each call is one statement.
    const statements = jest.spyOn(repository, 'upsertRows');
    try {
      await Promise.all(Array.from({ length: 200 }, () => recorder.save(runOf({}))));
      expect(statements).toHaveBeenCalledTimes(1);
      statements.mockClear();
      // Five runs with 3 MiB of logs each cannot share one 8 MiB statement.
      const line = 'x'.repeat(4096);
      const big = Array.from({ length: 5 }, () => runOf({ logs: { stdout: Array.from({ length: 768 }, () => line), stderr: [] } }));
      await Promise.all(big.map((r) => recorder.save(r)));
      expect(statements.mock.calls.length).toBeGreaterThanOrEqual(3);
      const stored = await db.ds.getRepository(Run).findOneByOrFail({ id: big[4].id });
      expect(stored.logs?.stdout).toHaveLength(768);
    } finally {
      statements.mockRestore();
    }
  });

  it('stores every field as given, and tells when all saved runs are committed', async () => {
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const created = new Date('2026-11-23T10:00:00.123Z');
    const run = runOf({
      input: 'text input',
      output: [1, { a: null }],
      error: { type: 'FunctionError', message: 'boom', stack: 'at x' } as Run['error'],
      secrets: ['db'],
      createdTime: created,
      startedTime: null,
      deadline: new Date('2026-11-23T10:05:00.999Z'),
    });
    void recorder.save(run);
    expect(recorder.pending(run.id)).toBe(run);
    await recorder.committed('acme');
    const stored = await db.ds.getRepository(Run).findOneByOrFail({ id: run.id });
    expect(stored).toEqual({ ...run });
    expect(recorder.pending(run.id)).toBeUndefined();
  });

  it('costs a run PostgreSQL refuses, or one that cannot be serialized, only its own record', async () => {
    await db.ds.query(`DELETE FROM "functions"."run"`);
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const good = Array.from({ length: 20 }, () => runOf({}));
    const outOfRange = runOf({ memoryMb: 2 ** 40 });
    const unserializable = runOf({ output: { n: BigInt(1) } });
    const withNul = runOf({ input: 'a\u0000b', logs: { stdout: ['\u0000'], stderr: ['\\u0000 stays'] } });
    const results = await Promise.allSettled([...good, outOfRange, unserializable, withNul].map((r) => recorder.save(r)));
    expect(results.map((r) => r.status)).toEqual([...good.map(() => 'fulfilled'), 'rejected', 'rejected', 'fulfilled']);
    const stored = await db.ds.getRepository(Run).find();
    expect(stored.map((r) => r.id).sort()).toEqual([...good, withNul].map((r) => r.id).sort());
    // jsonb holds no U+0000: it is kept as U+FFFD, while an escaped backslash before "u0000" is left alone.
    expect(stored.find((r) => r.id === withNul.id)).toMatchObject({
      input: 'a\ufffdb',
      logs: { stdout: ['\ufffd'], stderr: ['\\u0000 stays'] },
    });
  });

  it('lets a list wait only for its own org, and writes what is saved while the app stops', async () => {
    const recorder = new RunRecorder(new RunRepository(db.ds));
    const mine = runOf({ org: 'acme' });
    const saved = recorder.save(mine);
    await recorder.committed('other-org');
    expect(recorder.pending(mine.id)).toBe(mine);
    const stopping = recorder.onApplicationShutdown();
    const late = runOf({});
    const lateSaved = recorder.save(late);
    await stopping;
    await Promise.all([saved, lateSaved]);
    expect(await db.ds.getRepository(Run).countBy({ id: In([mine.id, late.id]) })).toBe(2);
  });

  it('holds runs while the database cannot be reached and writes them once it is back, telling meanwhile that the store is down', async () => {
    const url = new URL(db.url);
    const cutter = await startTcpCutter({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(cutter.port);
    const viaCutter = createServiceDataSource({ url: url.toString(), ...FUNCTIONS_SCHEMA, poolSize: 2, log });
    await viaCutter.initialize();
    try {
      const recorder = new RunRecorder(new RunRepository(viaCutter));
      await recorder.save(runOf({}));
      expect(recorder.storeDown).toBe(false);

      await cutter.cut();
      const held = runOf({ status: 'SUCCEEDED' });
      let written = false;
      const saving = recorder.save(held).then(() => (written = true));
      const until = Date.now() + 10_000;
      while (!recorder.storeDown && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(recorder.storeDown).toBe(true);
      // Still held, and still served to this process's readers, several retries later.
      await new Promise((r) => setTimeout(r, 1000));
      expect(written).toBe(false);
      expect(recorder.pending(held.id)).toMatchObject({ id: held.id });

      await cutter.restore();
      await saving;
      expect(recorder.storeDown).toBe(false);
      expect(await db.ds.getRepository(Run).findOneByOrFail({ id: held.id })).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await viaCutter.destroy().catch(() => undefined);
      await cutter.close();
    }
  });
});

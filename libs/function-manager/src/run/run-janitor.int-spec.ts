import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createServiceDataSource, migrateSchemas } from '@dispatch/persistence';
import { createLogger } from '@dispatch/platform';
import { createTestDatabase, type TestDatabase } from '@dispatch/testing';
import { functionConfigSchema } from '../function-config';
import { Run } from '../persistence/entities/run.entity';
import { FUNCTIONS_SCHEMA } from '../persistence/schema';
import { RunJanitor } from './run-janitor';
import { RunRecorder } from './run-recorder';

const HOUR = 3600_000;

/** The run table on real PostgreSQL: group-committed records, lost runs settled, retention applied. */
describe('run records', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const log = createLogger({ level: 'silent', name: 'runs-test' });

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateSchemas(db.url, [FUNCTIONS_SCHEMA], { log });
    ds = createServiceDataSource({ url: db.url, ...FUNCTIONS_SCHEMA, poolSize: 3, log });
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const runOf = (fields: Partial<Run>): Run =>
    Object.assign(new Run(), {
      id: randomUUID(),
      org: 'acme',
      functionName: 'hello',
      functionId: randomUUID(),
      version: 1,
      status: 'SUCCEEDED',
      blocking: true,
      input: { n: 1 },
      output: 'plain string output',
      error: null,
      logs: { stdout: ['a'], stderr: [] },
      secrets: [],
      trigger: { kind: 'api', id: 'req-1' },
      memoryMb: 256,
      createdTime: new Date(),
      startedTime: new Date(),
      finishedTime: new Date(),
      deadline: new Date(Date.now() + 60_000),
      ...fields,
    });

  it('writes many runs at once in few statements, later writes of a run replacing earlier ones', async () => {
    const recorder = new RunRecorder(ds);
    const runs = Array.from({ length: 300 }, (_, i) => runOf({ functionName: `f${i % 3}` }));
    const first = runs[0];
    await Promise.all([...runs.map((r) => recorder.save(r)), recorder.save({ ...first, status: 'FAILED', output: null } as Run)]);
    const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM "functions"."run"`)) as { n: number }[];
    expect(n).toBe(300);
    const stored = await ds.getRepository(Run).findOneByOrFail({ id: first.id });
    expect(stored).toMatchObject({ status: 'FAILED', output: null, input: { n: 1 }, logs: { stdout: ['a'], stderr: [] } });
    expect((await ds.getRepository(Run).findOneByOrFail({ id: runs[1].id })).output).toBe('plain string output');
  });

  it('settles runs lost by a stopped process as FAILED SystemError, and prunes by age and by count per function', async () => {
    await ds.query(`DELETE FROM "functions"."run"`);
    const recorder = new RunRecorder(ds);
    const lost = runOf({ status: 'RUNNING', finishedTime: null, deadline: new Date(Date.now() - 1000) });
    const running = runOf({ status: 'RUNNING', finishedTime: null });
    const old = runOf({ createdTime: new Date(Date.now() - 10 * 24 * HOUR) });
    const many = Array.from({ length: 5 }, (_, i) => runOf({ functionName: 'busy', createdTime: new Date(Date.now() - i * 1000) }));
    for (const r of [lost, running, old, ...many]) await recorder.save(r);

    const config = functionConfigSchema.parse({ RUN_RETENTION_DAYS: '7', RUN_RETENTION_PER_FUNCTION: '3' });
    const janitor = new RunJanitor(ds, config, log);
    expect(await janitor.sweep()).toEqual({ lost: 1, pruned: 3 });
    const left = await ds.getRepository(Run).find();
    expect(left.find((r) => r.id === lost.id)).toMatchObject({ status: 'FAILED', error: { type: 'SystemError', message: expect.stringContaining('lost') } });
    expect(left.find((r) => r.id === running.id)?.status).toBe('RUNNING');
    expect(left.some((r) => r.id === old.id)).toBe(false);
    expect(left.filter((r) => r.functionName === 'busy').map((r) => r.id)).toEqual(expect.arrayContaining(many.slice(0, 3).map((r) => r.id)));
    expect(left.filter((r) => r.functionName === 'busy')).toHaveLength(3);
  });
});

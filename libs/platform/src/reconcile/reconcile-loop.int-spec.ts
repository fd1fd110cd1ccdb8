import { Pool } from 'pg';
import { createTestDatabase, waitFor, type TestDatabase } from '@dispatch/testing';
import { ReconcileLoop, type ReconcileOutcome } from './reconcile-loop';

const silent = { warn: () => undefined, debug: () => undefined, error: () => undefined };

/**
 * Widgets need two steps to become READY (CREATING → PROVISIONED → READY). The loop state lives
 * in PostgreSQL only, so a fresh loop must pick up whatever an earlier one left unfinished.
 */
describe('ReconcileLoop on a real store', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 4 });
    await pool.query(`CREATE TABLE widget (id text PRIMARY KEY, status text NOT NULL, steps int NOT NULL DEFAULT 0)`);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const listPending = async () =>
    (await pool.query<{ id: string }>(`SELECT id FROM widget WHERE status NOT IN ('READY','ERROR')`)).rows.map((r) => r.id);
  const statusOf = async (id: string) =>
    (await pool.query<{ status: string; steps: number }>(`SELECT status, steps FROM widget WHERE id=$1`, [id])).rows[0];

  function loopWith(step: (id: string) => Promise<ReconcileOutcome>, extra: Partial<ConstructorParameters<typeof ReconcileLoop>[0]> = {}) {
    return new ReconcileLoop({ name: 'widgets', listPending, reconcile: step, log: silent, resyncMs: 200, ...extra });
  }

  const advance = async (id: string): Promise<ReconcileOutcome> => {
    const { status } = await statusOf(id);
    const next = status === 'CREATING' ? 'PROVISIONED' : 'READY';
    await pool.query(`UPDATE widget SET status=$2, steps=steps+1 WHERE id=$1`, [id, next]);
    return next === 'READY' ? { done: true } : { requeueAfterMs: 10 };
  };

  it('resumes after a restart: a new loop finishes what a stopped one left half done', async () => {
    await pool.query(`INSERT INTO widget (id, status) VALUES ('w1','CREATING'), ('w2','CREATING')`);
    let stepsTaken = 0;
    const first = loopWith(async (id) => {
      stepsTaken++;
      const { status } = await statusOf(id);
      if (status === 'PROVISIONED') return { requeueAfterMs: 60_000 }; // "crashes" before step two
      return advance(id);
    });
    await first.start();
    await waitFor(async () => (await statusOf('w1')).status === 'PROVISIONED' && (await statusOf('w2')).status === 'PROVISIONED', {
      what: 'first step of both widgets',
    });
    await first.stop();
    expect(stepsTaken).toBeGreaterThanOrEqual(2);

    const second = loopWith(advance);
    await second.start();
    await waitFor(async () => (await listPending()).length === 0, { what: 'both widgets READY' });
    await second.stop();
    expect(await statusOf('w1')).toEqual({ status: 'READY', steps: 2 });
    expect(await statusOf('w2')).toEqual({ status: 'READY', steps: 2 });
  });

  it('takes ids from events, never runs one id twice at once, and re-runs an id enqueued while in flight', async () => {
    await pool.query(`INSERT INTO widget (id, status) VALUES ('e1','READY')`);
    let concurrent = 0;
    let maxConcurrent = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const loop = loopWith(async () => {
      runs++;
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      if (runs === 1) await gate;
      concurrent--;
      return { done: true };
    });
    await loop.start();
    loop.enqueue('e1');
    await waitFor(() => runs === 1, { what: 'first run' });
    loop.enqueue('e1');
    loop.enqueue('e1');
    release();
    await waitFor(() => runs === 2, { what: 'the re-run of the dirty id' });
    await loop.stop();
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(2);
  });

  it('retries a failing step with backoff until it succeeds', async () => {
    await pool.query(`INSERT INTO widget (id, status) VALUES ('f1','CREATING')`);
    const attempts: number[] = [];
    const loop = loopWith(
      async (id) => {
        if (id !== 'f1') return { done: true };
        attempts.push(Date.now());
        if (attempts.length < 3) throw new Error('provider unavailable');
        await pool.query(`UPDATE widget SET status='READY' WHERE id=$1`, [id]);
        return { done: true };
      },
      { baseBackoffMs: 50, resyncMs: 60_000 },
    );
    await loop.start();
    await waitFor(async () => (await statusOf('f1')).status === 'READY', { what: 'f1 READY after retries' });
    await loop.stop();
    expect(attempts).toHaveLength(3);
    // second gap is the doubled backoff
    expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(90);
  });
});

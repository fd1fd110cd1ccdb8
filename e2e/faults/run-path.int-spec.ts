import { randomUUID } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LOST_RUN_MESSAGE } from '@dispatch/function-manager';
import { createNodeFunction, startSoloServer, type SoloServer, waitFor } from '@dispatch/testing';

// Servers start, crash and drain thousands of runs here: minutes, not jest's seconds.
jest.setTimeout(180_000);

/** Sleeps `ms` (100 by default) and answers its input: the platform's speed shows, not the function's. */
const SLEEPER = `module.exports = async (context, payload) => {
  await new Promise((resolve) => setTimeout(resolve, (payload && payload.ms) || 100));
  return { i: payload && payload.i };
};
`;
const ECHO = `module.exports = (context, payload) => ({ echo: payload });\n`;
/** Calls the sleeper takes at once on the provider: two replicas of ten calls each. */
const CAPACITY = 20;
/** Settings every server of this suite gets: short leases so lost runs are told quickly, every run kept. */
const ENV = { RUN_LEASE_MS: '2000', RUN_SWEEP_MS: '500', RUN_RETENTION_PER_FUNCTION: '100000' };

interface RunView {
  id: string;
  input: unknown;
  status: string;
  startedTime: string | null;
  error: { type: string; message: string } | null;
}
interface Answer {
  status: number;
  at: number;
  /** The run's input, `load:client:index`, to find whether a request that got no answer ran. */
  key: string;
  id?: string;
  code?: string;
  retryAfter?: string | null;
  failed?: string;
}

const json = (s: SoloServer) => ({ ...s.admin, 'content-type': 'application/json' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Queues `n` async runs of `fn`, `parallel` requests at a time; every one must be accepted (202). */
async function queueRuns(s: SoloServer, fn: string, n: number, input: (i: number) => unknown, parallel = 32): Promise<string[]> {
  const ids: string[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < n; i = next++) {
        const res = await fetch(`${s.api}/v1/function/${fn}/runs`, {
          method: 'POST',
          headers: json(s),
          body: JSON.stringify({ input: input(i) }),
        });
        const body = (await res.json()) as { id: string };
        if (res.status !== 202) throw new Error(`run ${i} answered ${res.status}: ${JSON.stringify(body)}`);
        ids[i] = body.id;
      }
    }),
  );
  return ids;
}

/** Every run of `fn` (all pages), optionally of one status. */
async function runsOf(s: SoloServer, fn: string, status?: string): Promise<RunView[]> {
  const runs: RunView[] = [];
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ pageSize: '500', ...(status ? { status } : {}), ...(token ? { pageToken: token } : {}) });
    const res = await fetch(`${s.api}/v1/function/${fn}/runs?${query}`, { headers: s.admin });
    if (res.status !== 200) throw new Error(`listing runs answered ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as { items: RunView[]; nextPageToken?: string };
    runs.push(...page.items);
    token = page.nextPageToken;
  } while (token);
  return runs;
}

/** Whether every run of `fn` has ended: one run per status asked, so polling costs the server little. */
async function allFinished(s: SoloServer, fn: string): Promise<boolean> {
  for (const status of ['INITIALIZED', 'RUNNING']) {
    const res = await fetch(`${s.api}/v1/function/${fn}/runs?status=${status}&pageSize=1`, { headers: s.admin });
    if (res.status !== 200 || ((await res.json()) as { items: unknown[] }).items.length) return false;
  }
  return true;
}

/** Blocking runs of `fn` from `clients` loops until `until()` is true, each answer noted with when it came. */
async function blockingLoad(s: SoloServer, fn: string, clients: number, until: () => boolean, answers: Answer[] = []): Promise<Answer[]> {
  const load = randomUUID();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; !until(); i++) {
        const key = `${load}:${c}:${i}`;
        try {
          const res = await fetch(`${s.api}/v1/runs?functionName=${fn}`, {
            method: 'POST',
            headers: json(s),
            body: JSON.stringify({ input: { key }, blocking: true }),
          });
          const body = (await res.json()) as { id?: string; code?: string };
          answers.push({
            status: res.status,
            at: Date.now(),
            key,
            id: res.status === 200 ? body.id : undefined,
            code: body.code,
            retryAfter: res.headers.get('retry-after'),
          });
        } catch (err) {
          const cause = (err as Error & { cause?: { code?: string } }).cause;
          answers.push({ status: 0, at: Date.now(), key, failed: cause?.code ?? (err as Error).message });
          await sleep(50);
        }
      }
    }),
  );
  return answers;
}

async function postmasterPid(s: SoloServer): Promise<number> {
  return Number((await readFile(join(s.home, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** SIGKILLs the server process alone (not its process group) and waits until it is gone. */
async function killAlone(s: SoloServer): Promise<void> {
  const gone = exitOf(s, 10_000);
  process.kill(s.process.child.pid!, 'SIGKILL');
  await gone;
}

/** The server's exit code once it exits by itself; SIGKILLed (code null) if it has not within `ms`. */
async function exitOf(s: SoloServer, ms: number): Promise<number | null> {
  const { child } = s.process;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});

/**
 * The run path under faults, on the built solo server: a backlog drains without failures, a
 * crash fails only runs that had started (and says so), PostgreSQL dying is answered with 503
 * and recovered from, or ends the server in order when it cannot come back.
 */
describe('faults on the run path (built solo server)', () => {
  let server: SoloServer;
  const homes: string[] = [];

  beforeAll(async () => {
    server = await startSoloServer({ env: ENV });
    homes.push(server.home);
    const replicas = { minReplicas: 2, maxReplicas: 2, maxConcurrency: CAPACITY / 2 };
    await createNodeFunction(server, 'sleeper', SLEEPER, replicas);
    await createNodeFunction(server, 'echo', ECHO, replicas);
  }, 180_000);

  afterAll(async () => {
    await server?.process.stop('SIGTERM', 20_000);
    for (const home of homes) await rm(home, { recursive: true, force: true });
  });

  it("drains a backlog of 2,000 queued async runs at the provider's speed, failing none", async () => {
    const t0 = Date.now();
    const ids = await queueRuns(server, 'sleeper', 2000, (i) => ({ i }));
    const queuedMs = Date.now() - t0;
    const left = (await runsOf(server, 'sleeper', 'INITIALIZED')).length + (await runsOf(server, 'sleeper', 'RUNNING')).length;
    await waitFor(() => allFinished(server, 'sleeper'), { timeoutMs: 150_000, intervalMs: 500, what: 'the backlog to drain' });
    const seconds = (Date.now() - t0) / 1000;
    const drainSeconds = seconds - queuedMs / 1000;
    const runs = await runsOf(server, 'sleeper');
    expect(runs.filter((r) => ids.includes(r.id)).map((r) => r.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    // The provider takes CAPACITY calls of 100 ms at once: 200 runs/s at the very most.
    console.log(
      `backlog: 2000 async runs queued in ${(queuedMs / 1000).toFixed(1)} s (draining meanwhile), all SUCCEEDED after ${seconds.toFixed(1)} s: ${(2000 / seconds).toFixed(0)} runs/s overall, ` +
        `${(left / drainSeconds).toFixed(0)} runs/s for the ${left} left once queueing ended, beside the provider's capacity of ${CAPACITY / 0.1} runs/s`,
    );
  });

  it('after a SIGKILL under load, keeps every accepted run: each ends SUCCEEDED, or FAILED as lost only if it had started; only blocking runs answered just before the kill may lack a record', async () => {
    const succeededBefore = (await runsOf(server, 'sleeper', 'SUCCEEDED')).length;
    const ids = await queueRuns(server, 'sleeper', 600, (i) => ({ i, ms: 500 }));
    let stop = false;
    const load = blockingLoad(server, 'echo', 4, () => stop);
    await waitFor(async () => (await runsOf(server, 'sleeper', 'SUCCEEDED')).length >= succeededBefore + 100, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: 'part of the backlog to run',
    });
    const killedAt = Date.now();
    // What the OOM killer does: the server alone, its PostgreSQL and workers left as they are.
    await killAlone(server);
    stop = true;
    const answers = await load;

    server = await startSoloServer({ home: server.home, env: ENV });
    await waitFor(() => allFinished(server, 'sleeper'), {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'the queued runs to finish after the restart',
    });
    const byId = new Map((await runsOf(server, 'sleeper')).map((r) => [r.id, r]));
    const mine = ids.map((id) => byId.get(id));
    expect(mine.every((r) => r !== undefined)).toBe(true);
    const lost = mine.filter((r) => r!.status !== 'SUCCEEDED');
    for (const r of lost)
      expect(r).toMatchObject({
        status: 'FAILED',
        error: { type: 'SystemError', message: LOST_RUN_MESSAGE },
        startedTime: expect.any(String),
      });
    // Only runs in the provider's hands at the kill could be lost with it.
    expect(lost.length).toBeLessThanOrEqual(CAPACITY);

    const answered = answers.filter((a) => a.status === 200 && a.at <= killedAt);
    const missing: Answer[] = [];
    for (const a of answered) if ((await fetch(`${server.api}/v1/runs/${a.id}`, { headers: server.admin })).status === 404) missing.push(a);
    // Records are group-committed every few milliseconds: only the last moments' can be lost.
    for (const a of missing) expect(killedAt - a.at).toBeLessThan(1000);
    console.log(
      `SIGKILL under load: ${lost.length} of ${ids.length} queued runs FAILED as lost (all had started; at most ${CAPACITY} run at once), ${ids.length - lost.length} SUCCEEDED; ` +
        `${answered.length} blocking runs answered before the kill, ${missing.length} of them without a record (answered at most ${Math.max(0, ...missing.map((a) => killedAt - a.at))} ms before the kill)`,
    );
  });

  it('answers 503 STORE_UNAVAILABLE with Retry-After while PostgreSQL is killed, restarts it, keeps every record and queued run, and never answers 500', async () => {
    const queued = await queueRuns(server, 'sleeper', 100, (i) => ({ i, ms: 300 }));
    let stop = false;
    const answersSoFar: Answer[] = [];
    const load = blockingLoad(server, 'echo', 4, () => stop, answersSoFar);
    await sleep(1000);
    const killedAt = Date.now();
    process.kill(await postmasterPid(server), 'SIGKILL');
    let sawNotReady = false;
    await waitFor(
      async () => {
        const ready = (await fetch(`${server.api}/readyz`)).status;
        sawNotReady ||= ready === 503;
        return sawNotReady && ready === 200;
      },
      { timeoutMs: 60_000, intervalMs: 50, what: '/readyz to go 503 and come back' },
    );
    const readyAfterMs = Date.now() - killedAt;
    const readyAt = Date.now();
    await waitFor(() => answersSoFar.some((a) => a.status === 200 && a.at > readyAt), {
      timeoutMs: 30_000,
      what: 'a run answered 200 after recovery',
    });
    await sleep(500);
    stop = true;
    const answers = await load;

    expect(server.process.child.exitCode).toBeNull();
    expect(countBy(answers, (a) => String(a.status))).not.toHaveProperty('500');
    const afterKill = answers.filter((a) => a.at > killedAt);
    for (const a of afterKill.filter((x) => x.status !== 200))
      expect(a).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE', retryAfter: expect.stringMatching(/^\d+$/) });
    const outageEnd = Math.max(...afterKill.filter((a) => a.status === 503).map((a) => a.at));
    const firstOk = afterKill.find((a) => a.status === 200 && a.at > outageEnd);
    for (const a of answers.filter((x) => x.status === 200))
      expect((await fetch(`${server.api}/v1/runs/${a.id}`, { headers: server.admin })).status).toBe(200);
    await waitFor(() => allFinished(server, 'sleeper'), { timeoutMs: 60_000, intervalMs: 500, what: 'the queued runs to finish' }).catch(
      async (err: Error) => {
        const statuses = countBy(await runsOf(server, 'sleeper'), (r) => r.status);
        throw new Error(
          `${err.message}; runs by status ${JSON.stringify(statuses)}; server output:\n${server.process.output().slice(-6000)}`,
        );
      },
    );
    // A run that did not succeed shows why, so a failure here says what went wrong.
    const byId = new Map(
      (await runsOf(server, 'sleeper')).map((r) => [r.id, r.error ? `${r.status}: ${r.error.type}: ${r.error.message}` : r.status]),
    );
    expect(queued.map((id) => byId.get(id))).toEqual(queued.map(() => 'SUCCEEDED'));
    console.log(
      `PostgreSQL SIGKILLed under load: /readyz back to 200 after ${readyAfterMs} ms, the last 503 after ${outageEnd - killedAt} ms and the next run answered 200 after ${firstOk ? firstOk.at - killedAt : '?'} ms; ` +
        `answers ${JSON.stringify(countBy(answers, (a) => String(a.status)))}; ${queued.length} queued runs all SUCCEEDED`,
    );
  });

  it("answers every run in flight on SIGTERM and keeps every answered run's record", async () => {
    let stop = false;
    const load = blockingLoad(server, 'echo', 4, () => stop);
    await sleep(1000);
    const code = await server.process.stop('SIGTERM', 20_000);
    stop = true;
    const answers = await load;
    expect(code).toBe(0);
    server = await startSoloServer({ home: server.home, env: ENV });
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const a of ok) expect((await fetch(`${server.api}/v1/runs/${a.id}`, { headers: server.admin })).status).toBe(200);
    expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
    // A request that got no answer (its connection was closed or refused as the server stopped) never ran.
    const ran = new Set((await runsOf(server, 'echo')).map((r) => (r.input as { key?: string } | null)?.key));
    const unanswered = answers.filter((a) => a.status === 0);
    expect(unanswered.filter((a) => ran.has(a.key))).toEqual([]);
    console.log(
      `SIGTERM under load: ${ok.length} runs answered 200, all recorded; answers ${JSON.stringify(countBy(answers, (a) => String(a.status)))}, ` +
        `the unanswered ones (${JSON.stringify(countBy(unanswered, (a) => a.failed ?? ''))}) never ran`,
    );
  });

  it('stops in order with exit 6 and the reason when its PostgreSQL cannot be started again', async () => {
    const doomed = await startSoloServer({ env: ENV });
    homes.push(doomed.home);
    const dataDir = join(doomed.home, 'postgres');
    const pid = await postmasterPid(doomed);
    await rename(dataDir, `${dataDir}.gone`);
    process.kill(pid, 'SIGKILL');
    const t0 = Date.now();
    const code = await exitOf(doomed, 60_000);
    expect(code).toBe(6);
    expect(doomed.process.output()).toMatch(/dispatch stopped: embedded PostgreSQL exited and could not be restarted in \d+ attempts/);
    console.log(`PostgreSQL gone for good: the server stopped with exit ${code} after ${Date.now() - t0} ms`);
  });
});

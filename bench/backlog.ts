import { rm } from 'node:fs/promises';
import { createNodeFunction, startSoloServer, waitFor } from '@dispatch/testing';
import { measure, soloCpu, totalCpu } from './lib/measure';
import { cpuPerRequestUs } from './lib/process-cpu';
import { printTable } from './lib/report';

/** Sleeps 50 ms: the provider's capacity, not the function's work, bounds the rate. */
const SOURCE = `module.exports = async () => { await new Promise((r) => setTimeout(r, 50)); return 'ok'; };\n`;
const REPLICAS = 2;
const CALLS_PER_REPLICA = 10;
const CAPACITY = REPLICAS * CALLS_PER_REPLICA;
const BACKLOG = 2000;

/**
 * A backlog of async runs queued at once (`POST /v1/function/F/runs`, 202) and drained by the
 * platform, against blocking runs of the same function from as many clients as the function
 * takes calls at once: both are bounded by the provider's capacity, so a drain slower than the
 * blocking baseline is the queue's own cost. CPU per run (from /proc) holds on a busy machine.
 */
export async function benchBacklog(seconds: number): Promise<void> {
  const solo = await startSoloServer();
  const json = { ...solo.admin, 'content-type': 'application/json' };
  const pid = solo.process.child.pid as number;
  try {
    await createNodeFunction(solo, 'sleeper', SOURCE, { minReplicas: REPLICAS, maxReplicas: REPLICAS, maxConcurrency: CALLS_PER_REPLICA });

    const blocking = await measure(
      () => soloCpu(pid),
      { url: `${solo.api}/v1/runs?functionName=sleeper`, body: JSON.stringify({ blocking: true }), headers: json },
      seconds,
      CAPACITY,
    );

    const cpuBefore = soloCpu(pid);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < BACKLOG) {
          const res = await fetch(`${solo.api}/v1/function/sleeper/runs`, { method: 'POST', headers: json, body: '{}' });
          if (res.status !== 202) throw new Error(`an async run answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer();
        }
      }),
    );
    const queuedMs = performance.now() - t0;
    const finished = async (status: string) =>
      (
        (await (await fetch(`${solo.api}/v1/function/sleeper/runs?status=${status}&pageSize=1`, { headers: solo.admin })).json()) as {
          items: unknown[];
        }
      ).items.length === 0;
    await waitFor(async () => (await finished('INITIALIZED')) && (await finished('RUNNING')), {
      timeoutMs: 300_000,
      intervalMs: 100,
      what: 'the backlog to drain',
    });
    const drainMs = performance.now() - t0;
    const asyncCpu = cpuPerRequestUs(cpuBefore, soloCpu(pid), BACKLOG);
    const failedRuns = (
      (await (await fetch(`${solo.api}/v1/function/sleeper/runs?status=FAILED&pageSize=500`, { headers: solo.admin })).json()) as {
        items: unknown[];
      }
    ).items.length;

    printTable(
      `${BACKLOG} async runs queued at once vs blocking runs from ${CAPACITY} clients (a 50 ms function taking ${CAPACITY} calls at once; ${failedRuns} runs failed)`,
      [
        {
          name: 'runs/s',
          value: (BACKLOG * 1000) / drainMs,
          baseline: blocking.requestsPerSec,
          unit: 'runs/s',
          higherIsBetter: true,
          goal: `capacity ${CAPACITY / 0.05} runs/s; queued in ${(queuedMs / 1000).toFixed(1)} s`,
        },
        { name: 'server CPU per run', value: asyncCpu.server, baseline: blocking.cpu.server, unit: 'µs', higherIsBetter: false },
        { name: 'PostgreSQL CPU per run', value: asyncCpu.postgres, baseline: blocking.cpu.postgres, unit: 'µs', higherIsBetter: false },
        { name: 'all CPU per run', value: totalCpu(asyncCpu), baseline: totalCpu(blocking.cpu), unit: 'µs', higherIsBetter: false },
      ],
    );
  } finally {
    await solo.process.stop('SIGTERM', 30_000);
    await rm(solo.home, { recursive: true, force: true });
  }
}

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@dispatch/testing';
import type { FaasLocal } from './faas-local';
import { Gateway, deployment, handlerSource, isAlive, removeTempDirs, startTestFaas, tempDir, writeImage } from './test-support/harness';

afterAll(() => removeTempDirs());

const scale = (min: number, max: number) => ({ 'com.openfaas.scale.min': String(min), 'com.openfaas.scale.max': String(max) });

/** The warm pool with real worker processes: queueing, scaling, timeouts, memory, crashes, updates. */
describe('faas-local: the warm pool', () => {
  const imagesRoot = tempDir('faas-local-images-');
  const v1 = writeImage(imagesRoot, { 'handler.js': handlerSource('v1') });
  const v2 = writeImage(imagesRoot, { 'handler.js': handlerSource('v2') });
  let faas: FaasLocal;
  let gw: Gateway;

  beforeAll(async () => {
    faas = await startTestFaas(imagesRoot, { scaling: { idleDelayMs: 300, monitorIntervalMs: 50 } });
    gw = new Gateway(faas);
  });

  afterAll(() => faas?.stop());

  it('queues calls beyond max_inflight and answers every one (8 concurrent calls, 1 replica, 1 at a time)', async () => {
    await gw.deployReady(deployment('queued', v1, { labels: scale(1, 1), env: { max_inflight: '1' } }));
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: 8 }, () => gw.callJson<{ pid: number }>('queued', { action: 'sleep', ms: 50 })));
    // One worker, one call at a time: the calls ran one after the other.
    expect(new Set(replies.map((r) => r.pid)).size).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(8 * 50);
    expect((await gw.status('queued'))!.invocationCount).toBe(8);
  });

  it('serves max_inflight calls on one worker at once', async () => {
    await gw.deployReady(deployment('parallel', v1, { labels: scale(1, 1), env: { max_inflight: '4' } }));
    const started = Date.now();
    await Promise.all(Array.from({ length: 4 }, () => gw.callJson('parallel', { action: 'sleep', ms: 300 })));
    expect(Date.now() - started).toBeLessThan(4 * 300);
  });

  it('starts workers up to scale.max while calls wait, and stops the idle ones down to scale.min', async () => {
    await gw.deployReady(deployment('elastic', v1, { labels: scale(1, 3) }));
    const replies = await Promise.all(
      Array.from({ length: 9 }, () => gw.callJson<{ pid: number }>('elastic', { action: 'sleep', ms: 250 })),
    );
    const pids = new Set(replies.map((r) => r.pid));
    expect(pids.size).toBeGreaterThan(1);
    expect(pids.size).toBeLessThanOrEqual(3);
    // Idle for 300 ms above the floor: back to one worker, and its status says so.
    await waitFor(async () => faas.workers('elastic').length === 1 && (await gw.status('elastic'))!.replicas === 1, {
      what: 'scale-down to scale.min',
    });
    expect([...pids].filter(isAlive)).toHaveLength(1);
  });

  it('scale-function sets the desired replicas (202), 0 scales to zero and a call starts a worker again', async () => {
    await gw.deployReady(deployment('scaled', v1, { labels: scale(1, 4) }));
    expect(
      (await gw.system('POST', '/system/scale-function/scaled', { serviceName: 'scaled', namespace: 'openfaas-fn', replicas: 3 })).status,
    ).toBe(202);
    expect(await gw.waitAvailable('scaled', 3)).toMatchObject({ replicas: 3, availableReplicas: 3 });
    expect(
      (await gw.system('POST', '/system/scale-function/scaled', { serviceName: 'scaled', namespace: 'openfaas-fn', replicas: 0 })).status,
    ).toBe(202);
    await waitFor(async () => faas.workers('scaled').length === 0 && (await gw.status('scaled'))!.availableReplicas === 0, {
      what: 'scale to zero',
    });
    expect(await gw.status('scaled')).toMatchObject({ replicas: 0, availableReplicas: 0 });
    expect((await gw.callJson('scaled', {})).version).toBe('v1');
    // Back at zero once idle.
    await waitFor(() => faas.workers('scaled').length === 0, { what: 'scale back to zero' });
    expect((await gw.system('POST', '/system/scale-function/scaled', { replicas: -1 })).status).toBe(400);
  });

  it('starts one worker of a scale.min=0 function at deploy (as faas-netes), which then idles out to zero', async () => {
    const status = await gw.deployReady(deployment('lazy', v1, { labels: scale(0, 2) }));
    expect(status).toMatchObject({ replicas: 1, availableReplicas: 1 });
    await waitFor(async () => faas.workers('lazy').length === 0 && (await gw.status('lazy'))!.replicas === 0, {
      what: 'lazy to idle out to zero',
    });
    expect((await gw.callJson('lazy', {})).version).toBe('v1');
  });

  it('answers a call past exec_timeout with 504 (X-Dispatch-Failure: timeout), replaces the worker, and the next call works', async () => {
    await gw.deployReady(deployment('slow', v1, { env: { exec_timeout: '1s' } }));
    const [before] = faas.workers('slow');
    const started = Date.now();
    const res = await gw.call('slow', { action: 'spin' });
    expect(res.status).toBe(504);
    expect(res.headers.get('x-dispatch-failure')).toBe('timeout');
    expect(await res.text()).toMatch(/exec_timeout of 1s/);
    expect(Date.now() - started).toBeLessThan(1800);
    const next = Date.now();
    const reply = await gw.callJson('slow', {});
    expect(Date.now() - next).toBeLessThan(2000);
    expect(reply.pid).not.toBe(before.pid);
    await waitFor(() => !isAlive(before.pid!), { what: 'the timed-out worker to be gone' });
  });

  it('kills a worker above limits.memory: its call fails with X-Dispatch-Failure: memory, the next call works', async () => {
    await gw.deployReady(deployment('hog', v1, { memory: '96Mi' }));
    const [before] = faas.workers('hog');
    const res = await gw.call('hog', { action: 'hog' });
    expect(res.status).toBe(502);
    expect(res.headers.get('x-dispatch-failure')).toBe('memory');
    expect(await res.text()).toMatch(/memory limit of 96 MiB exceeded/);
    const reply = await gw.callJson('hog', {});
    expect(reply.pid).not.toBe(before.pid);
    expect(
      (await gw.logs('hog')).some((e) => /^worker was killed: memory limit of 96 MiB exceeded \(resident \d+ MiB\)/.test(e.text)),
    ).toBe(true);
  });

  it('fails only the call in flight when its worker crashes, and replaces the worker', async () => {
    await gw.deployReady(deployment('fragile', v1, { labels: scale(2, 2) }), 2);
    const other = gw.call('fragile', { action: 'sleep', ms: 300 });
    await waitFor(() => faas.workers('fragile').some((w) => w.inflight === 1), { what: 'the first call in flight' });
    const crashed = await gw.call('fragile', { action: 'crash' });
    expect(crashed.status).toBe(502);
    expect(crashed.headers.get('x-dispatch-failure')).toBe('crash');
    expect(await crashed.text()).toMatch(/exited with code 7/);
    expect((await other).status).toBe(200);
    await gw.waitAvailable('fragile', 2);
    expect((await gw.callJson('fragile', {})).version).toBe('v1');
  });

  it('takes a worker whose socket refuses out of service before it frees the slot: waiting calls go to its replacement', async () => {
    // The first three workers each stop listening as they become ready: live processes whose
    // sockets refuse. A refused call is sent to another worker at most twice, so both calls
    // get through only if none of them is spent on a worker already found unreachable.
    const control = tempDir('faas-local-refusing-');
    const readyFile = join(control, 'ready');
    const tokens = join(control, 'tokens');
    mkdirSync(tokens);
    for (const n of [1, 2, 3]) writeFileSync(join(tokens, String(n)), '');
    const env = { max_inflight: '1', TEST_SHIM_READY_FILE: readyFile, TEST_SHIM_REFUSE_TOKENS: tokens };
    await gw.deploy(deployment('refusing', v1, { labels: scale(1, 1), env }));
    const calls = [gw.call('refusing', { n: 1 }), gw.call('refusing', { n: 2 })];
    await waitFor(() => faas.queued('refusing') === 2, { what: 'both calls waiting for the first worker' });
    writeFileSync(readyFile, '');
    const replies = await Promise.all(calls);
    expect(await Promise.all(replies.map(async (r) => `${r.status} ${r.status === 200 ? '' : await r.text()}`))).toEqual(['200 ', '200 ']);
    expect(readdirSync(tokens)).toEqual([]);
    const unreachable = (await gw.logs('refusing')).filter((e) => /^worker was killed: its socket refused a connection/.test(e.text));
    expect(unreachable).toHaveLength(3);
  });

  it('rolls an update (PUT 200) over a constant stream of calls without failing one', async () => {
    await gw.deployReady(deployment('rolling', v1, { labels: scale(2, 3) }), 2);
    const oldPids = faas.workers('rolling').map((w) => w.pid!);
    const failures: string[] = [];
    const versions = new Set<string>();
    let running = true;
    let sawV2 = 0;
    const stream = async () => {
      while (running) {
        const res = await gw.call('rolling', { action: 'sleep', ms: 5 });
        const text = await res.text();
        if (res.status !== 200) failures.push(`${res.status} ${text}`);
        else {
          const version = (JSON.parse(text) as { payload: { version: string } }).payload.version;
          versions.add(version);
          if (version === 'v2') sawV2++;
        }
      }
    };
    const streams = Array.from({ length: 4 }, stream);
    await waitFor(() => versions.has('v1'), { what: 'calls served by v1' });
    const res = await gw.system('PUT', '/system/functions', deployment('rolling', v2, { labels: scale(2, 3) }));
    expect(res.status).toBe(200);
    await waitFor(() => sawV2 >= 20, { what: 'calls served by v2', timeoutMs: 10_000 });
    running = false;
    await Promise.all(streams);
    expect(failures).toEqual([]);
    expect((await gw.status('rolling'))!.image).toBe(v2);
    await waitFor(() => oldPids.every((pid) => !isAlive(pid)), { what: 'the old workers to stop' });
    expect(faas.workers('rolling').every((w) => w.generation === 2)).toBe(true);
  });
});

describe('faas-local: a full queue', () => {
  it('answers 429 (X-Dispatch-Failure: unavailable) beyond maxQueueLength waiting calls, and serves the ones it queued', async () => {
    const imagesRoot = tempDir('faas-local-images-');
    const image = writeImage(imagesRoot, { 'handler.js': handlerSource('q') });
    const faas = await startTestFaas(imagesRoot, { maxQueueLength: 2 });
    try {
      const gw = new Gateway(faas);
      await gw.deployReady(deployment('narrow', image, { labels: scale(1, 1) }));
      const accepted = [gw.call('narrow', { action: 'sleep', ms: 300 })];
      await waitFor(() => faas.workers('narrow')[0]?.inflight === 1, { what: 'the first call in flight' });
      accepted.push(gw.call('narrow', {}), gw.call('narrow', {}));
      await waitFor(() => faas.queued('narrow') === 2, { what: 'two calls waiting' });
      const refused = await gw.call('narrow', {});
      expect(refused.status).toBe(429);
      expect(refused.headers.get('x-dispatch-failure')).toBe('unavailable');
      const asyncRefused = await fetch(`${faas.url}/async-function/narrow`, { method: 'POST', body: '{}' });
      expect(asyncRefused.status).toBe(429);
      expect((await Promise.all(accepted)).map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      await faas.stop();
    }
  });
});

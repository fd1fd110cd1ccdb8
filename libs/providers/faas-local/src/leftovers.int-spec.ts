import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { waitFor } from '@dispatch/testing';
import { endLeftoverWorkers, startTimeOf, WorkerLedger } from './leftovers';
import { removeTempDirs, tempDir } from './test-support/harness';

afterAll(() => removeTempDirs());

describe('leftover workers of a provider killed outright', () => {
  const logger = pino({ level: 'silent' });
  const started: ChildProcess[] = [];
  // Its own process group, as a worker is.
  const sleeper = () => {
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    started.push(child);
    return child;
  };
  const gone = (child: ChildProcess) =>
    new Promise<void>((resolve) =>
      child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
  afterAll(() => started.forEach((child) => child.kill('SIGKILL')));

  it('records running workers by pid and start time, and forgets those that exit', () => {
    const ledger = new WorkerLedger(join(tempDir('ledger-'), 'workers'), logger);
    const [a, b] = [sleeper(), sleeper()];
    ledger.add(a.pid!);
    ledger.add(b.pid!);
    ledger.remove(a.pid!);
    expect(readFileSync(ledger.file, 'utf8')).toBe(`${b.pid} ${startTimeOf(b.pid!)}\n`);
  });

  it('ends the recorded workers still running, and never a process that merely got a recorded pid', async () => {
    const ledger = new WorkerLedger(join(tempDir('ledger-'), 'workers'), logger);
    const [left, reused] = [sleeper(), sleeper()];
    ledger.add(left.pid!);
    // As if the kernel had given a dead worker's pid to an unrelated process since.
    const text = readFileSync(ledger.file, 'utf8') + `${reused.pid} 1\n`;
    writeFileSync(ledger.file, text);

    expect(endLeftoverWorkers(ledger.file, logger)).toBe(1);
    await gone(left);
    expect(left.signalCode).toBe('SIGKILL');
    expect(reused.exitCode === null && reused.signalCode === null).toBe(true);
    // The record is consumed: a second start ends nothing.
    expect(endLeftoverWorkers(ledger.file, logger)).toBe(0);
  });

  it('ends what a worker already gone started: its process group outlives it', async () => {
    const ledger = new WorkerLedger(join(tempDir('ledger-'), 'workers'), logger);
    // A worker (its group's leader) that started a process, then was killed by itself.
    const worker = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    started.push(worker);
    const child = Number((await new Promise<Buffer>((resolve) => worker.stdout!.once('data', resolve))).toString().trim());
    ledger.add(worker.pid!);
    worker.kill('SIGKILL');
    await gone(worker);
    await waitFor(() => startTimeOf(worker.pid!) === undefined, { what: 'the worker to be reaped' });
    expect(startTimeOf(child)).toMatch(/^\d+$/);

    expect(endLeftoverWorkers(ledger.file, logger)).toBe(1);
    await waitFor(() => startTimeOf(child) === undefined, { what: "the worker's child to end" });
  });

  it('reads no start time for a process that is gone', async () => {
    const child = sleeper();
    const pid = child.pid!;
    expect(startTimeOf(pid)).toMatch(/^\d+$/);
    child.kill('SIGKILL');
    await gone(child);
    await waitFor(() => startTimeOf(pid) === undefined, { what: 'the process to be reaped' });
  });
});

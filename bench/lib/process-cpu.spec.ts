import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpuPerRequestUs, pidSetCpu, processCpuMs } from './process-cpu';

describe('pidSetCpu', () => {
  it('keeps what a listed process used once it has exited and is listed no more', async () => {
    // Busy for 300 ms of CPU, says so, then idles until told to exit.
    const script = `
      const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
      while (used() < 300);
      process.stdout.write('busy');
      process.stdin.once('data', () => process.exit(0));`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'ignore'] });
    await once(child.stdout as NodeJS.ReadableStream, 'data');
    let listed = [child.pid as number, 2 ** 22 + 1]; // the second never existed
    const read = pidSetCpu(async () => listed);
    const busy = await read();
    expect(busy).toBeGreaterThanOrEqual(250);
    expect(busy).toBeLessThanOrEqual(processCpuMs(child.pid as number));

    child.stdin?.end('x');
    await once(child, 'exit');
    listed = [];
    expect(await read()).toBe(busy);
  });
});

describe('cpuPerRequestUs', () => {
  it('answers each part of the later reading as µs per request, a part new since the first counted from 0', () => {
    expect(cpuPerRequestUs({ server: 10, gone: 4 }, { server: 30, workers: 5 }, 1000)).toEqual({ server: 20, workers: 5 });
  });
});

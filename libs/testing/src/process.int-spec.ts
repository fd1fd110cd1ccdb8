import { runToExit } from './process';

describe('runToExit', () => {
  it('resolves with the exit code and all the process wrote to stderr', async () => {
    const script = "process.stderr.write('x'.repeat(1 << 20)); process.stderr.write('END'); process.exitCode = 3;";
    const { code, stderr } = await runToExit(['-e', script], {});
    expect(code).toBe(3);
    expect(stderr).toHaveLength((1 << 20) + 3);
    expect(stderr.endsWith('END')).toBe(true);
  });

  it("gives the process only the environment it is handed, none of the runner's", async () => {
    process.env['RUN_TO_EXIT_PROBE'] = 'inherited';
    try {
      const script = 'process.stderr.write(JSON.stringify([process.env.RUN_TO_EXIT_PROBE ?? null, process.env.GIVEN ?? null]));';
      expect(JSON.parse((await runToExit(['-e', script], { GIVEN: 'yes' })).stderr)).toEqual([null, 'yes']);
    } finally {
      delete process.env['RUN_TO_EXIT_PROBE'];
    }
  });

  it('kills a process that does not stop in time, and says so', async () => {
    await expect(runToExit(['-e', "process.stderr.write('still here'); setInterval(() => {}, 1000);"], {}, 500)).rejects.toThrow(
      /still running after 500 ms:\nstill here/,
    );
  });
});

import { cpuRows, proxyHopRow } from './rows';
import type { Measurements } from './measure';

describe('cpuRows', () => {
  it('answers a row per named part, a part missing from a reading as 0, then the total of the named parts only', () => {
    const rows = cpuRows({ a: 3, b: 4, other: 100 }, { a: 1 }, '<= 2', [
      ['a', 'part A'],
      ['b', 'part B'],
    ]);
    expect(rows.map((r) => [r.name, r.value, r.baseline, r.goal])).toEqual([
      ['part A', 3, 1, undefined],
      ['part B', 4, 0, undefined],
      ['all of them', 7, 1, '<= 2'],
    ]);
  });
});

describe('proxyHopRow', () => {
  it('reads a figure against the proxy process CPU per call under load', () => {
    const measured = (proxy: number) => ({
      requestsPerSec: 1,
      requests: 1,
      p50Ms: 1,
      p99Ms: 1,
      errors: 0,
      non2xx: 0,
      answered: 1,
      cpu: { proxy },
    });
    const hop: Measurements = { loaded: measured(120), alone: measured(300) };
    expect(proxyHopRow('service', 180, hop, '<= 1.5')).toMatchObject({ value: 180, baseline: 120, unit: 'µs', goal: '<= 1.5' });
  });
});

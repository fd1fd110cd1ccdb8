import type { DispatchClient } from '@dispatch/sdk';
import { deployFailure, waitForFunction } from './function-deploy';
import { startProgress } from './progress';

describe('a deploy', () => {
  it('failed when the function is ERROR, or READY on an older version than its latest', () => {
    expect(deployFailure({ status: 'READY', activeVersion: 2, latestVersion: 2, reason: [] })).toBeUndefined();
    expect(deployFailure({ status: 'ERROR', activeVersion: null, latestVersion: 1, reason: ['version 1: bad'] })).toBe('version 1: bad');
    expect(deployFailure({ status: 'READY', activeVersion: 1, latestVersion: 2, reason: ['version 2: bad'] })).toBe(
      'the new version does not serve (version 1 still does): version 2: bad',
    );
  });

  it('is watched until READY or ERROR, each status reported once, and no longer when the function is being deleted', async () => {
    const statuses = ['CREATING', 'CREATING', 'READY'];
    const seen: string[] = [];
    const client = (s: string[]) =>
      ({ GET: async () => ({ data: { name: 'f', status: s.shift() ?? 'READY' } }) }) as unknown as DispatchClient;
    const fn = await waitForFunction(client(statuses), 'f', { intervalMs: 1, onStatus: (s) => seen.push(s) });
    expect(fn.status).toBe('READY');
    expect(seen).toEqual(['CREATING', 'READY']);
    await expect(waitForFunction(client(['CREATING', 'DELETING']), 'f', { intervalMs: 1 })).rejects.toThrow('function f is being deleted');
    await expect(waitForFunction(client(Array(50).fill('CREATING')), 'f', { intervalMs: 5, timeoutMs: 20 })).rejects.toThrow(
      'function f is still CREATING after 0 s: see dispatch get function f',
    );
  });
});

describe('progress off a terminal', () => {
  it('prints a line per new state, not a spinner', () => {
    let written = '';
    const stream = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const p = startProgress('function f: CREATING', stream);
    p.update('function f: CREATING');
    p.update('function f: READY');
    p.stop();
    expect(written).toBe('function f: CREATING\nfunction f: READY\n');
  });
});

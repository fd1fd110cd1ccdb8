import path from 'node:path';
import { nodeHeapArgs, nodejsShimPath } from './index';

describe('nodejsRuntime', () => {
  const root = path.resolve('/repo');
  const source = path.join(root, 'libs/runtimes/nodejs/src');
  const dist = path.join(root, 'dist/libs/runtimes/nodejs/src');

  it('finds the compiled shim beside itself in dist/, or from the sources in the repo dist/', () => {
    expect(nodejsShimPath(dist, (file) => file === path.join(dist, 'shim.js'))).toBe(path.join(dist, 'shim.js'));
    expect(nodejsShimPath(source, (file) => file === path.join(dist, 'shim.js'))).toBe(path.join(dist, 'shim.js'));
  });

  it('asks for a build when the shim is not compiled', () => {
    expect(() => nodejsShimPath(source, () => false)).toThrow(/run `npm run build`/);
  });

  it('turns the memory limit into the V8 heap cap', () => {
    expect(nodeHeapArgs(undefined)).toEqual([]);
    expect(nodeHeapArgs(256)).toEqual(['--max-old-space-size=256']);
    expect(() => nodeHeapArgs(0)).toThrow(RangeError);
  });
});

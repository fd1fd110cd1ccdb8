import path from 'node:path';
import { python3ShimPath } from './index';

describe('python3Runtime', () => {
  const root = path.resolve('/repo');
  const shim = path.join(root, 'libs/runtimes/python3/dispatch_runtime/shim.py');

  it('finds the shim in the lib from the sources and from dist/', () => {
    const exists = (file: string) => file === shim;
    expect(python3ShimPath(path.join(root, 'libs/runtimes/python3/src'), exists)).toBe(shim);
    expect(python3ShimPath(path.join(root, 'dist/libs/runtimes/python3/src'), exists)).toBe(shim);
  });

  it('says where it looked when the shim is missing', () => {
    expect(() => python3ShimPath(path.join(root, 'dist/libs/runtimes/python3/src'), () => false)).toThrow(
      `the Python runtime shim is missing (looked for ${path.join(root, 'dist/libs/runtimes/python3/dispatch_runtime/shim.py')}, ${shim})`,
    );
  });
});

import { bwrapArgs } from './sandbox';

describe('bwrapArgs', () => {
  it('mounts the host read-only, masks hidden paths, then binds the code (ro) and socket (rw) dirs back in', () => {
    const args = bwrapArgs('/usr/bin/node', ['--max-old-space-size=128', '/shim.js'], {
      codeDir: '/home/u/.dispatch/images/abc',
      socketDir: '/tmp/faas/w/1',
      hiddenPaths: ['/home/u/.dispatch/images', '/home/u/.dispatch', '/tmp/faas'],
      runtimePaths: ['/tmp/checkout/dist/libs/runtimes/nodejs/src'],
    });
    const joined = args.join(' ');
    expect(joined).toMatch(/^--ro-bind \/ \/ --dev \/dev --proc \/proc --tmpfs \/tmp /);
    // Parents are masked before children, and everything is masked before the binds.
    expect(joined).toContain(
      '--tmpfs /tmp/faas --tmpfs /home/u/.dispatch --tmpfs /home/u/.dispatch/images --ro-bind /tmp/checkout/dist/libs/runtimes/nodejs/src /tmp/checkout/dist/libs/runtimes/nodejs/src --ro-bind /home/u/.dispatch/images/abc /home/u/.dispatch/images/abc --bind /tmp/faas/w/1 /tmp/faas/w/1',
    );
    expect(args).toEqual(expect.arrayContaining(['--unshare-pid', '--new-session', '--die-with-parent']));
    expect(args.slice(args.indexOf('--'))).toEqual(['--', '/usr/bin/node', '--max-old-space-size=128', '/shim.js']);
  });
});

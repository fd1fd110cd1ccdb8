import { closeSync, openSync } from 'node:fs';
import { watchLifeline } from './lifeline';

describe('watchLifeline', () => {
  const never = () => {
    throw new Error('the lifeline was reported lost');
  };

  it('watches nothing without DISPATCH_LIFELINE_FD (a container)', () => {
    expect(() => watchLifeline(undefined, never)).not.toThrow();
    expect(() => watchLifeline('', never)).not.toThrow();
  });

  it('refuses what cannot be a lifeline: not a number, the shim’s own output, a descriptor not open, a device', () => {
    expect(() => watchLifeline('three', never)).toThrow('DISPATCH_LIFELINE_FD=three is not a file descriptor other than stdout and stderr');
    expect(() => watchLifeline('2', never)).toThrow('DISPATCH_LIFELINE_FD=2 is not a file descriptor other than stdout and stderr');
    expect(() => watchLifeline('987', never)).toThrow('DISPATCH_LIFELINE_FD=987 is not open');
    const device = openSync('/dev/null', 'r');
    try {
      expect(() => watchLifeline(String(device), never)).toThrow(`DISPATCH_LIFELINE_FD=${device} is neither a pipe nor a socket`);
    } finally {
      closeSync(device);
    }
  });
});

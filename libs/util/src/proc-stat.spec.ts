import { hasEnded, parseProcStat, readProcStat } from './proc-stat';

/** A stat line as the kernel writes it, with `comm` in its parentheses (fields 24 to 52 left out: never read). */
const statLine = (comm: string, state = 'S') =>
  `4242 (${comm}) ${state} 17 4242 4242 0 -1 4194560 1234 0 0 0 310 42 7 3 20 0 1 0 98765 123456 789 18446744073709551615\n`;

describe('parseProcStat', () => {
  it('reads the fields after the command name', () => {
    expect(parseProcStat(statLine('node'))).toEqual({
      pid: 4242,
      comm: 'node',
      state: 'S',
      ppid: 17,
      utime: 310,
      stime: 42,
      cutime: 7,
      cstime: 3,
      startTime: '98765',
    });
  });

  it.each([
    ['spaces', 'tmux: server'],
    ['a closing parenthesis and what looks like fields', 'a) R 1 2 (b'],
    ['parentheses only', ')) ('],
    ['nothing', ''],
    ['a newline', 'two\nlines'],
  ])('keeps a command name holding %s whole, and the fields after it in place', (_, comm) => {
    const stat = parseProcStat(statLine(comm, 'Z'));
    expect(stat).toMatchObject({ pid: 4242, comm, state: 'Z', ppid: 17, utime: 310, startTime: '98765' });
  });

  it('refuses text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('4242 node S 17')).toBeUndefined();
    expect(parseProcStat('4242 (node) S 17 4242')).toBeUndefined();
  });
});

describe('readProcStat', () => {
  it('reads a live process, and nothing of a pid that does not exist', () => {
    const self = readProcStat(process.pid);
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(hasEnded(self!)).toBe(false);
    expect(self!.startTime).toMatch(/^\d+$/);
    expect(readProcStat(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('hasEnded', () => {
  it('holds for zombies and dead processes only', () => {
    expect(['R', 'S', 'D', 'T', 'Z', 'X'].map((state) => hasEnded(parseProcStat(statLine('x', state))!))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});

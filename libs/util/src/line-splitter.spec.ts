import { LineSplitter, splitLines } from './line-splitter';

describe('splitLines', () => {
  it('returns the complete lines without their CR, and the unterminated rest as it is', () => {
    expect(splitLines('one\r\ntwo\n\nthree\r')).toEqual({ lines: ['one', 'two', ''], rest: 'three\r' });
    expect(splitLines('one\n')).toEqual({ lines: ['one'], rest: '' });
    expect(splitLines('')).toEqual({ lines: [], rest: '' });
  });
});

describe('LineSplitter', () => {
  it('hands on whole lines across chunk borders, blank ones included, and the unfinished last one at the end', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.write('one\ntw');
    splitter.write(Buffer.from('o\r\n\nthree'));
    expect(lines).toEqual(['one', 'two', '']);
    splitter.end();
    splitter.end();
    expect(lines).toEqual(['one', 'two', '', 'three']);
  });

  it('cuts a line that outgrows maxLineLength instead of buffering it', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l), { maxLineLength: 5 });
    splitter.write('abc');
    splitter.write('defgh');
    expect(lines).toEqual(['abcdefgh']);
    splitter.write('ij\nk');
    splitter.end();
    expect(lines).toEqual(['abcdefgh', 'ij', 'k']);
  });

  it('drops blank lines when asked (PostgreSQL output: one log record per line keeps the log greppable)', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l), { skipBlank: true });
    splitter.write('2025 LOG:  starting Post');
    splitter.write('greSQL 17\n\n  \n2025 LOG:  listening\r\n2025 LOG:  ready');
    expect(lines).toEqual(['2025 LOG:  starting PostgreSQL 17', '2025 LOG:  listening']);
    splitter.end();
    expect(lines).toEqual(['2025 LOG:  starting PostgreSQL 17', '2025 LOG:  listening', '2025 LOG:  ready']);
  });
});

import { RUN_LOG_MAX_LINE_LENGTH, RUN_LOG_MAX_LINES } from '@dispatch/contracts';
import { droppedLinesNotice, LineBuffer, MAX_LINE_LENGTH, MAX_LINES } from './call-logs';

function lines(...writes: string[]): string[] {
  const buffer = new LineBuffer();
  for (const text of writes) buffer.write(text);
  return buffer.finish();
}

describe('LineBuffer', () => {
  it('uses the limits of the contracts', () => {
    expect(MAX_LINES).toBe(RUN_LOG_MAX_LINES);
    expect(MAX_LINE_LENGTH).toBe(RUN_LOG_MAX_LINE_LENGTH);
  });

  it('splits writes into lines, joining a line written in pieces', () => {
    expect(lines('a\nb', 'c\n', '\nd')).toEqual(['a', 'bc', '', 'd']);
  });

  it('keeps an unterminated last line and drops the carriage return of CRLF', () => {
    expect(lines('one\r\ntwo')).toEqual(['one', 'two']);
    expect(lines('')).toEqual([]);
    expect(lines('\n')).toEqual(['']);
  });

  it('cuts a long line, however many writes it took', () => {
    const half = 'y'.repeat(MAX_LINE_LENGTH / 2 + 10);
    expect(lines(half, half, half, '\nnext')).toEqual(['y'.repeat(MAX_LINE_LENGTH), 'next']);
  });

  it('keeps MAX_LINES lines, the last of them saying how many were dropped', () => {
    const exactly = lines(Array.from({ length: MAX_LINES }, (_, i) => `${i}\n`).join(''));
    expect(exactly).toHaveLength(MAX_LINES);
    expect(exactly.at(-1)).toBe(String(MAX_LINES - 1));

    const over = lines(Array.from({ length: MAX_LINES + 41 }, (_, i) => `${i}\n`).join(''));
    expect(over).toHaveLength(MAX_LINES);
    expect(over[MAX_LINES - 2]).toBe(String(MAX_LINES - 2));
    expect(over.at(-1)).toBe(droppedLinesNotice(42));
    expect(droppedLinesNotice(42)).toBe('[42 more lines dropped: a run keeps at most 1000 lines per stream]');
  });
});

import { LineSplitter } from './line-splitter';

describe('LineSplitter', () => {
  it('emits whole lines across chunk boundaries and skips blank ones', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push('2025 LOG:  starting Post');
    splitter.push('greSQL 17\n\n2025 LOG:  listening\r\n2025 LOG:  ready');
    expect(lines).toEqual(['2025 LOG:  starting PostgreSQL 17', '2025 LOG:  listening']);
    splitter.flush();
    expect(lines).toEqual(['2025 LOG:  starting PostgreSQL 17', '2025 LOG:  listening', '2025 LOG:  ready']);
  });
});

import { NdjsonError, parseLogNdjson } from './ndjson';

const line = (text: string) =>
  JSON.stringify({ name: 'hello', namespace: 'openfaas-fn', instance: 'hello-1', timestamp: '2026-11-23T10:00:00Z', text });

describe('parseLogNdjson', () => {
  it('reads one entry per line, skipping blank keep-alive lines', () => {
    expect(parseLogNdjson(`${line('a')}\n\n${line('b')}\n`).map((e) => e.text)).toEqual(['a', 'b']);
    expect(parseLogNdjson('')).toEqual([]);
  });

  it('keeps a complete last line without a newline, and drops a cut-off one', () => {
    expect(parseLogNdjson(`${line('a')}\n${line('b')}`).map((e) => e.text)).toEqual(['a', 'b']);
    expect(parseLogNdjson(`${line('a')}\n{"name":"hel`).map((e) => e.text)).toEqual(['a']);
  });

  it('refuses a complete line that is not a JSON object: the peer does not speak NDJSON', () => {
    expect(() => parseLogNdjson(`not json\n${line('a')}\n`)).toThrow(new NdjsonError('line 1 is not JSON'));
    expect(() => parseLogNdjson(`${line('a')}\n[1,2]\n`)).toThrow(new NdjsonError('line 2 is not a JSON object'));
  });
});

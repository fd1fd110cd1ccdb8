import { LogBuffer, LOG_LINE_MAX_LENGTH } from './log-buffer';
import { Fifo } from './fifo';

describe('LogBuffer', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  it('keeps the last lines as LogEntry values, filtered by since and tail', () => {
    const logs = new LogBuffer('hello', 'openfaas-fn', 3);
    for (let i = 0; i < 6; i++) logs.append('hello-1', `line ${i}`, at(i));
    expect(logs.query().map((e) => e.text)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(logs.query({ tail: 2 }).map((e) => e.text)).toEqual(['line 4', 'line 5']);
    expect(logs.query({ tail: 0 })).toHaveLength(3);
    expect(logs.query({ since: at(5) }).map((e) => e.text)).toEqual(['line 5']);
    expect(logs.query()[0]).toEqual({
      name: 'hello',
      namespace: 'openfaas-fn',
      instance: 'hello-1',
      timestamp: '2026-01-01T00:00:03.000Z',
      text: 'line 3',
    });
  });

  it('cuts long lines and hands new lines to followers until closed', () => {
    const logs = new LogBuffer('hello', 'openfaas-fn', 10);
    const seen: string[] = [];
    let ended = false;
    const unsubscribe = logs.subscribe({ entry: (e) => seen.push(e.text), end: () => (ended = true) });
    logs.append('i', 'x'.repeat(LOG_LINE_MAX_LENGTH + 10));
    expect(seen[0]).toHaveLength(LOG_LINE_MAX_LENGTH + 1);
    logs.close();
    expect(ended).toBe(true);
    unsubscribe();
  });
});

describe('Fifo', () => {
  it('is first in, first out, and compacts as it goes', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 3000; i++) q.push(i);
    for (let i = 0; i < 2000; i++) expect(q.shift()).toBe(i);
    expect(q.length).toBe(1000);
    expect(q.remove(2500)).toBe(true);
    expect(q.drain()).toHaveLength(999);
    expect(q.shift()).toBeUndefined();
  });
});

import { parse } from 'yaml';
import { parseFormat, render, UsageError, type Column } from './output';

interface Fn {
  name: string;
  status: string;
  tags?: string[];
}
const columns: Column<Fn>[] = [
  { header: 'NAME', value: (f) => f.name },
  { header: 'STATUS', value: (f) => f.status },
  { header: 'TAGS', value: (f) => f.tags },
];
const items: Fn[] = [
  { name: 'hello', status: 'READY', tags: ['a', 'b'] },
  { name: 'bye', status: 'ERROR' },
];

describe('output', () => {
  it('prints a list as a JSON array and one item as the object', () => {
    expect(JSON.parse(render(items, 'json', columns, (f) => f.name))).toEqual(items);
    expect(JSON.parse(render(items[0], 'json', columns, (f) => f.name))).toEqual(items[0]);
  });

  it('prints YAML that reads back the same', () => {
    expect(parse(render(items, 'yaml', columns, (f) => f.name))).toEqual(items);
  });

  it('prints one name a line', () => {
    expect(render(items, 'name', columns, (f) => f.name)).toBe('hello\nbye\n');
  });

  it('prints a table with a header row and empty cells for missing values', () => {
    const lines = render(items, 'table', columns, (f) => f.name)
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('│'));
    expect(lines[0]).toMatch(/│ NAME\s+│ STATUS\s+│ TAGS\s+│/);
    expect(lines[1]).toMatch(/│ hello\s+│ READY\s+│ a, b\s+│/);
    expect(lines[2]).toMatch(/│ bye\s+│ ERROR\s+│\s+│/);
  });

  it('accepts table, json, yaml and name only', () => {
    for (const f of ['table', 'json', 'yaml', 'name']) expect(parseFormat(f)).toBe(f);
    expect(() => parseFormat('xml')).toThrow(UsageError);
  });
});

import Table from 'cli-table3';
import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A table column: its header and how a cell is read from an item. */
export interface Column<T> {
  header: string;
  value: (item: T) => unknown;
}

export function parseFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new UsageError(`unknown output format "${value}": use one of ${OUTPUT_FORMATS.join(', ')}`);
}

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Renders one item or a list: JSON and YAML as the API gave them (a list as an array, one item as
 * the object, as Dispatch's CLI printed them), `name` one name a line, a table by default.
 */
export function render<T>(data: T | T[], format: OutputFormat, columns: Column<T>[], nameOf: (item: T) => string): string {
  const items = Array.isArray(data) ? data : [data];
  switch (format) {
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`;
    case 'yaml':
      return stringify(data);
    case 'name':
      return items.map((i) => `${nameOf(i)}\n`).join('');
    case 'table': {
      const table = new Table({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
      for (const item of items) table.push(columns.map((c) => cell(c.value(item))));
      return `${table.toString()}\n`;
    }
  }
}

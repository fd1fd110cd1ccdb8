import type { OpenFaasLogEntry } from '@dispatch/contracts';
import { splitLines } from '@dispatch/util';

export class NdjsonError extends Error {}

/**
 * Parses `GET /system/logs` (application/x-ndjson: one LogEntry per line). The provider ends the
 * stream when the request's time is up (`follow`) or when its log source closes, so the last line
 * may be cut off mid-object: a final line with no newline that does not parse is dropped. A
 * complete line that does not parse means the provider does not speak NDJSON: NdjsonError.
 * Blank lines (keep-alive newlines) are skipped.
 */
export function parseLogNdjson(text: string): OpenFaasLogEntry[] {
  const { lines, rest } = splitLines(text);
  const entries: OpenFaasLogEntry[] = [];
  lines.forEach((line, i) => {
    const entry = parseLine(line, i + 1, false);
    if (entry) entries.push(entry);
  });
  const last = parseLine(rest, lines.length + 1, true);
  if (last) entries.push(last);
  return entries;
}

/** One line's entry; undefined for a blank line, or a last line cut off mid-object. */
function parseLine(text: string, number: number, last: boolean): OpenFaasLogEntry | undefined {
  const line = text.trim();
  if (!line) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (last) return undefined;
    throw new NdjsonError(`line ${number} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NdjsonError(`line ${number} is not a JSON object`);
  return value as OpenFaasLogEntry;
}

import type { OpenFaasLogEntry } from '@dispatch/contracts';

export class NdjsonError extends Error {}

/**
 * Parses `GET /system/logs` (application/x-ndjson: one LogEntry per line). The provider ends the
 * stream when the request's time is up (`follow`) or when its log source closes, so the last line
 * may be cut off mid-object: a final line with no newline that does not parse is dropped. A
 * complete line that does not parse means the provider does not speak NDJSON: NdjsonError.
 * Blank lines (keep-alive newlines) are skipped.
 */
export function parseLogNdjson(text: string): OpenFaasLogEntry[] {
  const entries: OpenFaasLogEntry[] = [];
  const lines = text.split('\n');
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === last) break; // the cut-off tail of a stream
      throw new NdjsonError(`line ${i + 1} is not JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NdjsonError(`line ${i + 1} is not a JSON object`);
    entries.push(value as OpenFaasLogEntry);
  }
  return entries;
}

import { UsageError } from './output';

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A time flag (`--since`, `--until`) as the API takes it: how long ago (`30s`, `10m`, `2h`, `7d`),
 * or an ISO 8601 time; one without a zone is the user's local time, since the API wants a zone.
 */
export function timeFlag(flag: string, value: string, now = Date.now()): string {
  const ago = /^(\d+)([smhd])$/.exec(value.trim());
  if (ago) return new Date(now - Number(ago[1]) * UNITS[ago[2] as keyof typeof UNITS]).toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError(`${flag} ${value}: give a time such as 2026-11-23T10:00:00Z, or how long ago: 30s, 10m, 2h, 7d`);
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : new Date(value).toISOString();
}

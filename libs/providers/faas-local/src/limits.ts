/**
 * Parsers of the OpenFaaS knobs a deployment carries as strings (labels, watchdog env vars,
 * Kubernetes resource quantities). Each answers a value or a message naming what is wrong, so
 * the deploy route can quote it in its 400.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

export const MIB = 1024 * 1024;
/** Below this a worker could not even load a runtime: surely a missing unit. */
export const MIN_MEMORY_BYTES = 16 * MIB;
/** setTimeout holds at most 2^31-1 ms; a day is far beyond any sensible call anyway. */
export const MAX_EXEC_TIMEOUT_MS = 24 * 3600 * 1000;
export const MAX_INFLIGHT_LIMIT = 1000;

const QUANTITY_FACTORS: Record<string, number> = {
  '': 1,
  Ki: 1024,
  Mi: MIB,
  Gi: 1024 * MIB,
  Ti: 1024 * 1024 * MIB,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/**
 * A memory limit as Kubernetes reads it (`128Mi` = 128 × 2^20 bytes, `128M` = 128 × 10^6,
 * `1G`, `1.5Gi`, plain bytes, `129e6`), in bytes. The lower-case `m` suffix (milli in Kubernetes,
 * megabytes in Docker) is refused because the two readings differ by 10^9.
 */
export function parseMemoryQuantity(text: string): Parsed<number> {
  const trimmed = text.trim();
  if (/^[0-9.]+m$/.test(trimmed))
    return bad(
      `limits.memory "${text}" is ambiguous: "m" means milli-bytes in Kubernetes; write ${trimmed.slice(0, -1)}Mi or ${trimmed.slice(0, -1)}M`,
    );
  const match = /^(\d+(?:\.\d+)?|\.\d+)(?:(Ki|Mi|Gi|Ti|k|M|G|T)|[eE]\+?(\d{1,2}))?$/.exec(trimmed);
  if (!match) return bad(`limits.memory "${text}" is not a quantity such as 128Mi, 128M or 1Gi`);
  const factor = match[3] !== undefined ? 10 ** Number(match[3]) : QUANTITY_FACTORS[match[2] ?? ''];
  const bytes = Math.floor(Number(match[1]) * factor);
  if (bytes < MIN_MEMORY_BYTES)
    return bad(`limits.memory "${text}" is ${bytes} bytes, below the minimum of 16Mi (did you forget the unit, as in 128Mi?)`);
  return ok(bytes);
}

const DURATION_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Go duration (`30s`, `1m30s`, `500ms`, `1.5h`) in milliseconds, or a bare integer read as
 * seconds, as the OpenFaaS watchdog reads `exec_timeout`. `0` is allowed: no timeout.
 */
export function parseGoDuration(text: string, field: string): Parsed<number> {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return checkDuration(Number(trimmed) * 1000, text, field);
  if (!/^(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$/.test(trimmed)) {
    return bad(`${field} "${text}" is not a duration such as 30s, 1m30s or 500ms`);
  }
  let ms = 0;
  for (const part of trimmed.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(part[1]) * DURATION_UNITS_MS[part[2]];
  return checkDuration(Math.round(ms), text, field);
}

function checkDuration(ms: number, text: string, field: string): Parsed<number> {
  if (ms > MAX_EXEC_TIMEOUT_MS) return bad(`${field} "${text}" is longer than the maximum of 24h`);
  return ok(ms);
}

/** A non-negative whole number written as a label or env value. */
export function parseCount(text: string, field: string, { min, max }: { min: number; max: number }): Parsed<number> {
  if (!/^\s*\d+\s*$/.test(text)) return bad(`${field} "${text}" is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) return bad(`${field} is ${n}, outside ${min}–${max}`);
  return ok(n);
}

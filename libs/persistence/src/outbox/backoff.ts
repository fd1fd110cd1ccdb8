/** Delay before retry number `failures` (1-based): doubles from `baseMs`, capped at `maxMs`. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return baseMs;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

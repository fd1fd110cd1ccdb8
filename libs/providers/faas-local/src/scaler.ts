/**
 * The scaling decision of one function's pool, as a pure function of its state so the rules can
 * be read (and tested) in one place:
 *
 * - `floor` workers (scale.min at deploy, then whatever scale-function set, 0 = scale to zero)
 *   are kept running; while old-generation workers of an update still serve, at least one worker
 *   of the new generation is started so the update completes even at floor 0.
 * - Queued calls that the starting workers cannot absorb start more workers, up to `max`.
 * - A ready worker idle for `idleDelayMs` stops while more than the floor run and nothing waits,
 *   the longest idle first.
 * - No start while a start-failure back-off runs (a handler that cannot load must not hot-loop).
 */
export interface ScaleState {
  floor: number;
  max: number;
  /** Calls one worker serves at once (Infinity = unlimited). */
  maxInflight: number;
  /** Workers of the current generation still starting. */
  starting: number;
  /** Ready workers of the current generation that take calls: when each became idle, or null while busy. */
  ready: ReadonlyArray<{ idleSince: number | null }>;
  /** Old-generation workers still serving while the current generation starts. */
  legacyServing: number;
  queued: number;
  now: number;
  idleDelayMs: number;
  /** Epoch ms before which no worker may start (start-failure back-off); 0 = none. */
  startBlockedUntil: number;
}

export interface ScalePlan {
  start: number;
  /** Indexes into `ready` of the workers to stop. */
  stop: number[];
}

export function planScaling(s: ScaleState): ScalePlan {
  const live = s.starting + s.ready.length;
  const base = Math.min(s.max, Math.max(s.floor, s.legacyServing > 0 ? 1 : 0));
  const startingCapacity = s.starting * s.maxInflight;
  const uncovered = s.queued - startingCapacity;
  const needed = uncovered > 0 ? Math.ceil(uncovered / s.maxInflight) : 0;
  const wanted = Math.min(s.max, Math.max(base, live + needed));
  const start = s.now < s.startBlockedUntil ? 0 : Math.max(0, wanted - live);

  const stop: number[] = [];
  if (start === 0 && s.queued === 0 && live > base) {
    const idle = s.ready
      .map((w, index) => ({ index, idleSince: w.idleSince }))
      .filter((w): w is { index: number; idleSince: number } => w.idleSince !== null && s.now - w.idleSince >= s.idleDelayMs)
      .sort((a, b) => a.idleSince - b.idleSince);
    // Keep `base` ready workers rather than counting on ones still starting.
    const stoppable = Math.min(live - base, s.ready.length - Math.min(base, s.ready.length));
    for (const w of idle.slice(0, stoppable)) stop.push(w.index);
  }
  return { start, stop };
}

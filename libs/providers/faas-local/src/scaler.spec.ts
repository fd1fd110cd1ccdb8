import { planScaling, type ScaleState } from './scaler';

const state = (s: Partial<ScaleState>): ScaleState => ({
  floor: 1,
  max: 5,
  maxInflight: 1,
  starting: 0,
  ready: [],
  legacyServing: 0,
  queued: 0,
  now: 10_000,
  idleDelayMs: 1000,
  startBlockedUntil: 0,
  ...s,
});
const busy = { idleSince: null };
const idleFor = (ms: number) => ({ idleSince: 10_000 - ms });

describe('planScaling', () => {
  it('keeps the floor running', () => {
    expect(planScaling(state({ floor: 2 }))).toEqual({ start: 2, stop: [] });
    expect(planScaling(state({ floor: 2, starting: 1, ready: [busy] }))).toEqual({ start: 0, stop: [] });
    expect(planScaling(state({ floor: 0 }))).toEqual({ start: 0, stop: [] });
  });

  it('starts workers for the calls the starting ones cannot absorb, up to max', () => {
    expect(planScaling(state({ ready: [busy], queued: 2 }))).toEqual({ start: 2, stop: [] });
    expect(planScaling(state({ ready: [busy], starting: 2, queued: 2 }))).toEqual({ start: 0, stop: [] });
    expect(planScaling(state({ ready: [busy], queued: 50 }))).toEqual({ start: 4, stop: [] });
    expect(planScaling(state({ ready: [busy], queued: 9, maxInflight: 4 }))).toEqual({ start: 3, stop: [] });
    expect(planScaling(state({ floor: 0, queued: 1 }))).toEqual({ start: 1, stop: [] });
    expect(planScaling(state({ ready: [busy], queued: 100, maxInflight: Infinity }))).toEqual({ start: 0, stop: [] });
  });

  it('stops workers idle past the delay above the floor, longest idle first', () => {
    expect(planScaling(state({ ready: [idleFor(5000), idleFor(2000), idleFor(500)] }))).toEqual({ start: 0, stop: [0, 1] });
    expect(planScaling(state({ ready: [idleFor(500), idleFor(3000), busy] }))).toEqual({ start: 0, stop: [1] });
    expect(planScaling(state({ ready: [idleFor(5000)] }))).toEqual({ start: 0, stop: [] });
    expect(planScaling(state({ floor: 0, ready: [idleFor(5000)] }))).toEqual({ start: 0, stop: [0] });
    // Nothing stops while calls wait.
    expect(planScaling(state({ ready: [busy, idleFor(5000)], queued: 1, max: 2 }))).toEqual({ start: 0, stop: [] });
    // A ready worker is not traded for one still starting.
    expect(planScaling(state({ ready: [idleFor(5000)], starting: 1 }))).toEqual({ start: 0, stop: [] });
  });

  it('starts one worker of a new generation while old ones serve, even at floor 0', () => {
    expect(planScaling(state({ floor: 0, legacyServing: 2 }))).toEqual({ start: 1, stop: [] });
    expect(planScaling(state({ floor: 2, legacyServing: 2 }))).toEqual({ start: 2, stop: [] });
  });

  it('starts nothing during a start-failure back-off', () => {
    expect(planScaling(state({ startBlockedUntil: 10_001, queued: 3 }))).toEqual({ start: 0, stop: [] });
    expect(planScaling(state({ startBlockedUntil: 10_000 }))).toEqual({ start: 1, stop: [] });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { traj } from '../engine/page';
import { createLabStore } from '../state/store';
import { createEventQueue, MIN_INTERVAL_MS } from './telemetry-queue';
import { loadedEvent, telemetryEvent } from '../state/events-testkit';

/** A frame clock for Node: requestAnimationFrame callbacks run when `tick` is called. */
let frames: Map<number, (t: number) => void>;
let nextId = 1;
let now = 0;
const tick = (ms = 1000 / 60): void => {
  now += ms;
  const due = [...frames.values()];
  frames.clear();
  for (const f of due) f(now);
};

beforeEach(() => {
  frames = new Map();
  now = 1000;
  vi.useFakeTimers();
  vi.stubGlobal('requestAnimationFrame', (f: (t: number) => void) => {
    frames.set(nextId, f);
    return nextId++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const loaded = loadedEvent;
const telemetry = telemetryEvent;

describe('createEventQueue', () => {
  it('applies several telemetry events as one store update in a frame, in order', () => {
    const store = createLabStore();
    const queue = createEventQueue(store);
    queue.push(loaded);
    const updates = vi.fn();
    store.subscribe(updates);
    for (let k = 0; k < 5; k++) queue.push(telemetry(k));
    expect(store.getState().runs[0]?.theta).toHaveLength(0);
    tick();
    expect(updates).toHaveBeenCalledTimes(1);
    const s = store.getState();
    expect(s.step).toBe(4);
    expect(traj.toRows(s.runs[0]!.theta)).toEqual([0, 1, 2, 3, 4].map((k) => [k, -k]));
    expect(s.runs[0]?.loss).toEqual([0, 1, 2, 3, 4].map((k) => 1 / (k + 1)));
  });

  it('waits at least MIN_INTERVAL_MS between updates, and a hidden page gets them by timer', () => {
    const store = createLabStore();
    const queue = createEventQueue(store);
    queue.push(loaded);
    queue.push(telemetry(0));
    tick();
    queue.push(telemetry(1));
    tick(); // 17 ms after the last update: too soon
    expect(store.getState().step).toBe(0);
    tick();
    expect(store.getState().step).toBe(1);
    expect(2 * (1000 / 60)).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
    // No frames at all (a background tab): the timer applies it.
    queue.push(telemetry(2));
    vi.advanceTimersByTime(150);
    expect(store.getState().step).toBe(2);
  });

  it('applies held telemetry before any other event, keeping the worker’s order', () => {
    const store = createLabStore();
    const queue = createEventQueue(store);
    queue.push(loaded);
    queue.push(telemetry(0));
    queue.push(telemetry(1));
    queue.push({ type: 'play-state', state: 'paused', step: 1 });
    expect(store.getState().runs[0]?.theta).toHaveLength(2);
    expect(store.getState().playState).toBe('paused');
    // A new load resets the runs: telemetry held before it must not land on the new runs.
    queue.push(telemetry(2));
    queue.push(loaded);
    expect(store.getState().runs[0]?.theta).toHaveLength(0);
    tick();
    expect(store.getState().runs[0]?.theta).toHaveLength(0);
  });
});

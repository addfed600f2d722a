import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLabStore } from '../../state/store';
import { drawOnFrames } from './frame-draw';
import { loadedEvent, telemetryEvent } from '../../state/events-testkit';

/** requestAnimationFrame for Node: callbacks run when `tick` is called. */
let frames: Map<number, () => void>;
let nextId = 1;
const tick = (): void => {
  const due = [...frames.values()];
  frames.clear();
  for (const f of due) f();
};
beforeEach(() => {
  frames = new Map();
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => {
    frames.set(nextId, f);
    return nextId++;
  });
  vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
});
afterEach(() => vi.unstubAllGlobals());

const loaded = loadedEvent;
const telemetry = telemetryEvent;

describe('drawOnFrames', () => {
  it('by default draws after telemetry, once per frame, and not when only the cursor moves', () => {
    const store = createLabStore();
    store.getState().apply(loaded);
    const draw = vi.fn();
    const stop = drawOnFrames(store, draw);
    store.getState().apply(telemetry(0));
    store.getState().apply(telemetry(1));
    tick();
    expect(draw).toHaveBeenCalledTimes(1);
    store.getState().setCursor(0);
    tick();
    expect(draw).toHaveBeenCalledTimes(1);
    stop();
  });

  it('a plot that draws up to the cursor wakes on either signal', () => {
    const store = createLabStore();
    store.getState().apply(loaded);
    const draw = vi.fn();
    const stop = drawOnFrames(
      store,
      draw,
      (s, prev) => s.runsVersion !== prev.runsVersion || s.cursor !== prev.cursor,
    );
    store.getState().setCursor(0);
    tick();
    expect(draw).toHaveBeenCalledTimes(1);
    store.getState().apply(telemetry(0));
    tick();
    expect(draw).toHaveBeenCalledTimes(2);
    stop();
    store.getState().apply(telemetry(1));
    tick();
    expect(draw).toHaveBeenCalledTimes(2);
  });
});

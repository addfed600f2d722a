/**
 * The worker's events into the store, with telemetry coalesced: telemetry events are
 * held and applied together in an animation frame, at most every MIN_INTERVAL_MS (one
 * store update, so the plots and selectors wake at most ~30 times a second however often
 * the worker posts; the page itself keeps its full frame rate). Any other event first
 * applies the held telemetry, so the order the worker sent is kept.
 */
import type { WorkerEvent } from '../protocol/messages';
import type { LabStore } from '../state/store';

type TelemetryEvent = Extract<WorkerEvent, { type: 'telemetry' }>;

/**
 * Least time between two telemetry updates (ms). Each update costs the plots' redraw plus
 * the browser's style, layout and paint, whatever the number of new steps; at ~30 per
 * second the runs still move smoothly, and a 2-core machine keeps 50+ frames per second.
 */
export const MIN_INTERVAL_MS = 30;
/** Frames do not run in a hidden tab: held telemetry is applied after this long anyway (ms). */
const LATEST_MS = 100;

export interface EventQueue {
  /** Take one worker event (the worker listener). */
  push(event: WorkerEvent): void;
  /** Apply held telemetry now (before reading the store after a call to the worker). */
  flush(): void;
}

export function createEventQueue(store: LabStore): EventQueue {
  let held: TelemetryEvent[] = [];
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  /** The frame callback: apply, or wait for a later frame if the last update was too recent. */
  const onFrame = (now: number): void => {
    // A frame's time is its start: allow a few ms so a 60 Hz page updates every second frame.
    if (now - last < MIN_INTERVAL_MS - 5) {
      frame = requestAnimationFrame(onFrame);
      return;
    }
    flush();
    last = now;
  };
  const flush = (): void => {
    if (frame) cancelAnimationFrame(frame);
    if (timer) clearTimeout(timer);
    frame = 0;
    timer = null;
    if (held.length === 0) return;
    const batch = held;
    held = [];
    last = performance.now();
    store.getState().applyTelemetry(batch);
  };
  return {
    push(event) {
      if (event.type !== 'telemetry') {
        flush();
        store.getState().apply(event);
        return;
      }
      held.push(event);
      if (held.length > 1) return;
      frame = requestAnimationFrame(onFrame);
      timer = setTimeout(flush, LATEST_MS);
    },
    flush,
  };
}

/**
 * How fast a playing run advances: `steps` per tick, one tick every `intervalMs`. With
 * `view.stepsPerSecond` a slow rate is one step per 1/rate seconds and a fast one several
 * steps per ~16 ms frame; without it, `view.stepsPerFrame` steps per frame.
 */
import type { Experiment } from '../engine';

/** One animation frame, the shortest tick. */
export const FRAME_MS = 16;

export interface Pace {
  steps: number;
  intervalMs: number;
}

export function pace(view: Pick<Experiment['view'], 'stepsPerFrame' | 'stepsPerSecond'> | null): Pace {
  const rate = view?.stepsPerSecond;
  if (rate === undefined || !(rate > 0)) return { steps: view?.stepsPerFrame ?? 1, intervalMs: FRAME_MS };
  const intervalMs = Math.max(FRAME_MS, 1000 / rate);
  return { steps: Math.max(1, Math.round((rate * intervalMs) / 1000)), intervalMs };
}

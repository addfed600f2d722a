/**
 * `performance.mark('first-trajectory')` once per page load, when a landscape plot first
 * draws a run's trajectory: the end of start-up as the benchmark (bench/browser.ts) times it.
 */
export const FIRST_TRAJECTORY_MARK = 'first-trajectory';

let marked = false;

/** Mark the first drawn trajectory (no-op after the first call or without `performance.mark`). */
export function markFirstTrajectory(): void {
  if (marked) return;
  marked = true;
  performance.mark?.(FIRST_TRAJECTORY_MARK);
}

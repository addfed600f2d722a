/**
 * The plots' redraw schedule: `draw` runs at most once per animation frame, after a store
 * update that `wanted` says concerns the plot (by default a change of the runs slice:
 * `runsVersion`, state/slices/runs.ts; a plot that also draws up to the timeline cursor
 * adds `s.cursor !== prev.cursor`). Returns the cleanup for a React effect (unsubscribes
 * and cancels a pending frame).
 */
import type { LabState, LabStore } from '../../state/store';

export function drawOnFrames(
  store: LabStore,
  draw: () => void,
  wanted: (s: LabState, prev: LabState) => boolean = (s, prev) => s.runsVersion !== prev.runsVersion,
): () => void {
  let raf = 0;
  const run = (): void => {
    raf = 0;
    draw();
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (!raf && wanted(s, prev)) raf = requestAnimationFrame(run);
  });
  return () => {
    unsubscribe();
    if (raf) cancelAnimationFrame(raf);
  };
}

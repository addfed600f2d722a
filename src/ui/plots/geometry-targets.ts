/**
 * Which points of which runs the geometry overlay draws (shared by the fetch and the
 * drawing, so both agree): each θ-run in θ and each φ-run in φ (switch runs are not
 * drawn), a handful of evenly spaced points along the path up to the step on screen, that
 * step's point (arrows), and the step j → j+1 at or before it (the implied metric). On a
 * network's slice every θ- and φ-run's full θ points (the worker answers at their projections).
 */
import type { Trajectory } from '../../engine/page';
import type { LabState } from '../../state/store';
import type { OverlaySpace } from '../../state/geometry';

/** Points along each path: about this many over the whole run. */
export const PATH_POINTS = 6;
/** Points along each path on a network's slice (each costs a Fisher factor times U or the outputs’ derivatives along u and v). */
export const SLICE_PATH_POINTS = 4;
/** Points per side of the sparse grid. */
export const GRID_SIDE = 5;

export interface OverlayTarget {
  runId: string;
  optimizer: number;
  space: OverlaySpace;
  /** The run's points in `space` (the store's own trajectory). */
  points: Trajectory;
  /** The step on screen (cursor or latest). */
  k: number;
  /** Steps along the path with a Fisher ellipse. */
  path: number[];
  /** The step j of the implied metric (j → j+1), or null before the second point. */
  implied: number | null;
}

export const pointKey = (runId: string, step: number): string => `${runId}:${step}`;
export const stepKey = (runId: string, step: number): string => `${runId}:${step}:next`;

export function overlayTargets(s: LabState): OverlayTarget[] {
  if (!s.experiment || !s.windows) return [];
  // A network's θ plot is a slice: every run's full θ points (answered at their projections).
  const sliced = s.slice !== null;
  const stride = Math.max(1, Math.ceil(s.experiment.steps / (sliced ? SLICE_PATH_POINTS : PATH_POINTS)));
  const out: OverlayTarget[] = [];
  for (const r of s.runs) {
    if (r.space === 'switch') continue;
    const space: OverlaySpace = r.space === 'phi' && !sliced ? 'phi' : 'theta';
    if (space === 'phi' && !s.windows.phi) continue;
    const points = space === 'phi' ? r.phi : r.theta;
    if (!points || points.length === 0) continue;
    const n = points.length;
    const k = s.cursor === null ? n - 1 : Math.min(s.cursor, n - 1);
    const path: number[] = [];
    for (let i = 0; i < k; i += stride) path.push(i);
    const j = k < n - 1 ? k : k - 1;
    out.push({ runId: r.id, optimizer: r.optimizer, space, points, k, path, implied: j >= 0 ? j : null });
  }
  return out;
}

/**
 * The θ plot of a network (P > 2): a 2-D slice through the start point, its loss grid
 * computed in chunks with progress, and every run's θ points projected onto it — slice
 * coordinates plus the relative distance from the plane — so the page draws plain 2-D
 * data and can say how much of each trajectory lies off the slice (plots never
 * compute math). The slice starts along filter-normalized random directions; in 337
 * dimensions the runs project to almost nothing on them, so once the runs stop with a
 * few points it is refitted to their top two principal directions (view.directions).
 */
import {
  type Session,
  type Experiment,
  isCancelled,
  type CancelSignal,
  filterNormalizedDirections,
  type LossGrid,
  type Window,
  pcaDirections,
  makeProjector,
  toRows,
  type ProjectPoints,
  type Projection,
  sliceGrid,
  type Slice,
} from '../engine';
import type { SliceInfo, SliceRunPoints, WorkerEvent } from '../protocol/messages';

export interface SliceView {
  info: SliceInfo;
  slice: Slice;
  /** Slice coordinates (a, b) of θ points and their relative distance from the plane. */
  /** Project rows, or a trajectory's points from `from` on (engine/landscape/project.ts). */
  project(points: ProjectPoints, from?: number): Projection;
  /** The window fitted to the runs' projected points (PCA slices); null: the default [−1, 1]². */
  window?: Window | null;
  /** How many θ points the directions were fitted to (0: not fitted, i.e. random). */
  fitted?: number;
}

/**
 * The slice window in (a, b): the view's window (zoom and pan act on it), else the window
 * fitted to the runs (PCA slices), else [−1, 1]², where each filter moves by up to its own
 * norm (Li et al.'s usual range).
 */
export function sliceWindow(view: Experiment['view'] | null, slice?: SliceView | null): Window {
  return (
    view?.window ??
    slice?.window ?? [
      [-1, 1],
      [-1, 1],
    ]
  );
}

/**
 * The slice for a session's θ plot, or null for 2-parameter problems (drawn exactly).
 * Centre: the start point θ₀; directions: filter-normalized random, seeded by the experiment.
 */
export function sliceViewFor(session: Session): SliceView | null {
  if (session.problem.P <= 2) return null;
  const first = session.runs[0]?.theta;
  const centre = (first && toRows(first, 0, 1)[0]) ?? [...session.problem.init];
  const slice = filterNormalizedDirections(centre, session.problem.layers, session.experiment.seed);
  return { info: { kind: slice.kind, label: slice.label }, slice, project: makeProjector(slice) };
}

/** The slice's loss grid; emits `landscape-progress` per chunk; rejects when cancelled. */
export function sliceLandscape(
  session: Session,
  view: SliceView,
  window: Window,
  n: number,
  emit: (event: WorkerEvent) => void,
  signal: CancelSignal,
): Promise<LossGrid> {
  return sliceGrid(session.objective('theta'), view.slice, window, n, {
    signal,
    onProgress: (fraction) => {
      if (!isCancelled(signal)) emit({ type: 'landscape-progress', space: 'theta', fraction });
    },
  });
}

/** Fewest points beyond the start (in the longest run) before principal directions are fitted. */
export const PCA_MIN_STEPS = 3;
/** Margin of a fitted window around the projected points, per side, as a fraction of their extent. */
export const FIT_MARGIN = 0.15;

/** Every finite θ point of every run (diverged tails are left out: they would be the only direction). */
function runPoints(session: Session): number[][] {
  return session.runs.flatMap((r) => toRows(r.theta).filter((p) => p.every(Number.isFinite)));
}

/**
 * The window around all projected points (the start (0, 0) among them) with FIT_MARGIN on
 * each side; an axis whose extent is under a quarter of the other's gets that quarter, so
 * a nearly straight path is not blown up across the plot.
 */
export function fitWindow(coords: readonly Float64Array[]): Window {
  const lo = [0, 0];
  const hi = [0, 0];
  for (const c of coords) {
    for (let k = 0; k + 1 < c.length; k += 2) {
      for (const i of [0, 1]) {
        const v = c[k + i] as number;
        if (!Number.isFinite(v)) continue;
        lo[i] = Math.min(lo[i] as number, v);
        hi[i] = Math.max(hi[i] as number, v);
      }
    }
  }
  const extent = [0, 1].map((i) => (hi[i] as number) - (lo[i] as number));
  const floor = Math.max(0.25 * Math.max(extent[0] as number, extent[1] as number), 1e-6);
  const axis = (i: number): [number, number] => {
    const mid = ((lo[i] as number) + (hi[i] as number)) / 2;
    const half = (Math.max(extent[i] as number, floor) * (1 + 2 * FIT_MARGIN)) / 2;
    return [mid - half, mid + half];
  };
  return [axis(0), axis(1)];
}

/**
 * The slice along the top two principal directions of all runs' θ points about θ₀, with a
 * window fitted to their projections; null when the points span no plane.
 */
export function pcaSliceView(session: Session): SliceView | null {
  if (session.problem.P <= 2) return null;
  const first = session.runs[0]?.theta;
  const centre = first && toRows(first, 0, 1)[0];
  if (!centre) return null;
  const points = runPoints(session);
  let fit;
  try {
    fit = pcaDirections(points, centre);
  } catch {
    return null; // the runs have not moved off a line yet: keep the slice there is
  }
  const project = makeProjector(fit.slice);
  // Non-finite points (diverged tails) project to non-finite coordinates, which the window skips.
  const coords = session.runs.map((r) => project(r.theta).coords);
  return {
    info: {
      kind: 'pca',
      label: 'principal directions of the runs',
      explained: fit.explained[0] + fit.explained[1],
    },
    slice: fit.slice,
    project,
    window: fitWindow(coords),
    fitted: points.length,
  };
}

/**
 * The slice the θ plot should change to now that the runs have stopped, or null to keep
 * `current`: with view.directions 'random' the random slice; otherwise (default 'pca')
 * principal directions once the longest run has PCA_MIN_STEPS points beyond the start
 * and the current slice is random or was fitted to fewer points.
 */
export function nextSlice(
  session: Session,
  view: Experiment['view'] | null,
  current: SliceView | null,
): SliceView | null {
  if (session.problem.P <= 2) return null;
  if (view?.directions === 'random') return current?.info.kind === 'random' ? null : sliceViewFor(session);
  const steps = Math.max(0, ...session.runs.map((r) => r.theta.length - 1));
  if (steps < PCA_MIN_STEPS) return null;
  if (current?.info.kind === 'pca' && (current.fitted ?? 0) >= runPoints(session).length) return null;
  return pcaSliceView(session);
}

/**
 * The event that replaces every run's projected points (all of them, from step 0) with
 * their projection onto `view`, and the arrays to transfer.
 */
export function reprojection(
  session: Session,
  view: SliceView,
  window: Window,
): { event: Extract<WorkerEvent, { type: 'slice-reprojected' }>; transfer: Transferable[] } {
  const transfer: Transferable[] = [];
  const runs: SliceRunPoints[] = session.runs.map((r) => {
    const p = view.project(r.theta);
    transfer.push(p.coords.buffer, p.relative.buffer);
    return { id: r.id, slice: p.coords, sliceError: p.relative };
  });
  return { event: { type: 'slice-reprojected', slice: view.info, window, runs }, transfer };
}

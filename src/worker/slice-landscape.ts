/**
 * The θ plot of a network (P > 2): a 2-D slice through the start point spanned by random
 * filter-normalized directions (engine/landscape), its loss grid computed in chunks with
 * progress, and every run's θ points projected onto it — slice coordinates plus the
 * relative distance from the plane — so the page draws plain 2-D data and can say how
 * much of each trajectory lies off the slice (DESIGN: plots never compute math).
 */
import type { Session } from '../engine/experiment';
import type { Experiment } from '../engine/schema';
import { isCancelled, type CancelSignal } from '../engine/landscape/chunks';
import { filterNormalizedDirections } from '../engine/landscape/filter-directions';
import type { LossGrid, Window } from '../engine/landscape/grid';
import { makeProjector, type Projection } from '../engine/landscape/project';
import { sliceGrid, type Slice } from '../engine/landscape/slice';
import type { SliceInfo, WorkerEvent } from '../protocol/messages';

export interface SliceView {
  info: SliceInfo;
  slice: Slice;
  /** Slice coordinates (a, b) of θ points and their relative distance from the plane. */
  project(points: readonly (readonly number[])[]): Projection;
}

/**
 * The slice window in (a, b): the view's window (zoom and pan act on it), else [−1, 1]²,
 * where each filter moves by up to its own norm (Li et al.'s usual range).
 */
export function sliceWindow(view: Experiment['view'] | null): Window {
  return (
    view?.window ?? [
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
  const centre = session.runs[0]?.theta[0] ?? [...session.problem.init];
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

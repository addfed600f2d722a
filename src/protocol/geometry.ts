/**
 * The geometry overlay's request and reply (types only): the page asks the worker for the
 * Fisher, gradient, natural gradient and implied metric at points it draws
 * (engine/measure/geometry-at.ts computes them; docs/theory.md §1, §5).
 */
import type { GeometryAt, GeometrySpace } from '../engine/measure/geometry-at';
import type { Window } from '../engine/landscape/grid';

export type { GeometryAt, GeometrySpace };

/** One point of a run, in the run's own coordinates; `next` asks for the implied metric of the step. */
export interface GeometryPointRequest {
  /** The page's key for the answer (e.g. run id and step). */
  key: string;
  space: GeometrySpace;
  at: number[];
  next?: number[];
}

export interface GeometryRequest {
  /** Points per side of the sparse grid over the θ window (and its image in φ); 0: no grid. */
  grid: number;
  points: GeometryPointRequest[];
}

export interface GeometryReply {
  /**
   * The grid (row-major, y up) over `window` and, where a φ plot exists, the same points
   * carried to φ = f⁻¹(θ) (same order; a point outside the map's image is skipped with a note).
   */
  grid: {
    window: Window;
    n: number;
    theta: GeometryAt[];
    phi: GeometryAt[];
  } | null;
  points: (GeometryAt & { key: string })[];
  /** Why nothing was computed (no experiment; more than two parameters). */
  error?: string;
}

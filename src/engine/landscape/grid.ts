/**
 * Loss landscapes of 2-parameter objectives: the loss on a regular grid over a window,
 * evaluated as batched parameter rows on the tensor backend, in chunks so one call never
 * builds a huge tensor. Points outside the model's domain come back as NaN (not drawn).
 */
import { tf, type Tensor2D } from '../tf';
import type { Objective } from '../objective';
import { evaluateInChunks, type GridControl } from './chunks';

export type Window = readonly [readonly [number, number], readonly [number, number]];

export interface LossGrid {
  /** Cells per side. */
  n: number;
  window: Window;
  /** Row-major, n × n: value at (x_i, y_j) is values[j * n + i]; x_i = x0 + (x1 − x0) i / (n − 1). */
  values: Float32Array;
}

/** The grid coordinates of cell (i, j). */
export function gridPoint(window: Window, n: number, i: number, j: number): [number, number] {
  const [[x0, x1], [y0, y1]] = window;
  return [x0 + ((x1 - x0) * i) / (n - 1), y0 + ((y1 - y0) * j) / (n - 1)];
}

/** All grid points, row-major as in `LossGrid.values`, flattened as (x, y) pairs. */
export function gridPoints(window: Window, n: number): Float32Array {
  const pts = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const [x, y] = gridPoint(window, n, i, j);
      pts[2 * (j * n + i)] = x;
      pts[2 * (j * n + i) + 1] = y;
    }
  }
  return pts;
}

/**
 * Evaluate the loss on an n × n grid over `window` (P must be 2). `control` reports
 * progress per chunk and cancels between chunks (see chunks.ts).
 */
export async function lossGrid(
  objective: Objective,
  window: Window,
  n: number,
  chunk = 4096,
  control?: GridControl,
): Promise<LossGrid> {
  if (objective.P !== 2) throw new Error(`lossGrid needs a 2-parameter objective (P = ${objective.P})`);
  const pts = gridPoints(window, n);
  const values = await evaluateInChunks(
    n * n,
    chunk,
    (start, count) =>
      objective.loss(tf.tensor2d(pts.subarray(2 * start, 2 * (start + count)), [count, 2]) as Tensor2D),
    control,
  );
  return { n, window, values };
}

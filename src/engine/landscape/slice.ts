/**
 * Loss landscapes of networks (P > 2): the loss on a 2-D slice through a centre c spanned
 * by directions d1, d2, i.e. L(c + a·d1 + b·d2) on an n × n grid over a window in (a, b).
 * The grid rows are evaluated in chunks (chunks.ts), with progress and cancellation: a dense
 * network's θ-objective on the CPU backends by the fused kernel (plane-kernel.ts), else on
 * the tensor backend, a few batched model calls for a 64 × 64 slice.
 * Directions come from filter-directions.ts, pca-directions.ts or `endpointDirections`.
 */
import { tf, type Tensor2D } from '../tf';
import { fastPathOf, lossValues, type Objective } from '../objective';
import type { PlaneLayout } from '../problems/dense-grad';
import { evaluateInChunks, type GridControl } from './chunks';
import { planeEvaluator, planeNetworkOf } from './plane-kernel';
import { gridPoints, type LossGrid, type Window } from './grid';

/** How the two directions were chosen. */
export type SliceKind = 'random' | 'pca' | 'endpoints';

/**
 * A plane through parameter space: the points c + a·d1 + b·d2. Plain float64 data; d1 and
 * d2 need not be orthogonal or of unit length, only linearly independent.
 */
export interface Slice {
  kind: SliceKind;
  /** For captions, e.g. "random filter-normalized directions". */
  label: string;
  centre: Float64Array;
  d1: Float64Array;
  d2: Float64Array;
}

export interface SliceGridOptions extends GridControl {
  /** Grid rows per batched evaluation (default 256: ~3 MB of activations for the 2-16-16-1 MLP). */
  chunk?: number;
  /**
   * How a θ-objective of a dense network evaluates a chunk: `kernel`, the fused WebAssembly
   * kernel (plane-kernel.ts), or one of the tensor path's layouts (problems/dense-grad.ts
   * `PlaneLayout`). By default the kernel on the CPU backends (wasm, cpu) where it applies,
   * else the backend's layout.
   */
  layout?: PlaneLayout | 'kernel';
}

/** The parameter vector c + a·d1 + b·d2, in float64. */
export function slicePoint(slice: Slice, a: number, b: number): number[] {
  return Array.from(slice.centre, (c, i) => c + a * (slice.d1[i] as number) + b * (slice.d2[i] as number));
}

/** Throw unless the slice lives in R^P. */
export function checkSlice(slice: Slice, P: number): void {
  for (const [name, v] of [
    ['centre', slice.centre],
    ['d1', slice.d1],
    ['d2', slice.d2],
  ] as const) {
    if (v.length !== P)
      throw new Error(`slice ${name} has ${v.length} entries; the objective has ${P} parameters`);
  }
}

/**
 * The loss on an n × n grid over `window` in slice coordinates (a, b): values[j·n + i] is
 * L(c + a_i·d1 + b_j·d2), with (a_i, b_j) = gridPoint(window, n, i, j). Float32 (the
 * backend's precision). Rejects with a cancellation error when `options.signal` is set.
 */
export async function sliceGrid(
  objective: Objective,
  slice: Slice,
  window: Window,
  n: number,
  options: SliceGridOptions = {},
): Promise<LossGrid> {
  const P = objective.P;
  checkSlice(slice, P);
  const pts = gridPoints(window, n);
  // A θ-objective of a dense network evaluates the plane directly (dense-grad.ts), on the
  // CPU backends by the fused kernel.
  const fast = fastPathOf(objective);
  const onCpu = tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
  const wantKernel = options.layout === 'kernel' || (options.layout === undefined && onCpu);
  const net = fast && wantKernel ? planeNetworkOf(fast) : null;
  const kernel = net && planeEvaluator(net, slice.centre, slice.d1, slice.d2);
  if (options.layout === 'kernel' && !kernel)
    throw new Error('the plane kernel cannot evaluate this objective here');
  const tensorLayout = options.layout === 'kernel' ? undefined : options.layout;
  const chunk =
    options.chunk ??
    (kernel ? kernelSliceChunk(objective.problem.N) : defaultSliceChunk(objective.problem.N));
  const rows = (start: number, count: number): Float32Array => pts.subarray(2 * start, 2 * (start + count));
  if (kernel) {
    const values = await evaluateInChunks(
      n * n,
      chunk,
      (start, count) => kernel.values(rows(start, count)),
      options,
    );
    return { n, window, values };
  }
  const basis = tf.tensor2d(Float32Array.from([...slice.d1, ...slice.d2]), [2, P]);
  const centre = tf.tensor2d(Float32Array.from(slice.centre), [1, P]);
  // A dense network's plane rows c, d1, d2, made once for all the chunks.
  const plane = fast ? (tf.concat([centre, basis]) as Tensor2D) : null;
  try {
    const values = await evaluateInChunks(
      n * n,
      chunk,
      (start, count) => {
        const ab = tf.tensor2d(rows(start, count), [count, 2]);
        if (fast && plane)
          return fast.planeLoss(plane, tf.concat([tf.ones([count, 1]), ab], 1), tensorLayout);
        return lossValues(objective, tf.add(centre, tf.matMul(ab, basis)) as Tensor2D);
      },
      options,
    );
    return { n, window, values };
  } finally {
    tf.dispose([basis, centre, ...(plane ? [plane] : [])]);
  }
}

/**
 * Grid points per chunk when the caller gives none. On wasm a dense network's chunk holds
 * activations [N, units, G] (problems/dense-grad.ts `points-last`); about 100,000
 * example-points per chunk keeps them nearer the cache: the `digits` 64×64 grid (N = 1,500,
 * G = 64) took 1.22 s against 1.35–1.44 s at G = 256 (docs/performance.md, 2026-12-07).
 * Other backends keep 256 points (fewer, larger dispatches), as do networks with N ≤ 256.
 */
export function defaultSliceChunk(N: number, backend = tf.getBackend()): number {
  if (backend !== 'wasm') return 256;
  return Math.max(16, Math.min(256, 2 ** Math.round(Math.log2(100_000 / Math.max(1, N)))));
}

/**
 * Grid points per chunk for the fused kernel (plane-kernel.ts): about 400,000 example-points,
 * some 50 ms of work on one core (the kernel takes ~0.13 µs an example-point on digits), so
 * a new request waits at most that long; 256 points on `digits` (N = 1,500), 1,024 at most.
 * Its activations never leave the cache, so the chunk sets only how often the loop yields.
 */
export function kernelSliceChunk(N: number): number {
  return Math.max(16, Math.min(1024, 2 ** Math.round(Math.log2(400_000 / Math.max(1, N)))));
}

/**
 * The slice through `centre` and two run end points: d1 = end1 − c, d2 = end2 − c, so the
 * end points sit at (1, 0) and (0, 1). Throws when the three points are collinear.
 */
export function endpointDirections(
  centre: readonly number[],
  end1: readonly number[],
  end2: readonly number[],
): Slice {
  const d1 = Float64Array.from(end1, (v, i) => v - (centre[i] as number));
  const d2 = Float64Array.from(end2, (v, i) => v - (centre[i] as number));
  if (d1.length !== centre.length || d2.length !== centre.length)
    throw new Error('end points and centre must have the same length');
  let [g11, g12, g22] = [0, 0, 0];
  for (let i = 0; i < d1.length; i++) {
    const [x, y] = [d1[i] as number, d2[i] as number];
    g11 += x * x;
    g12 += x * y;
    g22 += y * y;
  }
  // 1 − cos² of the angle between d1 and d2; 0 when collinear (or an end point is the centre).
  if (!(g11 * g22 - g12 * g12 > 1e-12 * g11 * g22))
    throw new Error('the centre and the two end points are collinear: they span no plane');
  return {
    kind: 'endpoints',
    label: 'directions to two run end points',
    centre: Float64Array.from(centre),
    d1,
    d2,
  };
}

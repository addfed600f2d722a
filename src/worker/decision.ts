/**
 * The function-space view of `mlp` classification: each run's decision regions
 * at its latest point, on a grid over the input domain, for small-multiple heatmaps.
 * Free of messaging (the run loop emits what `decisionSender` builds), so it runs in Node tests.
 */
import { tf, softmax, gridPoints, toRows, type Window, type Problem, type RunResult } from '../engine';
import type { WorkerEvent } from '../protocol/messages';

/** Grid points per side of every decision heatmap. */
export const DECISION_GRID = 40;
/** Steps between decision events while playing. */
export const DECISION_EVERY = 10;

export type DecisionEvent = Extract<WorkerEvent, { type: 'decision' }>;

/** True for the problems this view is for: `mlp` with 2-D inputs and a softmax likelihood. */
export function hasDecisionRegions(problem: Problem): boolean {
  return problem.id === 'mlp' && problem.likelihood.kind === 'softmax' && problem.x.shape[1] === 2;
}

/** The bounding box of the training inputs [N, 2] with a 10% margin on each side. */
export function decisionWindow(points: Float32Array): Window {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] as number;
    const y = points[i + 1] as number;
    [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
  }
  const mx = 0.1 * (x1 - x0 || 1);
  const my = 0.1 * (y1 - y0 || 1);
  return [
    [x0 - mx, x1 + mx],
    [y0 - my, y1 + my],
  ];
}

/**
 * Per run, the value at each of the n×n grid points (row-major as `LossGrid.values`: the
 * value at (x_i, y_j) is at j·n + i): the probability of class 1 for two classes, else
 * the argmax class index. All runs in one model call (rows are independent).
 */
export async function decisionValues(
  problem: Problem,
  thetas: readonly (readonly number[])[],
  window: Window,
  n = DECISION_GRID,
): Promise<Float32Array[]> {
  if (thetas.length === 0) return [];
  const out = tf.tidy(() => {
    const theta = tf.tensor2d(thetas.map((t) => [...t]));
    const x = tf.tensor3d(gridPoints(window, n), [1, n * n, 2]);
    const probs = softmax(problem.model(theta, x));
    return problem.C === 2
      ? tf.squeeze(tf.slice(probs, [0, 0, 1], [-1, -1, 1]), [2])
      : tf.cast(tf.argMax(probs, 2), 'float32');
  });
  let flat: Float32Array;
  try {
    flat = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  return thetas.map((_, r) => flat.slice(r * n * n, (r + 1) * n * n));
}

interface DecisionSource {
  readonly problem: Problem;
  readonly runs: readonly RunResult[];
  readonly step: number;
}

/**
 * Builds the `decision` events of one run loop: `next(session, force)` gives an event when
 * the view applies and either `force` (pause, done, load) or ≥ DECISION_EVERY steps passed
 * since the last one; the first event of each session carries the training points and labels.
 */
export function decisionSender(n = DECISION_GRID) {
  let current: DecisionSource | null = null;
  let data: { points: Float32Array; labels: Int32Array; window: Window } | null = null;
  let sentStep = -Infinity;
  let dataSent = false;
  return async function next(s: DecisionSource, force: boolean): Promise<DecisionEvent | null> {
    if (!hasDecisionRegions(s.problem)) return null;
    if (current !== s) {
      current = s;
      data = null;
      dataSent = false;
      sentStep = -Infinity;
    }
    if (!force && s.step - sentStep < DECISION_EVERY) return null;
    sentStep = s.step;
    if (!data) {
      const points = (await s.problem.x.data()) as Float32Array;
      const labels = tf.tidy(() => tf.argMax(s.problem.y, 1));
      const l = Int32Array.from(await labels.data().finally(() => labels.dispose()));
      data = { points: Float32Array.from(points), labels: l, window: decisionWindow(points) };
    }
    const runs = s.runs.filter((r) => r.theta.length > 0);
    const values = await decisionValues(
      s.problem,
      runs.map((r) => toRows(r.theta, r.theta.length - 1)[0] ?? []),
      data.window,
      n,
    );
    const event: DecisionEvent = {
      type: 'decision',
      window: data.window,
      n,
      runs: runs.map((r, i) => ({ id: r.id, values: values[i] ?? new Float32Array(0) })),
      ...(dataSent ? {} : { points: data.points.slice(), labels: data.labels.slice() }),
    };
    dataSent = true;
    return event;
  };
}

/** The buffers of a decision event, to transfer rather than copy. */
export function decisionTransfer(e: DecisionEvent): Transferable[] {
  const t: Transferable[] = e.runs.map((r) => r.values.buffer);
  if (e.points) t.push(e.points.buffer);
  if (e.labels) t.push(e.labels.buffer);
  return t;
}

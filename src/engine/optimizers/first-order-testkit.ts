/**
 * Test support for the first-order optimizers (imported by their `*.test.ts` only):
 * a least-squares quadratic built inline, its float64 gradient, and the batched-rows and
 * leak checks every optimizer must pass.
 *
 * The quadratic: h(x; θ) = x·θ with squared error, so L(θ) = (1/2N)‖Xθ − y‖² and
 * ∇L(θ) = Xᵀ(Xθ − y)/N, Hessian XᵀX/N.
 */
import { expect } from 'vitest';
import { tf, type Tensor2D, type Tensor3D } from '../tf';
import { makeProblem, type Problem } from '../problems/problem';
import { makeObjective, type Objective } from '../objective';
import type { Optimizer } from './optimizer';

/** A linear least-squares problem with design X [N][P] and targets y [N]. */
export function quadraticProblem(X: number[][], y: number[]): Problem {
  const P = X[0]?.length ?? 0;
  return makeProblem({
    id: 'quadratic',
    P,
    C: 1,
    likelihood: { kind: 'gaussian', sigma: 1 },
    paramNames: Array.from({ length: P }, (_, i) => `θ${i}`),
    init: new Array<number>(P).fill(0),
    window: null,
    x: X,
    y: y.map((v) => [v]),
    // θ [B, P] against x [B|1, M, P]: h = Σ_j θ_j x_j, as [B, M, 1].
    model: (theta, x) => tf.sum(tf.mul(tf.expandDims(theta, 1), x), -1, true) as Tensor3D,
  });
}

/** Float64 gradient Xᵀ(Xθ − y)/N of the quadratic. */
export function quadraticGrad(X: number[][], y: number[], theta: readonly number[]): number[] {
  const N = X.length;
  const r = X.map((row, n) => row.reduce((s, v, j) => s + v * (theta[j] as number), 0) - (y[n] as number));
  return theta.map((_, j) => X.reduce((s, row, n) => s + (row[j] as number) * (r[n] as number), 0) / N);
}

/** The default test quadratic: P = 2, mildly ill-conditioned and coupled. */
export const testX = [
  [1, 0.5],
  [0.2, 2],
  [-0.7, 1],
];
export const testY = [1, -0.5, 2];

/** Run `opt` from `rows` for `k` steps; returns every iterate (k + 1 rows of rows). */
export async function runSteps(opt: Optimizer, rows: number[][], k: number): Promise<number[][][]> {
  let p = tf.tensor2d(rows) as Tensor2D;
  const out: number[][][] = [await p.array()];
  for (let i = 0; i < k; i++) {
    const next = await opt.step(p);
    p.dispose();
    p = next;
    out.push(await p.array());
  }
  p.dispose();
  return out;
}

type Create = (obj: Objective, rows: number) => Optimizer;

/** R = 3 different rows stepped together equal each row stepped alone (float32 tolerance). */
export async function expectBatchedEqualsSingle(
  problem: Problem,
  create: Create,
  starts: number[][],
  k = 6,
): Promise<void> {
  const obj = makeObjective(problem, null);
  const batched = create(obj, starts.length);
  const together = await runSteps(batched, starts, k);
  batched.dispose();
  for (const [r, start] of starts.entries()) {
    const single = create(obj, 1);
    const alone = await runSteps(single, [start], k);
    single.dispose();
    alone.forEach((iter, i) =>
      (iter[0] as number[]).forEach((v, j) => expect(together[i]?.[r]?.[j]).toBeCloseTo(v, 5)),
    );
  }
}

/** Leak check: a further step adds no tensors, and dispose() frees all optimizer state. */
export async function expectNoLeaks(problem: Problem, create: Create, start: number[][]): Promise<void> {
  const obj = makeObjective(problem, null);
  const base = tf.memory().numTensors;
  const opt = create(obj, start.length);
  let p = tf.tensor2d(start) as Tensor2D;
  const stepOnce = async (): Promise<void> => {
    const next = await opt.step(p);
    p.dispose();
    p = next;
  };
  await stepOnce();
  await stepOnce();
  const before = tf.memory().numTensors;
  await stepOnce();
  expect(tf.memory().numTensors).toBe(before);
  p.dispose();
  opt.dispose();
  expect(tf.memory().numTensors).toBe(base);
}

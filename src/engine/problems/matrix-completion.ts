/**
 * `matrix-completion` (docs/theory.md §6): deep factorization W = W_L ⋯ W_1 of n×n matrices fit
 * to a seeded subset of the entries of a low-rank target T, squared error (Gaussian,
 * σ = 1). Each observed entry (i, j) is one example: x is the one-hot of i·n + j, the
 * output is W[i, j]. θ holds W_1, …, W_L in that order, each row-major.
 * Defaults follow docs/theory.md §6: 10×10, rank 1, 40% observed, depth 3, init std 1e-2; the
 * target is scaled to ‖T‖_F = n (entries of order 1), where GD with lr 0.05 recovers the
 * unobserved entries (float64 check: relative error ≈ 6e-5 after 2e4 steps).
 */
import { tf, type Tensor, type Tensor3D } from '../tf';
import { makeRng, subSeed } from '../random';
import { makeProblem, type Problem } from './problem';
import { matrixCompletionParams, type MatrixCompletionParams } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { matrixCompletionParams, type MatrixCompletionParams };

/** The problem with what the §6 helpers need, as plain numbers. */
export interface MatrixCompletionProblem extends Problem {
  readonly size: number;
  readonly depth: number;
  /** The full target T [n][n]. */
  readonly target: readonly (readonly number[])[];
  /** Observed entries (i, j), in example order. */
  readonly observedEntries: readonly (readonly [number, number])[];
}

/** The product W = W_L ⋯ W_1 for B parameter rows: theta [B, L·n²] -> [B, n, n]. */
export function productOf(theta: Tensor, n: number, depth: number): Tensor3D {
  const b = theta.shape[0] ?? 1;
  const factor = (l: number): Tensor3D =>
    tf.reshape(tf.slice(theta, [0, l * n * n], [b, n * n]), [b, n, n]) as Tensor3D;
  let w = factor(0);
  for (let l = 1; l < depth; l++) w = tf.matMul(factor(l), w);
  return w;
}

function generateTarget(n: number, rank: number, seed: number): number[][] {
  const rng = makeRng(subSeed(seed, 'data'));
  const u = Array.from({ length: n }, () => Array.from({ length: rank }, () => rng.normal()));
  const v = Array.from({ length: n }, () => Array.from({ length: rank }, () => rng.normal()));
  const t = u.map((ui) => v.map((vj) => ui.reduce((s, a, k) => s + a * (vj[k] ?? 0), 0)));
  const norm = Math.sqrt(t.flat().reduce((s, a) => s + a * a, 0));
  return t.map((row) => row.map((a) => (a * n) / norm));
}

export function matrixCompletion(params: MatrixCompletionParams, seed: number): MatrixCompletionProblem {
  const target = params.data ?? generateTarget(params.size, Math.min(params.rank, params.size), seed);
  const n = target.length;
  const { depth } = params;
  // A seeded choice of round(fraction·n²) entries (at least 2), in row-major order.
  const rng = makeRng(subSeed(seed, 'mask'));
  const order = Array.from({ length: n * n }, (_, k) => ({ k, r: rng.next() })).sort((a, b) => a.r - b.r);
  const count = Math.max(2, Math.round(params.observed * n * n));
  const chosen = order
    .slice(0, count)
    .map((o) => o.k)
    .sort((a, b) => a - b);
  const observedEntries = chosen.map((k) => [Math.floor(k / n), k % n] as const);
  const init = makeRng(subSeed(seed, 'init'));
  const base = makeProblem({
    id: 'matrix-completion',
    P: depth * n * n,
    C: 1,
    likelihood: { kind: 'gaussian', sigma: 1 },
    paramNames: Array.from({ length: depth * n * n }, (_, q) => {
      const r = q % (n * n);
      return `W${Math.floor(q / (n * n)) + 1}[${Math.floor(r / n)},${r % n}]`;
    }),
    init: Array.from({ length: depth * n * n }, () => init.normal(0, params.initStd)),
    window: null,
    x: chosen.map((k) => Array.from({ length: n * n }, (_, q) => (q === k ? 1 : 0))),
    y: observedEntries.map(([i, j]) => [target[i]?.[j] ?? 0]),
    // W[i, j] = ⟨vec W, onehot(i·n + j)⟩: a product and a sum, differentiable to any order.
    model: (theta, x) => {
      const flat = tf.reshape(productOf(theta, n, depth), [theta.shape[0], 1, n * n]);
      return tf.sum(tf.mul(flat, x), -1, true) as Tensor3D;
    },
  });
  return { ...base, size: n, depth, target, observedEntries };
}

/** Narrow a problem to a matrix-completion problem (for the §6 helpers), or null. */
export function asMatrixCompletion(problem: Problem): MatrixCompletionProblem | null {
  return problem.id === 'matrix-completion' && 'observedEntries' in problem
    ? (problem as MatrixCompletionProblem)
    : null;
}

/**
 * What docs/theory.md §6 shows for `matrix-completion`, in float64 on the CPU (ml-matrix): the
 * error on the entries the fit never saw, and the singular values of W = W_L ⋯ W_1
 * (a low effective rank is GD's implicit bias; NGD loses it).
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
export { effectiveRank } from './effective-rank';
import type { MatrixCompletionProblem } from './matrix-completion';

type Params = readonly number[];

/** W = W_L ⋯ W_1 in float64 from one parameter row (layout of matrix-completion.ts). */
export function product64(problem: MatrixCompletionProblem, theta: Params): Matrix {
  const n = problem.size;
  const factor = (l: number): Matrix =>
    new Matrix(
      Array.from({ length: n }, (_, i) =>
        Array.from(theta.slice(l * n * n + i * n, l * n * n + (i + 1) * n)),
      ),
    );
  let w = factor(0);
  for (let l = 1; l < problem.depth; l++) w = factor(l).mmul(w);
  return w;
}

/**
 * Relative Frobenius error on the unobserved entries: ‖(W − T)_U‖ / ‖T_U‖ over the set U
 * of entries not in the training data. NaN when every entry is observed.
 */
export function unobservedError(problem: MatrixCompletionProblem, theta: Params): number {
  const w = product64(problem, theta);
  const seen = new Set(problem.observedEntries.map(([i, j]) => i * problem.size + j));
  let num = 0;
  let den = 0;
  problem.target.forEach((row, i) =>
    row.forEach((t, j) => {
      if (seen.has(i * problem.size + j)) return;
      num += (w.get(i, j) - t) ** 2;
      den += t * t;
    }),
  );
  return den > 0 ? Math.sqrt(num / den) : Number.NaN;
}

/** Singular values of W, largest first (float64). */
export function singularValues(problem: MatrixCompletionProblem, theta: Params): number[] {
  const svd = new SingularValueDecomposition(product64(problem, theta), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
  });
  return [...svd.diagonal].sort((a, b) => b - a);
}

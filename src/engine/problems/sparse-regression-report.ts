/**
 * What docs/theory.md §6 shows for `sparse-regression`, in float64: the weights w a parameter
 * row stands for, their sorted magnitudes (sparse: one large, the rest near 0), and the
 * accuracy on the seeded test set.
 */
import type { SparseRegressionProblem } from './sparse-regression';

type Params = readonly number[];

/** w from one parameter row: θ itself (linear) or u⊙u − v⊙v (diagonal). */
export function weights64(problem: SparseRegressionProblem, theta: Params): number[] {
  const d = problem.d;
  if (problem.param === 'linear') return theta.slice(0, d);
  return Array.from({ length: d }, (_, i) => (theta[i] ?? 0) ** 2 - (theta[d + i] ?? 0) ** 2);
}

/** |w| sorted, largest first. */
export function sortedAbsWeights(problem: SparseRegressionProblem, theta: Params): number[] {
  return weights64(problem, theta)
    .map(Math.abs)
    .sort((a, b) => b - a);
}

/**
 * Fraction of the test set classified correctly (class 1 when wᵀx > 0), or null when
 * the problem has no test set (inline data).
 */
export function testAccuracy64(problem: SparseRegressionProblem, theta: Params): number | null {
  const set = problem.testSet;
  if (!set) return null;
  const w = weights64(problem, theta);
  let hits = 0;
  set.points.forEach((x, n) => {
    const z = x.reduce((s, xi, i) => s + xi * (w[i] ?? 0), 0);
    if ((z > 0 ? 1 : 0) === set.labels[n]) hits++;
  });
  return hits / set.points.length;
}

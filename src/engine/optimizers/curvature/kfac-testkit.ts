/** Helpers the K-FAC tests share (dense-fast.test.ts, kfac-phi.test.ts). */
import type { DenseProblem } from '../../problems/dense-grad';
import type { Problem } from '../../problems/problem';
import type { Mat } from '../../linalg/dense';

/** The problem without its dense fast path: every curvature then comes from autodiff. */
export const plain = (problem: Problem): Problem => {
  const { dense: _dense, ...rest } = problem as DenseProblem;
  return rest;
};

/** The largest entrywise difference of `got` from `want`, relative to want's largest entry. */
export function maxRel(got: Mat, want: Mat): number {
  const scale = Math.max(1e-12, ...want.flat().map(Math.abs));
  return Math.max(...want.flatMap((r, i) => r.map((v, j) => Math.abs((got[i]?.[j] ?? NaN) - v) / scale)));
}

/**
 * Damped Newton iterations in float64 for f(φ) = θ, the inverse of maps with no closed
 * form (custom expressions). Backtracking on the residual norm keeps each step from
 * overshooting; if every start fails, a continuation from f(φ₀) to θ in small steps
 * follows the solution curve (robust for a diffeomorphism).
 */
import { solve, Matrix } from 'ml-matrix';

/** f and its Jacobian in float64. */
export interface System {
  f(phi: readonly number[]): number[];
  jacobian(phi: readonly number[]): number[][];
}

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const finiteAll = (v: readonly number[]): boolean => v.every(Number.isFinite);

/** Residual tolerance: relative to |θ| (float64 round-off of f, with headroom). */
const tol = (target: readonly number[]): number => 1e-12 * (1 + norm(target));

/** Damped Newton from one start; the solution or null (no convergence in `maxIter`). */
export function newton(
  sys: System,
  target: readonly number[],
  start: readonly number[],
  maxIter = 100,
): number[] | null {
  let x = [...start];
  let r = sys.f(x).map((v, k) => (target[k] as number) - v);
  let rn = norm(r);
  if (!Number.isFinite(rn)) return null;
  for (let it = 0; it < maxIter; it++) {
    if (rn <= tol(target)) return x;
    const J = sys.jacobian(x);
    if (!J.every(finiteAll)) return null;
    let step: number[];
    try {
      step = solve(new Matrix(J), Matrix.columnVector(r)).to1DArray();
    } catch {
      return null; // singular Jacobian (ml-matrix's LU throws)
    }
    if (!finiteAll(step)) return null;
    let t = 1;
    let accepted = false;
    for (let half = 0; half < 40; half++, t /= 2) {
      const y = x.map((v, k) => v + t * (step[k] as number));
      const fy = sys.f(y);
      const ry = fy.map((v, k) => (target[k] as number) - v);
      const ryn = norm(ry);
      if (Number.isFinite(ryn) && ryn <= (1 - 1e-4 * t) * rn) {
        [x, r, rn, accepted] = [y, ry, ryn, true];
        break;
      }
    }
    // No decrease along the Newton direction: converged to round-off, or stuck.
    if (!accepted) return rn <= 1e3 * tol(target) ? x : null;
  }
  return rn <= tol(target) ? x : null;
}

/**
 * Solve f(φ) = θ: damped Newton from each start in turn, then continuation from the
 * first start through `stages` intermediate targets. Null when nothing converges.
 */
export function invertNewton(
  sys: System,
  target: readonly number[],
  starts: readonly (readonly number[])[],
  stages = 32,
): number[] | null {
  for (const s of starts) {
    if (!finiteAll(s)) continue;
    const x = newton(sys, target, s);
    if (x) return x;
  }
  const first = starts.find(finiteAll);
  if (!first) return null;
  const base = sys.f(first);
  if (!finiteAll(base)) return null;
  let x: number[] | null = [...first];
  for (let k = 1; k <= stages && x; k++) {
    const mid = base.map((b, i) => b + (k / stages) * ((target[i] as number) - b));
    x = newton(sys, mid, x, 50);
  }
  return x;
}

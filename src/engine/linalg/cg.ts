/**
 * Conjugate gradient for A x = b with A symmetric positive (semi-)definite, given only
 * as a product v ↦ Av (Hessian-free optimization: A is the Fisher, never formed).
 * Float64 throughout. One iteration, two drivers: `conjugateGradient` for a synchronous
 * product (float64 factors on the CPU) and `conjugateGradientAsync` for a product that
 * reads from the tensor backend (Fisher-, GGN- and Hessian-vector products,
 * optimizers/curvature/matrix-free.ts); both run the same steps.
 */
import { allFinite, dot, nanVec, type Vec } from './dense';

export interface CgOptions {
  /** Iteration budget (one product each; a warm start's initial residual is extra). */
  maxIters: number;
  /** Stop when ‖b − Ax‖ ≤ tol·‖b‖ (relative residual). Default 1e-10. */
  tol?: number;
  /** Start point (warm start); default 0. */
  x0?: readonly number[];
  /**
   * Start from s·x0 with s = x0ᵀb / x0ᵀAx0, the best multiple of x0 in the A-norm (its
   * product is the one the warm start takes anyway): never a worse start than zero when A
   * is positive definite. Unscaled (s = 1) when x0ᵀAx0 ≤ 0.
   */
  scaleX0?: boolean;
  /**
   * Solving to a tolerance rather than for a fixed budget: return the iterate of smallest
   * residual, and stop once this many iterations in a row found none smaller. On a singular
   * A with b not quite in its range (float32 round-off in a Fisher-vector product) the
   * residual stops falling and the iterates drift along A's null space (docs/theory.md
   * §9.4); the smallest-residual iterate is the useful one. Default: off (the last iterate,
   * which truncated CG wants).
   */
  stall?: number;
}

export interface CgResult {
  x: Vec;
  /** CG iterations done. */
  iters: number;
  /** Final ‖b − Ax‖/‖b‖ (0 when b = 0). */
  residual: number;
  /** True when a direction with pᵀAp ≤ 0 stopped the iteration (A not PD there). */
  negativeCurvature: boolean;
}

/**
 * The iteration as a generator: it yields each vector whose product it needs and is
 * resumed with that product; it returns the result (Hestenes–Stiefel).
 */
function* cgSteps(b: readonly number[], options: CgOptions): Generator<Vec, CgResult, Vec> {
  const n = b.length;
  const tol = options.tol ?? 1e-10;
  const bNorm = Math.sqrt(dot(b, b));
  if (!allFinite(b) || !(options.maxIters >= 0))
    return { x: nanVec(n), iters: 0, residual: Number.NaN, negativeCurvature: false };
  const x = options.x0 ? [...options.x0] : new Array<number>(n).fill(0);
  if (bNorm === 0)
    return { x: new Array<number>(n).fill(0), iters: 0, residual: 0, negativeCurvature: false };
  let iters = 0;
  let r: Vec;
  if (options.x0 && options.x0.some((v) => v !== 0)) {
    // Not counted: with maxIters ≥ n a warm start still ends at the exact solution.
    const Ax = yield x.slice();
    const xAx = dot(x, Ax);
    const s = options.scaleX0 && xAx > 0 ? dot(x, b) / xAx : 1;
    if (s !== 1) for (let i = 0; i < n; i++) x[i] = s * (x[i] as number);
    r = b.map((v, i) => v - s * (Ax[i] as number));
  } else r = [...b];
  const p = [...r];
  let rr = dot(r, r);
  let negativeCurvature = false;
  const stall = options.stall ?? 0;
  let best = stall > 0 ? { x: x.slice(), rr, at: 0 } : null;
  while (iters < options.maxIters && Math.sqrt(rr) > tol * bNorm) {
    if (best && iters - best.at >= stall) break;
    const Ap = yield p.slice();
    iters += 1;
    const pAp = dot(p, Ap);
    if (!(pAp > 0)) {
      negativeCurvature = Number.isFinite(pAp);
      if (!Number.isFinite(pAp)) return { x: nanVec(n), iters, residual: Number.NaN, negativeCurvature };
      break;
    }
    const alpha = rr / pAp;
    for (let i = 0; i < n; i++) {
      x[i] = (x[i] as number) + alpha * (p[i] as number);
      r[i] = (r[i] as number) - alpha * (Ap[i] as number);
    }
    const rrNext = dot(r, r);
    const beta = rrNext / rr;
    rr = rrNext;
    for (let i = 0; i < n; i++) p[i] = (r[i] as number) + beta * (p[i] as number);
    if (best && rr < best.rr) best = { x: x.slice(), rr, at: iters };
  }
  if (best && best.rr < rr)
    return { x: best.x, iters, residual: Math.sqrt(best.rr) / bNorm, negativeCurvature };
  return { x, iters, residual: Math.sqrt(rr) / bNorm, negativeCurvature };
}

/** Solve A x = b by CG from x0 (Hestenes–Stiefel). Non-finite input gives x = NaN. */
export function conjugateGradient(
  apply: (v: Vec) => Vec,
  b: readonly number[],
  options: CgOptions,
): CgResult {
  const it = cgSteps(b, options);
  let next = it.next();
  while (!next.done) next = it.next(apply(next.value));
  return next.value;
}

/** The same iteration with a product that answers asynchronously (a backend read). */
export async function conjugateGradientAsync(
  apply: (v: Vec) => Vec | Promise<Vec>,
  b: readonly number[],
  options: CgOptions,
): Promise<CgResult> {
  const it = cgSteps(b, options);
  let next = it.next();
  while (!next.done) next = it.next(await apply(next.value));
  return next.value;
}

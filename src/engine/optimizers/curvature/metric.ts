/**
 * A curvature matrix at one point, in float64, seen through the two things the
 * second-order step rules need: a product M v and a damped solve (M + λI) x = b.
 * One shape for dense, factored (Woodbury), diagonal and matrix-free (CG) curvature, so
 * damping, trust regions and integrators are written once (optimizers/second-order.ts).
 */
import { allFinite, matVec, nanVec, type Mat, type Vec } from '../../linalg/dense';
import { solveSymmetric, type Solved } from '../../linalg/solve';
import { rowMajor, rowsOf, rowsTimes, rowsTransposeTimes, woodburySolve } from '../../linalg/woodbury';
import { conjugateGradient, conjugateGradientAsync } from '../../linalg/cg';
import { factorMatrix, type Factor } from './fisher';
import type { FlatFactor } from './fisher-flat';
import { factorDiagonal, factorProduct } from './products';

export interface Metric {
  readonly P: number;
  /** M v (undamped). */
  apply(v: Vec): Vec;
  /** x with (M + λI) x = b, λ ≥ 0, and the method used. Never throws; NaN for bad input. */
  solve(b: Vec, lambda: number): Solved;
}

/**
 * A curvature whose products read from the backend (matrix-free.ts): the same two
 * operations, answered asynchronously.
 */
export interface AsyncMetric {
  readonly P: number;
  apply(v: Vec): Promise<Vec>;
  solve(b: Vec, lambda: number): Promise<Solved>;
  /** Frees what the products hold (tensors of the point); the step calls it when done. */
  dispose?(): void;
}

/** Either kind; the step rules `await` both. */
export type AnyMetric = Metric | AsyncMetric;

export interface DenseOptions {
  /** What a non-positive-definite M + λI gets (see linalg/solve.ts). */
  fallback: 'pinv' | 'abs';
  /** Relative rank tolerance. */
  rcond: number;
}

/** A dense symmetric curvature matrix (Hessian, GGN). */
export function denseMetric(A: Mat, options: DenseOptions): Metric {
  return {
    P: A.length,
    apply: (v) => matVec(A, v),
    solve: (b, lambda) => solveSymmetric(A, b, { damping: lambda, ...options }),
  };
}

/**
 * A factored PSD curvature UᵀU/N (Fisher, empirical Fisher), as rows or as the backend's
 * flat arrays (ngd). Damped with few rows (m < P, λ > 0): Woodbury. Otherwise the P×P
 * matrix, formed in float64 once, by Cholesky — or, when singular and undamped, by the
 * pseudo-inverse (minimum-norm step).
 */
export function factorMetric(f: Factor | FlatFactor): Metric {
  // Float64 once: the products read it faster than the backend's float32 (woodbury.ts).
  const flat = isFlat(f) ? { ...f, U: rowMajor(f.U, f.P) } : null;
  const m = flat ? flat.U.rows : (f as Factor).U.length;
  let dense: Mat | null = null;
  const matrix = (): Mat =>
    (dense ??= factorMatrix(flat ? { U: rowsOf(flat.U), N: f.N, P: f.P } : (f as Factor)));
  return {
    P: f.P,
    apply: flat
      ? (v) => Array.from(rowsTransposeTimes(flat.U, rowsTimes(flat.U, v)), (x) => x / f.N)
      : factorProduct(f as Factor),
    solve: (b, lambda) => {
      if (lambda > 0 && m < f.P) {
        const x = flat
          ? woodburySolve(flat.U, f.N, lambda, b, flat.gram32)
          : woodburySolve((f as Factor).U, f.N, lambda, b);
        return { x, method: allFinite(x) ? 'woodbury' : 'non-finite' };
      }
      return solveSymmetric(matrix(), b, { damping: lambda, fallback: 'pinv', rcond: 1e-12 });
    },
  };
}

function isFlat(f: Factor | FlatFactor): f is FlatFactor {
  return !Array.isArray(f.U);
}

/**
 * A diagonal curvature diag(d), d ≥ 0. Entries with d_i + λ ≤ rcond·max d are treated
 * as zero and that coordinate does not move (the pseudo-inverse of the diagonal).
 */
export function diagonalMetric(d: Vec, rcond = 1e-12): Metric {
  const top = Math.max(0, ...d.filter(Number.isFinite));
  return {
    P: d.length,
    apply: (v) => v.map((x, i) => (d[i] as number) * x),
    solve: (b, lambda) => {
      if (!allFinite(d) || !allFinite(b)) return { x: nanVec(b.length), method: 'non-finite' };
      let dropped = false;
      const x = b.map((v, i) => {
        const di = (d[i] as number) + lambda;
        if (di <= rcond * top || di === 0) {
          dropped = true;
          return 0;
        }
        return v / di;
      });
      return { x, method: dropped ? 'pinv' : 'diagonal' };
    },
  };
}

/** The diagonal of a factored curvature (diag of the exact Fisher). */
export function factorDiagonalMetric(f: Factor): Metric {
  return diagonalMetric(factorDiagonal(f));
}

/**
 * Matrix-free curvature: solves by `iters` conjugate-gradient iterations on products
 * v ↦ Mv + λv, from `x0` (warm start) or zero. With iters ≥ P (exact arithmetic) this is
 * the dense solve; fewer iterations give a Krylov approximation.
 */
export function cgMetric(P: number, apply: (v: Vec) => Vec, iters: number, x0: Vec | null): Metric {
  return {
    P,
    apply,
    solve: (b, lambda) => {
      const op = lambda === 0 ? apply : (v: Vec) => apply(v).map((x, i) => x + lambda * (v[i] as number));
      return cgSolved(conjugateGradient(op, b, cgOptions(iters, x0)));
    },
  };
}

/** The product v ↦ (M + λI)v from v ↦ Mv read from the backend. */
const damped =
  (apply: (v: Vec) => Promise<Vec>, lambda: number) =>
  async (v: Vec): Promise<Vec> =>
    lambda === 0 ? apply(v) : (await apply(v)).map((x, i) => x + lambda * (v[i] as number));

/** `cgMetric`'s iteration: `iters` iterations (or to a relative residual 1e-12) from x0 or zero. */
const cgOptions = (iters: number, x0: Vec | null) => ({ maxIters: iters, tol: 1e-12, ...(x0 ? { x0 } : {}) });

const cgSolved = ({ x }: { x: Vec }): Solved => ({ x, method: allFinite(x) ? 'cg' : 'non-finite' });

/**
 * `cgMetric` on products read from the backend (matrix-free.ts `heldCurvatureProduct`):
 * the same iteration, budget, start and damping; `dispose` frees what the products hold.
 */
export function heldCgMetric(
  P: number,
  apply: (v: Vec) => Promise<Vec>,
  iters: number,
  x0: Vec | null,
  dispose?: () => void,
): AsyncMetric {
  return {
    P,
    apply,
    ...(dispose ? { dispose } : {}),
    solve: async (b, lambda) =>
      cgSolved(await conjugateGradientAsync(damped(apply, lambda), b, cgOptions(iters, x0))),
  };
}

/**
 * Matrix-free curvature read from the backend: solves (M + λI)x = b by CG, to the
 * relative residual `tol` or `maxIters` iterations, whichever comes first, and reports
 * both (docs/theory.md §9.3, §9.4). A non-finite product gives NaN ('non-finite').
 *
 * CG starts from zero, or from `warm` (e.g. the previous step's direction) when it is
 * given, finite, of length P and λ > 0 — scaled to the best multiple of it (cg.ts
 * `scaleX0`, so never a worse start than zero): M PSD and λ > 0 make M + λI positive definite,
 * so the solution is unique and a warm start only changes how many iterations reach the
 * same residual. Undamped, a singular M has many solutions; CG from zero finds the
 * minimum-norm one, a warm start would keep its null-space part, so it is not used.
 */
export function asyncCgMetric(
  P: number,
  apply: (v: Vec) => Promise<Vec>,
  maxIters: number,
  tol: number,
  warm: Vec | null = null,
  dispose?: () => void,
  stall?: number,
): AsyncMetric {
  return {
    P,
    apply,
    ...(dispose ? { dispose } : {}),
    solve: async (b, lambda) => {
      const op = damped(apply, lambda);
      const x0 = lambda > 0 && warm && warm.length === P && allFinite(warm) ? warm : null;
      const res = await conjugateGradientAsync(op, b, {
        maxIters,
        tol,
        ...(x0 ? { x0, scaleX0: true } : {}),
        ...(stall ? { stall } : {}),
      });
      const ok = allFinite(res.x);
      return { x: res.x, method: ok ? 'cg' : 'non-finite', cg: { iters: res.iters, residual: res.residual } };
    },
  };
}

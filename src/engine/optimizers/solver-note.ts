/**
 * Which solver an exact curvature method (newton, ngd, ggn, empirical-fisher) uses at P
 * parameters, and that choice in words for the page and the command line
 * (curvature/exact-solver.ts has the solvers; docs/theory.md §9.4). Plain data, tf-free.
 */
import { CG_ABOVE_P, EXACT_CG_TOL, type Hyper } from './catalog';
import type { OptimizerId } from './ids';
import type { OptimizerEntry } from '../schema';

/** The methods with an exact solve that may be taken by CG. */
export const exactSolverIds: readonly OptimizerId[] = ['newton', 'ngd', 'ggn', 'empirical-fisher'];

/** Whether an exact method with these hyper-parameters solves by CG at this P. */
export function solvesByCg(hyper: Pick<Hyper, 'solver'>, P: number): boolean {
  return hyper.solver === 'cg' || (hyper.solver === 'auto' && P > CG_ABOVE_P);
}

/**
 * CG's budget: `cgIters` iterations (truncated) when given (> 0), else to `cgTol` within
 * P iterations, keeping the smallest-residual iterate and stopping after `stall` iterations
 * without a smaller one (linalg/cg.ts; a singular Fisher stalls, docs/theory.md §9.4).
 */
export function cgBudget(
  hyper: Pick<Hyper, 'cgIters' | 'cgTol'>,
  P: number,
): { maxIters: number; tol: number; stall?: number } {
  return hyper.cgIters > 0
    ? { maxIters: hyper.cgIters, tol: 1e-12 }
    : { maxIters: P, tol: hyper.cgTol, stall: Math.max(CG_STALL_MIN, Math.ceil(P / 20)) };
}

/** What `solverNote` reads of an optimizer entry, its defaults filled in (the page and the command line). */
export function entrySolver(
  entry: Pick<OptimizerEntry, 'solver' | 'cgIters' | 'cgTol'>,
): Pick<Hyper, 'solver' | 'cgIters'> & Partial<Pick<Hyper, 'cgTol'>> {
  return {
    solver: entry.solver ?? 'auto',
    cgIters: entry.cgIters ?? 0,
    ...(entry.cgTol !== undefined ? { cgTol: entry.cgTol } : {}),
  };
}

/** An exact solve stops after this many iterations (or P/20, if more) without a smaller residual. */
export const CG_STALL_MIN = 25;

/**
 * What the solver of an exact method will be, in words, for the page, the command line
 * and the run notes: e.g. "ngd: exact by CG (P = 2410 > 1000), to relative residual 1e-6".
 */
export function solverNote(
  id: string,
  hyper: Pick<Hyper, 'solver' | 'cgIters'> & Partial<Pick<Hyper, 'cgTol'>>,
  P: number,
): string {
  if (!solvesByCg(hyper, P)) return `${id}: dense ${P}×${P} solve`;
  const why = hyper.solver === 'auto' ? ` (P = ${P} > ${CG_ABOVE_P})` : '';
  if (hyper.cgIters > 0)
    return `${id}: truncated CG, ${hyper.cgIters} iteration${hyper.cgIters === 1 ? '' : 's'}${why}`;
  return `${id}: exact by CG${why}, to relative residual ${tolText(hyper.cgTol ?? EXACT_CG_TOL)}`;
}

/** A residual as people write it: 1e-6, 5e-5, 2.5e-4. */
export function tolText(tol: number): string {
  return tol.toExponential();
}

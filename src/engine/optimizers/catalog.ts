/**
 * The optimizers as plain data: label, the hyper-parameters each reads and its defaults,
 * without tensor code. The page's optimizer panel reads this; each optimizer's definition
 * (gd.ts, …) spreads its entry and adds `create`, and the registry (index.ts) lists them.
 */
import type { OptimizerId } from './ids';
import type { Damping } from '../schema';

/** Every hyper-parameter, resolved: the entry's values over the optimizer's defaults. */
export interface Hyper {
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  damping: Damping;
  integrator: 'euler' | 'midpoint';
  cgIters: number;
  /** An exact solve by CG stops at this relative residual (default `EXACT_CG_TOL`). */
  cgTol: number;
  decay: number;
  inversePeriod: number;
  /** `lowrank-fisher`: k, the number of top Fisher eigenpairs kept. */
  rank: number;
  /**
   * Exact curvature methods (newton, ngd, ggn, empirical-fisher): 'dense' forms the P×P
   * matrix; 'cg' solves by conjugate gradient on curvature-vector products — to the
   * relative residual `cgTol` (default `EXACT_CG_TOL`), or `cgIters` iterations when the entry gives them
   * (truncated); 'auto' takes 'cg' above `CG_ABOVE_P` parameters.
   */
  solver: 'auto' | 'dense' | 'cg';
  /** `block-fisher`: 'layers' (one block per layer, [W; b]), 'one' (the exact Fisher), 'auto'. */
  blocks: 'auto' | 'layers' | 'one';
  /**
   * `kfac`: 'exact' (the expectation over the model's predictive distribution) or
   * 'sampled' (one target per example drawn from it, Martens & Grosse 2015 §5).
   */
  fisher: 'exact' | 'sampled';
  /** The experiment's seed (not an entry's key): what a randomized optimizer draws from. */
  seed: number;
}

/** Above this many parameters an exact method's automatic solver is CG (no P×P matrix). */
export const CG_ABOVE_P = 1000;
/** The relative residual ‖b − (M + λI)x‖/‖b‖ an exact solve by CG stops at, unless the entry's `cgTol` says otherwise. */
export const EXACT_CG_TOL = 1e-6;

/** What the page knows of an optimizer. */
export interface OptimizerInfo {
  id: OptimizerId;
  label: string;
  /** Hyper-parameters this optimizer reads (for panels and docs). */
  uses: readonly (keyof Hyper)[];
  /** Defaults that differ from the shared ones (`baseHyper`). */
  defaults: Partial<Hyper>;
}

/** Shared defaults; each optimizer overrides what it must. */
export const baseHyper: Hyper = {
  lr: 0.1,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  damping: { type: 'none', value: 0 },
  integrator: 'euler',
  cgIters: 10,
  cgTol: EXACT_CG_TOL,
  decay: 0.95,
  inversePeriod: 1,
  rank: 1,
  solver: 'auto',
  blocks: 'auto',
  fisher: 'exact',
  seed: 0,
};

const info = (
  id: OptimizerId,
  label: string,
  uses: OptimizerInfo['uses'],
  defaults: Partial<Hyper> = {},
) => ({
  id,
  label,
  uses,
  defaults,
});

/** Every implemented optimizer, in menu order. */
export const optimizerCatalog = {
  gd: info('gd', 'Gradient descent', ['lr']),
  momentum: info('momentum', 'Momentum (heavy ball)', ['lr', 'momentum'], { lr: 0.01, momentum: 0.9 }),
  nesterov: info('nesterov', 'Nesterov momentum', ['lr', 'momentum'], { lr: 0.01, momentum: 0.9 }),
  adam: info('adam', 'Adam', ['lr', 'beta1', 'beta2', 'eps'], {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
  }),
  rmsprop: info('rmsprop', 'RMSProp', ['lr', 'beta2', 'eps'], { lr: 0.01, beta2: 0.99, eps: 1e-8 }),
  // cgIters 0: an exact solve by CG runs to cgTol (a given cgIters truncates it).
  newton: info('newton', 'Newton (exact Hessian)', ['lr', 'damping', 'solver', 'cgIters', 'cgTol'], {
    cgIters: 0,
  }),
  ngd: info(
    'ngd',
    'Natural gradient (exact Fisher)',
    ['lr', 'damping', 'integrator', 'solver', 'cgIters', 'cgTol'],
    {
      cgIters: 0,
    },
  ),
  ggn: info(
    'ggn',
    'Generalized Gauss-Newton',
    ['lr', 'damping', 'integrator', 'solver', 'cgIters', 'cgTol'],
    {
      cgIters: 0,
    },
  ),
  'empirical-fisher': info(
    'empirical-fisher',
    'Empirical Fisher',
    ['lr', 'damping', 'solver', 'cgIters', 'cgTol'],
    {
      cgIters: 0,
    },
  ),
  'diag-fisher': info('diag-fisher', 'Diagonal Fisher', ['lr', 'damping']),
  'hessian-free': info(
    'hessian-free',
    'Hessian-free (CG on Fisher products)',
    ['lr', 'damping', 'cgIters', 'decay'],
    {
      decay: 0,
    },
  ),
  kfac: info('kfac', 'K-FAC', ['lr', 'damping', 'decay', 'inversePeriod', 'fisher']),
  'block-fisher': info('block-fisher', 'Block-diagonal Fisher (per layer)', ['lr', 'damping', 'blocks']),
  'lowrank-fisher': info('lowrank-fisher', 'Low-rank Fisher (top-k eigenpairs)', ['lr', 'damping', 'rank'], {
    rank: 2,
  }),
} as const satisfies Partial<Record<OptimizerId, OptimizerInfo>>;

/** The catalog by any optimizer id (undefined: not implemented). */
export const optimizerInfo: Partial<Record<OptimizerId, OptimizerInfo>> = optimizerCatalog;

/**
 * One-click actions for the scenes' captions, keyed by scene id (state/scenes.ts): each
 * does what its caption suggests ("switch the map to linear", "run the sweep", …), the
 * same in normal and presentation mode. Plain functions of a small context, so the page
 * wires them to its client and store and the tests can name them.
 */
import { type Experiment, type OptimizerEntry, defaultSweep, defaultTableSteps } from '../engine/page';

/**
 * What an action may do. `load` (new runs) and `setView` (view settings only: the runs go
 * on) resolve to an error message, or null when applied.
 */
export interface SceneActionContext {
  experiment: Experiment;
  load(next: Experiment): Promise<string | null>;
  setView(view: Experiment['view']): Promise<string | null>;
  play(): void;
  sweep(horizon: number): void;
  table(steps: number): void;
  /** Show a panel even in presentation mode ('sweep', 'table', 'metrics') and scroll to it. */
  reveal(panel: 'sweep' | 'table' | 'metrics'): void;
}

export interface SceneAction {
  /** The button's text. */
  label: string;
  /** What it changes, for the button's tooltip. */
  title: string;
  run(ctx: SceneActionContext): Promise<string | null>;
}

/** Load a changed experiment and play it; the load's error, if any. */
async function loadAndPlay(ctx: SceneActionContext, next: Experiment): Promise<string | null> {
  const error = await ctx.load(next);
  if (!error) ctx.play();
  return error;
}

/** The experiment with each optimizer changed by `f`. */
const eachOptimizer = (e: Experiment, f: (o: OptimizerEntry, i: number) => OptimizerEntry): Experiment => ({
  ...e,
  optimizers: e.optimizers.map(f),
});

const runSweep: SceneAction = {
  label: 'Run the sweep',
  title: 'Defect against learning rate over a fixed horizon, with fitted slopes (docs/theory.md §4)',
  run: async (ctx) => {
    ctx.reveal('sweep');
    ctx.sweep(defaultSweep.horizon);
    return null;
  },
};

const computeTable: SceneAction = {
  label: 'Compute the table',
  title: 'Every optimizer against a rotation, a signed permutation, a diagonal and a general linear map',
  run: async (ctx) => {
    ctx.reveal('table');
    ctx.table(defaultTableSteps);
    return null;
  },
};

export const sceneActions: Readonly<Record<string, readonly SceneAction[]>> = {
  'naturality-square': [
    {
      label: 'Halve the step size',
      title: 'η ÷ 2 and twice the steps (the same horizon): natural gradient’s defect shrinks',
      run: (ctx) =>
        loadAndPlay(ctx, {
          ...eachOptimizer(ctx.experiment, (o) => ({ ...o, lr: (o.lr ?? 0.1) / 2 })),
          steps: Math.min(100000, ctx.experiment.steps * 2),
        }),
    },
    runSweep,
  ],
  'what-each-optimizer-forgives': [computeTable],
  'order-of-naturality': [runSweep],
  'newton-affine-only': [
    {
      label: 'Switch to linear',
      title: 'θ = Aφ with a fixed well-conditioned A: Newton’s two runs coincide',
      run: (ctx) => loadAndPlay(ctx, { ...ctx.experiment, reparam: { id: 'linear' } }),
    },
  ],
  'damping-vs-trust-region': [
    {
      label: 'Raise λ ×10',
      title: 'Ten times the Levenberg–Marquardt damping: its θ and φ runs part further',
      run: (ctx) =>
        loadAndPlay(
          ctx,
          eachOptimizer(ctx.experiment, (o) =>
            o.damping?.type === 'lm' ? { ...o, damping: { ...o.damping, value: o.damping.value * 10 } } : o,
          ),
        ),
    },
    {
      label: 'Try a trust region',
      title: 'The damped run becomes a Fisher trust-region run: its θ and φ runs coincide',
      run: (ctx) =>
        loadAndPlay(
          ctx,
          eachOptimizer(ctx.experiment, (o) =>
            o.damping?.type === 'lm'
              ? { ...o, damping: { type: 'trust-region', value: o.damping.value } }
              : o,
          ),
        ),
    },
  ],
  'every-rule-is-ngd': [
    {
      label: 'Show κ* per step',
      title: 'The smallest condition number of a metric that makes each step a natural-gradient step',
      run: async (ctx) => {
        ctx.reveal('metrics');
        ctx.play();
        return null;
      },
    },
  ],
  'inductive-bias-lost': [
    {
      label: 'Start from a larger point',
      title:
        'Initial scale 0.5 instead of 0.001: does gradient descent still find a sparse θ? Compare the test error',
      run: (ctx) =>
        loadAndPlay(ctx, { ...ctx.experiment, problem: { ...ctx.experiment.problem, initScale: 0.5 } }),
    },
  ],
  'low-rank-lost': [
    {
      label: 'Try the next seed',
      title:
        'Another target, mask and start (seed + 1): does gradient descent’s W still end nearer rank 1 than natural gradient’s?',
      run: (ctx) => loadAndPlay(ctx, { ...ctx.experiment, seed: (ctx.experiment.seed + 1) % 2 ** 31 }),
    },
  ],
  'kfac-layer-rescaling': [
    {
      label: 'Switch to ReLU unit rescaling',
      title: 'Each hidden unit scaled by α in and 1/α out: also layer-wise, so K-FAC’s runs still coincide',
      run: (ctx) => loadAndPlay(ctx, { ...ctx.experiment, reparam: { id: 'relu-rescale' } }),
    },
  ],
  'digits-kfac-adam': [
    {
      label: 'Mix the layers harder',
      title:
        'B and C of condition number 16 instead of 4: K-FAC’s two runs still train one network, Adam’s part further',
      run: (ctx) => loadAndPlay(ctx, { ...ctx.experiment, reparam: { ...ctx.experiment.reparam, cond: 16 } }),
    },
  ],
  'how-much-fisher': [
    {
      label: 'Switch to layer-wise mixing',
      title:
        'W ↦ BWC per layer: block-diagonal and Kronecker, so K-FAC’s runs coincide as well as the block Fisher’s',
      run: (ctx) => loadAndPlay(ctx, { ...ctx.experiment, reparam: { id: 'layer-scale', cond: 4 } }),
    },
  ],
  'network-landscape': [
    {
      label: 'Slice along random directions',
      title:
        'The landscape along two random filter-normalized directions instead of the runs’ principal ones',
      run: (ctx) => ctx.setView({ ...ctx.experiment.view, directions: 'random' }),
    },
    {
      label: 'Slice along principal directions',
      title: 'The landscape along the runs’ two principal directions (fitted when they pause or finish)',
      run: (ctx) => ctx.setView({ ...ctx.experiment.view, directions: 'pca' }),
    },
  ],
};

/** The experiment without what only changes the view (window, grid, speed, slice directions, colours). */
export function experimentCore(e: Experiment): string {
  const { view: _view, ...rest } = e;
  return JSON.stringify({ ...rest, optimizers: e.optimizers.map(({ color: _c, ...o }) => o) });
}

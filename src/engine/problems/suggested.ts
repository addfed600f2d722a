/**
 * Suggested hyper-parameters of every problem for every optimizer (plain data, tf-free):
 * what an optimizer entry takes when the experiment leaves a key out. Precedence:
 * explicit value > this suggestion > the optimizer's own default > the shared default
 * (optimizers/catalog.ts). `parseExperiment` fills them in (schema.ts), so the page, links
 * and the command line agree.
 *
 * Measured, not guessed (`npx tsx bench/suggest.ts`): each problem's default setup
 * (default parameters, identity map, seed 0) run for 200 steps at every η of a log grid
 * (3e-4, 1e-3, 3e-3, … 3; ×3 apart), undamped and with damping variants for the curvature
 * methods. The suggestion is the largest η that descends with the next grid η (3× larger)
 * also descending, a margin to the edge that was measured. The network problems' curvature
 * methods were measured over fewer steps (K-FAC, diagonal Fisher, Hessian-free 30–200;
 * exact P×P curvature on mlp and matrix-completion, 0.1–3 s a step, only by the unit test's
 * few steps). Where an undamped method does not descend (Newton heads for saddles and
 * maxima on a non-convex loss; a nearly singular Fisher or K-FAC factor makes huge steps),
 * its suggestion carries damping: a Fisher trust region where that suffices (it is
 * coordinate-free, so the method stays natural, docs/theory.md §3), else Levenberg–Marquardt
 * λ — adaptive, or fixed where the adaptive λ shrinks into the concave region (Gaussian fit).
 */
import type { Damping } from '../schema';
import type { OptimizerId } from '../optimizers/ids';

/** What a problem suggests for one optimizer: η always, damping where the method needs it. */
export interface Suggestion {
  lr: number;
  damping?: Damping;
}

/** Keys a suggestion may fill (and choosing another problem in the page resets). */
export const suggestedKeys = ['lr', 'damping'] as const satisfies readonly (keyof Suggestion)[];

const trust = (value: number): Damping => ({ type: 'trust-region', value });
const lm = (value: number): Damping => ({ type: 'lm', value, adaptive: true });
const lmFixed = (value: number): Damping => ({ type: 'lm', value });

type Table = Record<OptimizerId, Suggestion>;
/**
 * The two Fisher approximations added last: block-fisher takes ngd's suggestion;
 * lowrank-fisher ngd's η with ngd's trust region where it has one, else a fixed λ = 1:
 * the complement of the top-k eigenspace then takes a gradient step of η/λ (docs/theory.md
 * §9.2) — with ngd's small λ that blows up, and undamped (the step confined to the top-k
 * space) or with a Fisher trust region it left deep matrix completion's loss rising.
 * Checked by suggested.test.ts (not measured on the grid).
 */
type Measured = Omit<Table, 'block-fisher' | 'lowrank-fisher'>;

const mlpSuggested: Measured = {
  gd: { lr: 0.3 },
  momentum: { lr: 0.3 },
  nesterov: { lr: 0.3 },
  adam: { lr: 0.1 },
  rmsprop: { lr: 0.01 },
  newton: { lr: 0.1, damping: lm(1) },
  ngd: { lr: 0.1, damping: lm(1e-2) },
  ggn: { lr: 0.1, damping: lm(1e-2) },
  'empirical-fisher': { lr: 0.1, damping: lm(1e-2) },
  'diag-fisher': { lr: 0.003 },
  kfac: { lr: 0.1, damping: lm(1) },
  'hessian-free': { lr: 0.3, damping: lm(1e-2) },
};

const measured = {
  'gaussian-fit': {
    gd: { lr: 0.1 },
    momentum: { lr: 0.03 },
    nesterov: { lr: 0.03 },
    adam: { lr: 0.3 },
    rmsprop: { lr: 0.03 },
    newton: { lr: 0.3, damping: lmFixed(1) },
    ngd: { lr: 0.3 },
    ggn: { lr: 0.3, damping: lmFixed(1) },
    'empirical-fisher': { lr: 0.1 },
    'diag-fisher': { lr: 0.3 },
    kfac: { lr: 0.1 },
    'hessian-free': { lr: 0.3 },
  },
  rosenbrock: {
    gd: { lr: 0.003 },
    momentum: { lr: 0.001 },
    nesterov: { lr: 0.001 },
    adam: { lr: 1 },
    rmsprop: { lr: 0.3 },
    newton: { lr: 1, damping: lm(1e-2) },
    ngd: { lr: 0.3 },
    ggn: { lr: 0.3 },
    'empirical-fisher': { lr: 0.1 },
    'diag-fisher': { lr: 0.1 },
    kfac: { lr: 0.1 },
    'hessian-free': { lr: 0.3 },
  },
  'tiny-net': {
    gd: { lr: 1 },
    momentum: { lr: 1 },
    nesterov: { lr: 0.3 },
    adam: { lr: 1 },
    rmsprop: { lr: 0.3 },
    newton: { lr: 0.3, damping: lm(1e-2) },
    ngd: { lr: 0.3 },
    ggn: { lr: 0.3 },
    'empirical-fisher': { lr: 0.001 },
    'diag-fisher': { lr: 0.3 },
    kfac: { lr: 0.3 },
    'hessian-free': { lr: 0.3 },
  },
  quadratic: {
    gd: { lr: 0.03 },
    momentum: { lr: 0.1 },
    nesterov: { lr: 0.03 },
    adam: { lr: 1 },
    rmsprop: { lr: 1 },
    newton: { lr: 0.3 },
    ngd: { lr: 0.3 },
    ggn: { lr: 0.3 },
    'empirical-fisher': { lr: 0.03 },
    'diag-fisher': { lr: 0.3 },
    kfac: { lr: 0.3 },
    'hessian-free': { lr: 0.3 },
  },
  'logistic-2d': {
    gd: { lr: 1 },
    momentum: { lr: 1 },
    nesterov: { lr: 1 },
    adam: { lr: 1 },
    rmsprop: { lr: 1 },
    newton: { lr: 0.1 },
    ngd: { lr: 0.1 },
    ggn: { lr: 0.1 },
    'empirical-fisher': { lr: 1 },
    'diag-fisher': { lr: 0.1 },
    kfac: { lr: 0.3 },
    'hessian-free': { lr: 0.1 },
  },
  mlp: mlpSuggested,
  // digits: gd, adam and kfac measured (200 steps, seed 0, each descends to loss < 0.2 with
  // test accuracy 0.96–0.99; only adam's η differs from mlp's); the rest are mlp's values,
  // checked only to descend over a few steps (suggested.test.ts).
  digits: { ...mlpSuggested, adam: { lr: 0.01 } },
  'matrix-completion': {
    gd: { lr: 1 },
    momentum: { lr: 0.3 },
    nesterov: { lr: 0.3 },
    adam: { lr: 0.3 },
    rmsprop: { lr: 0.03 },
    newton: { lr: 0.1, damping: lm(1e-2) },
    ngd: { lr: 0.1, damping: lm(1e-2) },
    ggn: { lr: 0.1, damping: lm(1e-2) },
    'empirical-fisher': { lr: 0.1, damping: lm(1e-2) },
    'diag-fisher': { lr: 1, damping: lmFixed(1) },
    kfac: { lr: 0.1, damping: lm(1e-2) },
    'hessian-free': { lr: 0.1, damping: lm(1e-2) },
  },
  'sparse-regression': {
    gd: { lr: 0.3 },
    momentum: { lr: 0.3 },
    nesterov: { lr: 0.3 },
    adam: { lr: 0.3 },
    rmsprop: { lr: 0.3 },
    newton: { lr: 1, damping: lm(1) },
    ngd: { lr: 0.3, damping: trust(0.1) },
    ggn: { lr: 0.3, damping: trust(0.1) },
    'empirical-fisher': { lr: 0.3, damping: trust(0.1) },
    'diag-fisher': { lr: 0.1, damping: trust(0.1) },
    kfac: { lr: 0.3, damping: lm(1e-2) },
    'hessian-free': { lr: 0.3 },
  },
} satisfies Record<string, Measured>;

/**
 * Deep matrix completion starts near zero (std 0.1 factors): with λ = 1 the complement's
 * gradient step η/λ = 0.1 left the loss unchanged over the test's 3 steps; λ = 0.1 gives
 * gd's own η = 1 there.
 */
const lowrankOverride: Partial<Record<string, Suggestion>> = {
  'matrix-completion': { lr: 0.1, damping: lmFixed(0.1) },
};

export const suggestions = Object.fromEntries(
  Object.entries(measured).map(([id, t]) => {
    const ngd: Suggestion = t.ngd;
    const lowrank =
      lowrankOverride[id] ??
      (ngd.damping?.type === 'trust-region' ? ngd : { lr: ngd.lr, damping: lmFixed(1) });
    return [id, { ...t, 'block-fisher': ngd, 'lowrank-fisher': lowrank }];
  }),
) as { [K in keyof typeof measured]: Table };

/**
 * Ready scenes for lectures: each a saved Experiment with a two-sentence caption that
 * reproduces a claim of THEORY.md. Plain data; ids are stable (links may name them).
 */
import type { ExperimentInput } from '../engine/schema';

export interface Scene {
  id: string;
  title: string;
  /** Two sentences: what to look at, and why. */
  caption: string;
  /** THEORY.md section it reproduces. */
  theory: string;
  experiment: ExperimentInput;
}

const tinyStart = [0.4, 0.6];

export const scenes: readonly Scene[] = [
  {
    id: 'naturality-square',
    title: 'The naturality square',
    caption:
      'Fit a Gaussian with σ = e^s: gradient descent in (μ, s) and in (μ, σ) take different paths (the dashed run leaves the solid one). Natural gradient gives the same path in both coordinates, up to a defect that shrinks with the step size.',
    theory: '§1, §4',
    experiment: {
      version: 1,
      problem: { id: 'gaussian-fit' },
      reparam: { id: 'exp', coords: [1] },
      optimizers: [
        { id: 'gd', lr: 0.05 },
        { id: 'ngd', lr: 0.05 },
      ],
      steps: 80,
      seed: 3,
      init: [-1, 2],
      view: { grid: 64, stepsPerFrame: 2, stepsPerSecond: 8 },
    },
  },
  {
    id: 'what-each-optimizer-forgives',
    title: 'What each optimizer forgives',
    caption:
      'Rescale the two weights of a tiny network by 10 and 0.1: Adam and gradient descent change their paths, while the diagonal Fisher and natural gradient do not. Compute the naturality table to see every optimizer against every kind of linear map.',
    theory: '§3',
    experiment: {
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'scale', factors: [10, 0.1] },
      optimizers: [
        { id: 'gd', lr: 0.04 },
        { id: 'adam', lr: 0.04 },
        { id: 'diag-fisher', lr: 0.04 },
        { id: 'ngd', lr: 0.04 },
      ],
      steps: 50,
      init: tinyStart,
      view: { grid: 64, stepsPerFrame: 1, stepsPerSecond: 5 },
    },
  },
  {
    id: 'order-of-naturality',
    title: 'Order of naturality',
    caption:
      'Under the nonlinear map θ = φ + 0.3φ³ a natural-gradient Euler step is natural only up to O(η²), so its defect over a fixed time falls like η; the midpoint integrator falls like η². Run the sweep: the fitted slopes are about 1 and 2, and gradient descent’s is 0.',
    theory: '§4',
    experiment: {
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: [
        { id: 'gd', lr: 0.05 },
        { id: 'ngd', lr: 0.05 },
        { id: 'ngd', lr: 0.05, integrator: 'midpoint' },
      ],
      steps: 40,
      init: tinyStart,
      view: { grid: 64, stepsPerFrame: 1, stepsPerSecond: 4 },
    },
  },
  {
    id: 'newton-affine-only',
    title: 'Newton is affine-natural only',
    caption:
      'Newton’s method transforms correctly under any linear change of coordinates, but the Hessian picks up a term in the map’s second derivative under a nonlinear one. Here the map is cubic: Newton’s two runs part while natural gradient’s stay together; switch the map to “linear” and Newton’s coincide.',
    theory: '§2, §4',
    experiment: {
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: [
        { id: 'newton', lr: 0.05 },
        { id: 'ngd', lr: 0.05 },
      ],
      steps: 40,
      init: tinyStart,
      view: { grid: 64, stepsPerFrame: 1, stepsPerSecond: 4 },
    },
  },
  {
    id: 'damping-vs-trust-region',
    title: 'Damping breaks it, trust regions don’t',
    caption:
      'Adding λI to the Fisher stabilises natural gradient but λI is not a tensor, so the damped runs in θ and φ differ, more as λ grows. A trust region ½δᵀFδ ≤ r limits the step in the Fisher’s own norm and stays exactly natural.',
    theory: '§3',
    experiment: {
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'scale', factors: [10, 0.1] },
      optimizers: [
        { id: 'ngd', lr: 0.04, damping: { type: 'lm', value: 1e-3 } },
        { id: 'ngd', lr: 0.04, damping: { type: 'trust-region', value: 1e-3 } },
      ],
      steps: 50,
      init: tinyStart,
      view: { grid: 64, stepsPerFrame: 1, stepsPerSecond: 5 },
    },
  },
  {
    id: 'every-rule-is-ngd',
    title: 'Every rule is natural gradient',
    caption:
      'Any descent step is a natural-gradient step for some metric; κ* is the smallest condition number such a metric can have. Gradient descent needs none (κ* = 1), Adam and momentum need badly conditioned ones, and momentum sometimes steps uphill, where no metric exists.',
    theory: '§5',
    experiment: {
      version: 1,
      problem: { id: 'quadratic', cond: 100, angle: 30 },
      optimizers: [
        { id: 'gd', lr: 0.009 },
        { id: 'adam', lr: 0.05 },
        { id: 'momentum', lr: 0.009, momentum: 0.9 },
      ],
      steps: 80,
      view: { grid: 64, stepsPerFrame: 1, stepsPerSecond: 8 },
    },
  },
  {
    id: 'inductive-bias-lost',
    title: 'Inductive bias lost',
    caption:
      'Logistic regression with 40 weights written as θ = u⊙u − v⊙v: gradient descent from a small start finds a sparse θ and generalizes (test accuracy about 0.9). Natural gradient is blind to the parameterization, so it loses that preference and generalizes like a plain linear model (about 0.65): compare the test error and the sorted |θ|.',
    theory: '§6',
    experiment: {
      version: 1,
      problem: { id: 'sparse-regression', d: 40, n: 15, param: 'diagonal', initScale: 1e-3 },
      optimizers: [
        { id: 'gd', lr: 0.5 },
        { id: 'ngd', lr: 0.2, damping: { type: 'lm', value: 1e-3 } },
      ],
      steps: 300,
      view: { grid: 32, stepsPerFrame: 10, stepsPerSecond: 30 },
    },
  },
  {
    id: 'kfac-layer-rescaling',
    title: 'K-FAC and layer rescaling',
    caption:
      'K-FAC approximates the Fisher layer by layer as a Kronecker product, which transforms correctly when each layer is mixed as W ↦ BWC, b ↦ bC. So K-FAC’s two runs coincide under this layer-wise map while gradient descent’s drift apart.',
    theory: '§3',
    experiment: {
      version: 1,
      problem: { id: 'mlp', dataset: 'xor', hidden: [2], n: 64, testFraction: 0.25 },
      reparam: { id: 'layer-scale', cond: 4 },
      optimizers: [
        { id: 'gd', lr: 0.2 },
        { id: 'kfac', lr: 0.1 },
      ],
      steps: 60,
      // Undamped K-FAC amplifies round-off where a hidden unit's sensitivities vanish; this
      // seed's net stays well conditioned, so what the scene shows is naturality, not noise.
      seed: 7,
      view: { grid: 32, stepsPerFrame: 1, stepsPerSecond: 6 },
    },
  },
  {
    id: 'network-landscape',
    title: 'A network’s landscape',
    caption:
      'A 2-16-16-1 network on the spiral has 337 parameters, so the picture is a 2-D slice through the start: along random filter-normalized directions while the runs train, then along the runs’ two principal directions when they pause or finish. The trajectories are projected onto the slice, and the projection error says how much of each run the picture leaves out.',
    theory: '§7',
    experiment: {
      version: 1,
      problem: { id: 'mlp', dataset: 'spiral' },
      optimizers: [
        { id: 'gd', lr: 0.5 },
        { id: 'adam', lr: 0.01 },
      ],
      steps: 300,
      view: { grid: 48, stepsPerFrame: 5, stepsPerSecond: 30 },
    },
  },
];

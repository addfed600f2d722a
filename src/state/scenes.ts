/**
 * Ready scenes for lectures: each a saved Experiment with a two-sentence caption that
 * reproduces a claim of docs/theory.md, and a sentence filled in from the finished run's
 * measurements (`result`). Ids are stable (links may name them).
 */
import type { ExperimentInput } from '../engine/page';
import type { CaptionPart, SceneMeasure } from './scene-measure';

export interface Scene {
  id: string;
  title: string;
  /** Two sentences: what to look at, and why. */
  caption: string;
  /**
   * The claim with the numbers this run measured (defects, κ*, losses), filled in once the
   * run is done; verdict words come from state/verdict.ts like the defect table's.
   */
  result: (m: SceneMeasure) => CaptionPart[];
  /** docs/theory.md sections it reproduces (named in the Why panel). */
  theory: string;
  experiment: ExperimentInput;
}

/** "coincide (D_K = 1.20e-7)" for optimizer i: the defect table's verdict and number. */
const pair = (m: SceneMeasure, i: number): CaptionPart[] => [m.verdict(i), ' (D_K = ', m.defect(i), ')'];
/** "η = 0.05 over 40 steps" for optimizer i. */
const at = (m: SceneMeasure, i: number): CaptionPart[] => ['η = ', m.lr(i), ` over ${m.steps} steps`];
/** "median κ* 1.06, max 3.19, 26 uphill steps" for a run. */
const kappas = (m: SceneMeasure, id: string): CaptionPart[] => {
  const k = m.kappa(id);
  const up = k?.uphill ?? 0;
  return [
    'median κ* ',
    m.kappaMedian(id),
    ', max ',
    m.kappaMax(id),
    up === 0 ? ', no step uphill' : [', but ', m.uphill(id), ` step${up === 1 ? '' : 's'} went uphill`],
  ].flat();
};

const tinyStart = [0.4, 0.6];

export const scenes: readonly Scene[] = [
  {
    id: 'naturality-square',
    title: 'The naturality square',
    caption:
      'Fit a Gaussian once in (μ, σ) and once in (μ, log σ): gradient descent takes different paths in the two (the dashed run leaves the solid one). Natural gradient gives the same path in both coordinates, up to a defect that shrinks with the step size η.',
    result: (m) => [
      'Measured at ',
      ...at(m, 0),
      `: ${m.label(0)}’s two runs `,
      ...pair(m, 0),
      `; ${m.label(1)}’s `,
      ...pair(m, 1),
      '. The second number depends on η: halve it and it roughly halves.',
    ],
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
      view: {
        grid: 64,
        stepsPerFrame: 2,
        stepsPerSecond: 8,
        geometry: { fisher: true, implied: true, arrows: true },
      },
    },
  },
  {
    id: 'what-each-optimizer-forgives',
    title: 'What each optimizer forgives',
    caption:
      'Rescale the two weights a, b of a tiny network by 10 and 0.1: Adam and gradient descent change their paths, while the diagonal Fisher and natural gradient do not. Compute the naturality table to see every optimizer against every kind of linear map.',
    result: (m) => [
      'Measured at ',
      ...at(m, 0),
      `: ${m.label(0)} `,
      ...pair(m, 0),
      `, ${m.label(1)} `,
      ...pair(m, 1),
      `, ${m.label(2)} `,
      ...pair(m, 2),
      `, ${m.label(3)} `,
      ...pair(m, 3),
      '. A linear map has no O(η) excuse: the last two agree at any η, to float32 round-off.',
    ],
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
      'Under the nonlinear map θ = φ + 0.3φ³ a natural-gradient Euler step is natural only up to O(η²), so its defect over a fixed time falls like η; the midpoint integrator’s falls like η². Run the sweep: it fits the slopes of log D_K against log η (expected about 1 and 2, and 0 for gradient descent).',
    result: (m) => [
      'At this one step size, ',
      ...at(m, 0),
      `: ${m.label(0)} `,
      ...pair(m, 0),
      `, ${m.label(1)} `,
      ...pair(m, 1),
      `, ${m.label(2)} `,
      ...pair(m, 2),
      '. The order shows only across η: that is the sweep’s slope.',
    ],
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
      'Newton’s method transforms correctly under any linear change of coordinates, but the Hessian picks up a term in the map’s second derivative under a nonlinear one. Here the map is cubic, θ = φ + 0.3φ³: compare Newton’s two runs with natural gradient’s, then switch the map to “linear” and Newton’s coincide.',
    result: (m) => [
      'Measured at ',
      ...at(m, 0),
      `: ${m.label(0)}’s runs `,
      ...pair(m, 0),
      ` — the Hessian’s extra term changes its flow, so this does not vanish as η → 0; ${m.label(1)}’s `,
      ...pair(m, 1),
      ', an O(η) defect of the Euler step that shrinks with η.',
    ],
    theory: '§2, §4',
    experiment: {
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'cubic', a: 0.3 },
      // Undamped on purpose (the problem's suggestion damps Newton): λI would hide the point.
      optimizers: [
        { id: 'newton', lr: 0.05, damping: { type: 'none', value: 0 } },
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
    result: (m) => [
      'Measured with λ = r = 10⁻³ at ',
      ...at(m, 0),
      `: ${m.label(0)} `,
      ...pair(m, 0),
      `; ${m.label(1)} `,
      ...pair(m, 1),
      '.',
    ],
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
      'Any descent step is a natural-gradient step for some metric; κ* is the smallest condition number such a metric can have (κ* = 1: a plain gradient step). A step that goes uphill beyond float32 round-off has no such metric and is marked ×.',
    result: (m) => [
      `Measured over ${m.steps} steps on this quadratic (κ = 100): ${m.label(0)} `,
      ...kappas(m, 'gd-0-theta'),
      `; ${m.label(2)} `,
      ...kappas(m, 'momentum-2-theta'),
      ' — it overshoots across the valley and comes back; ',
      `${m.label(1)} `,
      ...kappas(m, 'adam-1-theta'),
      '. Most of momentum’s steps are nearly gradient steps; its uphill ones are what no metric explains.',
    ],
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
      view: {
        grid: 64,
        stepsPerFrame: 1,
        stepsPerSecond: 8,
        geometry: { fisher: true, implied: true, arrows: true },
      },
    },
  },
  {
    id: 'inductive-bias-lost',
    title: 'Inductive bias lost',
    caption:
      'Logistic regression with 40 weights written as w = u⊙u − v⊙v (the parameters θ are u and v): gradient descent from a small start finds a sparse w and generalizes. Natural gradient is blind to the parameterization, so it loses that preference and generalizes like a plain linear model: compare the test error and the sorted |w|.',
    result: (m) => [
      `Measured after ${m.steps} steps: ${m.label(0)} test accuracy `,
      m.testAccuracy('gd-0-theta'),
      ', its largest |w| holds ',
      m.topShare('gd-0-theta'),
      ` of Σ|w|; ${m.label(1)} test accuracy `,
      m.testAccuracy('ngd-1-theta'),
      ', largest |w| ',
      m.topShare('ngd-1-theta'),
      ' of Σ|w|.',
    ],
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
      'K-FAC approximates the Fisher layer by layer as a Kronecker product, which transforms correctly when each layer is mixed as W ↦ BWC, b ↦ bC. So K-FAC’s two runs agree under this layer-wise map while gradient descent’s do not.',
    result: (m) => [
      'Measured at ',
      ...at(m, 0),
      `: ${m.label(0)}’s runs `,
      ...pair(m, 0),
      `; ${m.label(1)}’s `,
      ...pair(m, 1),
      '.',
    ],
    theory: '§3',
    experiment: {
      version: 1,
      problem: { id: 'mlp', dataset: 'xor', hidden: [2], n: 64, testFraction: 0.25 },
      reparam: { id: 'layer-scale', cond: 4 },
      optimizers: [
        { id: 'gd', lr: 0.2 },
        { id: 'kfac', lr: 0.1, damping: { type: 'none', value: 0 } },
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
      'A 2-16-16-1 network on the spiral has 337 parameters, so the picture is a 2-D slice through the start: along random filter-normalized directions while the runs train, then along the plane of the runs’ two main directions when they pause or finish. The note under the plot says how much of the runs’ movement that plane holds and which runs it leaves out.',
    result: (m) => [
      `Measured after ${m.steps} steps: final loss ${m.label(0)} `,
      m.loss('gd-0-theta'),
      ` (η = `,
      m.lr(0),
      `), ${m.label(1)} `,
      m.loss('adam-1-theta'),
      ' (η = ',
      m.lr(1),
      '). Both depend on η and on the horizon: the picture is one run of each.',
    ],
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
  {
    id: 'low-rank-lost',
    title: 'Low rank for free — and lost',
    caption:
      'Fit W = W₃W₂W₁, three 10×10 factors from a start of std 0.1, to 40 of the 100 entries of a rank-1 matrix: every run fits the seen entries, and gradient descent’s W ends close to rank 1, so it also fills in the unseen ones. Natural gradient follows the same flow however W is factored, so it loses that preference: its W keeps more singular values and misses the unseen entries, with Adam in between.',
    result: (m) => [
      `Measured after ${m.steps} steps (largest singular values of W; effective rank (Σσ)²/Σσ², 1 for rank 1; relative error on the unseen entries): ${m.label(0)} `,
      m.singularValues('gd-0-theta', 3),
      ', rank ',
      m.effectiveRank('gd-0-theta'),
      ', error ',
      m.unobservedError('gd-0-theta'),
      `; ${m.label(1)} `,
      m.singularValues('adam-1-theta', 3),
      ', rank ',
      m.effectiveRank('adam-1-theta'),
      ', error ',
      m.unobservedError('adam-1-theta'),
      `; ${m.label(2)} `,
      m.singularValues('ngd-2-theta', 3),
      ', rank ',
      m.effectiveRank('ngd-2-theta'),
      ', error ',
      m.unobservedError('ngd-2-theta'),
      '. Over seeds 0–4 gradient descent’s effective rank stayed below natural gradient’s in all 5, but it got close to rank 1 and filled in the unseen entries in only 3.',
    ],
    theory: '§6',
    experiment: {
      version: 1,
      problem: { id: 'matrix-completion', size: 10, depth: 3, rank: 1, observed: 0.4, initStd: 0.1 },
      optimizers: [
        { id: 'gd', lr: 2 },
        { id: 'adam', lr: 0.01 },
        { id: 'ngd', lr: 0.5, damping: { type: 'lm', value: 1e-3 } },
      ],
      steps: 1500,
      seed: 2,
      view: { grid: 32, stepsPerFrame: 10, stepsPerSecond: 150 },
    },
  },
  {
    id: 'digits-kfac-adam',
    title: 'K-FAC and Adam on real digits under a layer rescaling',
    caption:
      'A 64-16-10 network learns 1,500 8×8 handwritten digits, once in θ and once with every layer mixed as W ↦ BWC, b ↦ bC. K-FAC transforms with such maps, so its two runs train the same network (the same loss at every step); Adam rescales each coordinate on its own, so its two runs learn differently.',
    result: (m) => [
      `Measured over ${m.steps} steps: ${m.label(0)}’s θ- and φ-run losses differ by at most `,
      m.lossGap(0),
      `, ${m.label(1)}’s by `,
      m.lossGap(1),
      `. Test accuracy: ${m.label(0)} `,
      m.testAccuracy('kfac-0-theta'),
      ' and ',
      m.testAccuracy('kfac-0-phi'),
      `, ${m.label(1)} `,
      m.testAccuracy('adam-1-theta'),
      ' and ',
      m.testAccuracy('adam-1-phi'),
      '. K-FAC’s parameters may still part along directions the training images do not see (pixels blank in all of them, a common shift of all ten logits); test digits can see the pixels, so its two test accuracies may differ a little.',
    ],
    theory: '§3',
    experiment: {
      version: 1,
      // The default 1,500/297 split; 16 hidden units keep undamped K-FAC's θ/φ loss gap at
      // float32 round-off over the 30 steps (relative 3.6e-5 on wasm, seed 1; 2e-3 to 6e-3
      // with 32 units, whose pseudo-inverse steps amplify round-off more).
      problem: { id: 'digits', hidden: [16] },
      reparam: { id: 'layer-scale', cond: 4 },
      optimizers: [
        { id: 'kfac', lr: 0.1, damping: { type: 'none', value: 0 } },
        { id: 'adam', lr: 0.01 },
      ],
      steps: 30,
      seed: 1,
      view: { grid: 32, stepsPerFrame: 1, stepsPerSecond: 6 },
    },
  },
  {
    id: 'how-much-fisher',
    title: 'How much of the Fisher do you need?',
    caption:
      'Each approximation of the Fisher is natural for exactly the maps whose Jacobian keeps its structure: here θ = Aφ mixes the coordinates within each layer ([W; b] together) and none across. The block-diagonal Fisher keeps those blocks, so its runs agree; the diagonal Fisher keeps less, K-FAC keeps a Kronecker structure this map does not have, and gradient descent keeps none.',
    result: (m) => [
      'Measured at η as set over ',
      `${m.steps} steps: `,
      ...[0, 1, 2, 3].flatMap((i) => [`${m.label(i)}’s runs `, ...pair(m, i), '; ']),
      `${m.label(4)}’s `,
      ...pair(m, 4),
      m.defectValue(4) < 1e-4
        ? ' (with a Fisher trust region, which is coordinate-free): the exact Fisher keeps every structure.'
        : ' — NGD is natural for this map too; a difference this large is float32 round-off amplified by a nearly singular Fisher (docs/theory.md §9.1).',
    ],
    theory: '§9.1',
    experiment: {
      version: 1,
      problem: { id: 'mlp', dataset: 'xor', hidden: [2], n: 64, testFraction: 0.25 },
      reparam: { id: 'block-mixing', cond: 4 },
      optimizers: [
        { id: 'gd', lr: 0.2 },
        { id: 'diag-fisher', lr: 0.05, damping: { type: 'none', value: 0 } },
        { id: 'kfac', lr: 0.1, damping: { type: 'none', value: 0 } },
        { id: 'block-fisher', lr: 0.1, damping: { type: 'none', value: 0 } },
        // A Fisher-norm trust region is coordinate-free, so NGD stays natural (docs/theory.md
        // §3); undamped, this net's nearly singular full Fisher amplifies round-off (§9.1).
        { id: 'ngd', lr: 0.1, damping: { type: 'trust-region', value: 1e-4 } },
      ],
      steps: 60,
      // The start of the K-FAC scene: a well-conditioned net for the blocks.
      seed: 7,
      view: { grid: 32, stepsPerFrame: 1, stepsPerSecond: 6 },
    },
  },
];

/**
 * The first view of a first visit (no link, nothing saved; client/startup.ts), played at
 * once: the naturality square, θ and φ side by side, gradient descent parting from its
 * φ-run while natural gradient's coincide.
 */
export const firstView = scenes[0] as Scene;

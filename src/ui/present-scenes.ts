/**
 * Presentation mode's choices per scene: the one secondary plot the scene's caption is
 * about (shown beside the landscapes; a key cycles the others), and the caption as one
 * sentence that fits one or two lines on a projector. Keyed by scene id (state/scenes.ts).
 */
import { STEP_METRICS_MAX_P } from '../engine/page';
import type { LabState } from '../state/store';
import { hasReport } from './plots/ReportPlot';
export type Secondary = 'loss' | 'defect' | 'metrics' | 'report' | 'sweep' | 'table';

/** Every secondary plot, in the order the cycle key visits them after the scene's own. */
export const secondaries: readonly Secondary[] = ['loss', 'defect', 'metrics', 'report', 'sweep', 'table'];

export const secondaryNames: Readonly<Record<Secondary, string>> = {
  loss: 'loss',
  defect: 'naturality defect',
  metrics: 'implied metric κ*',
  report: 'test error and spectrum',
  sweep: 'defect vs η sweep',
  table: 'naturality table',
};

export interface PresentScene {
  plot: Secondary;
  line: string;
}

export const presentScenes: Readonly<Record<string, PresentScene>> = {
  'naturality-square': {
    plot: 'defect',
    line: 'Gradient descent takes different paths in (μ, σ) and in (μ, log σ); natural gradient takes the same path in both, up to O(η).',
  },
  'what-each-optimizer-forgives': {
    plot: 'table',
    line: 'Rescale the weights by 10 and 0.1: Adam and gradient descent change their paths, the diagonal Fisher and natural gradient do not.',
  },
  'order-of-naturality': {
    plot: 'sweep',
    line: 'Under θ = φ + 0.3φ³ natural gradient’s defect falls like η with Euler steps and like η² with the midpoint rule.',
  },
  'newton-affine-only': {
    plot: 'defect',
    line: 'Newton is natural under linear maps only: under this cubic map its two runs part, while natural gradient’s agree.',
  },
  'damping-vs-trust-region': {
    plot: 'defect',
    line: 'Damping the Fisher with λI breaks naturality (its two runs differ); a trust region in the Fisher’s own norm keeps it.',
  },
  'every-rule-is-ngd': {
    plot: 'metrics',
    line: 'Every descent step is a natural-gradient step for some metric; κ* is that metric’s best condition number (1: plain gradient).',
  },
  'inductive-bias-lost': {
    plot: 'report',
    line: 'Written as w = u⊙u − v⊙v, gradient descent finds a sparse w and generalizes; natural gradient loses that preference.',
  },
  'kfac-layer-rescaling': {
    plot: 'defect',
    line: 'K-FAC’s Kronecker-factored Fisher transforms correctly under a layer-wise map: its two runs agree, gradient descent’s do not.',
  },
  'network-landscape': {
    plot: 'loss',
    line: 'A 337-parameter network on the spiral, seen through a 2-D slice of its landscape, beside each run’s decision regions.',
  },
  'how-much-fisher': {
    plot: 'defect',
    line: 'Mixing within layers: the block-diagonal Fisher and exact NGD keep their runs together; GD, diagonal Fisher and K-FAC do not.',
  },
  'digits-kfac-adam': {
    plot: 'loss',
    line: 'Real handwritten digits under a layer-wise mixing: K-FAC’s two runs train one classifier, Adam’s two do not.',
  },
  'low-rank-lost': {
    plot: 'report',
    line: 'Fitting a rank-1 matrix as W₃W₂W₁: gradient descent’s W ends near rank 1 and fills in unseen entries; natural gradient’s does not.',
  },
};

/**
 * The secondary plots to offer, the scene's own first (loss when there is no scene or its
 * plot is not available here), then the others available in `secondaries` order.
 */
export function secondaryCycle(scene: string | null, available: readonly Secondary[]): Secondary[] {
  const own = scene ? presentScenes[scene]?.plot : undefined;
  const first = own && available.includes(own) ? own : 'loss';
  return [first, ...secondaries.filter((s) => s !== first && available.includes(s))];
}

/** The secondary plots the experiment on screen can show. */
export function availableSecondaries(s: LabState): Secondary[] {
  const out: Secondary[] = ['loss'];
  if (Object.keys(s.defects).length > 0) out.push('defect');
  if (s.paramNames.length > 0 && s.paramNames.length <= STEP_METRICS_MAX_P) out.push('metrics');
  if (hasReport(s.experiment?.problem.id)) out.push('report');
  if (s.windows?.phi != null) out.push('sweep');
  if (s.experiment !== null) out.push('table');
  return out;
}

/** The plot a caption action's panel ('sweep', 'table', 'metrics') is, if it is one. */
export const asSecondary = (panel: string | undefined): Secondary | null =>
  panel !== undefined && (secondaries as readonly string[]).includes(panel) ? (panel as Secondary) : null;

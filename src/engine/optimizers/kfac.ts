/**
 * `kfac`: Kronecker-factored natural gradient (Martens & Grosse 2015), p' = p − η F̃⁻¹g with
 * F̃ block-diagonal over the problem's dense layers, each block A ⊗ G (curvature/kfac.ts).
 * Natural for per-layer maps W ↦ BWC (b ↦ bC), not for maps that mix layers or entries
 * arbitrarily (docs/theory.md §3). Without a layer layout (2-parameter problems) it has one block
 * equal to the Fisher, i.e. it is `ngd` with running-average curvature.
 *
 * Per run: factors are running averages A ← decay·A + (1 − decay)·A_new (the first step
 * takes A_new), decomposed every `inversePeriod` steps and reused in between (with period
 * 1 a damped step solves by Cholesky of the fresh factors instead: the same step, cheaper).
 * A θ-run of a dense network takes its gradient and factors from one forward pass, and so
 * does its φ-run through a layer-wise map (θ's transformed: curvature/kfac.ts). Damping
 * `lm` is π-adjusted factored damping with γ = √λ (adaptive λ by gain ratio as for the
 * other methods); `trust-region` bounds ½ΔᵀF̃Δ; none: the factors' pseudo-inverses.
 * `fisher`: 'exact' (default) takes the Fisher's expectation over the model's predictive
 * distribution (C rows per example); 'sampled' the Monte-Carlo Fisher of Martens & Grosse
 * §5, one target per example drawn from it (N rows; dense networks only): an unbiased
 * estimator of the exact factors' expectations, not equal to them (docs/theory.md §7).
 * Defaults: η = 0.1, decay 0.95, inversePeriod 1, fisher 'exact'.
 */
import {
  blendFactors,
  gradientAndKfacFactorsAt,
  hasFusedKfac,
  kfacFactorsAt,
  blocksOf,
} from './curvature/kfac';
import type { KroneckerFactors, LayerBlock } from './curvature/kfac';
import { decomposeFactors, kroneckerMetric } from './curvature/kronecker';
import type { Objective } from '../objective';
import type { Hyper } from './optimizer';
import { secondOrder } from './second-order';
import { kfacCodec, type KfacState } from './kfac-state';
import { optimizerCatalog } from './catalog';
import { tf, type Tensor2D } from '../tf';
import { makeRng, subSeed } from '../random';
import type { LabelDraws } from '../problems/dense-grad';

/**
 * The sampled Fisher's random numbers for a run's step `step` (its state's step count): a
 * stream of the experiment's seed and the step only, so a restored run draws what it would
 * have drawn, and the θ- and φ-runs of a pair (the same seed, the same step) draw the same
 * numbers, hence the same labels while their predictive distributions agree. Undefined for
 * the exact Fisher (the default).
 */
function labelDraws(hyper: Hyper, step: number): LabelDraws | undefined {
  if (hyper.fisher !== 'sampled') return undefined;
  const rng = makeRng(subSeed(hyper.seed, `kfac labels ${step}`));
  const take = (n: number, draw: () => number): Float32Array => Float32Array.from({ length: n }, draw);
  return {
    uniform: (n) => tf.tensor2d(take(n, rng.next), [n, 1]) as Tensor2D,
    normal: (n, k) =>
      tf.tensor2d(
        take(n * k, () => rng.normal()),
        [n, k],
      ) as Tensor2D,
  };
}

/**
 * Fold fresh factors into the row's state and return its metric. With inversePeriod 1 the
 * factors are fresh every step and never decomposed ahead (kronecker.ts solves a damped
 * step by Cholesky); otherwise they are decomposed every `inversePeriod` steps.
 */
function update(
  obj: Objective,
  blocks: readonly LayerBlock[],
  hyper: Hyper,
  state: KfacState,
  fresh: KroneckerFactors[],
) {
  state.factors = blendFactors(state.factors, fresh, hyper.decay);
  const period = Math.max(1, hyper.inversePeriod);
  if (period === 1) state.inverses = null;
  else if (!state.inverses || state.steps % period === 0) state.inverses = decomposeFactors(state.factors);
  state.steps += 1;
  return kroneckerMetric(obj.P, blocks, state.factors, state.inverses);
}

export const kfac = secondOrder<KfacState>({
  ...optimizerCatalog.kfac,
  initState: () => ({ steps: 0, factors: null, inverses: null }),
  stateCodec: kfacCodec,
  metric: async (obj, row, { hyper, state }) => {
    const blocks = blocksOf(obj);
    const draws = labelDraws(hyper, state.steps);
    return update(obj, blocks, hyper, state, await kfacFactorsAt(obj, row, blocks, draws));
  },
  // A dense network's θ-run, or φ-run through a layer-wise map: one forward pass, one read.
  withGradient: {
    applies: (obj) => hasFusedKfac(obj, blocksOf(obj)),
    at: async (obj, row, { hyper, state }) => {
      const blocks = blocksOf(obj);
      const both = await gradientAndKfacFactorsAt(obj, row, blocks, labelDraws(hyper, state.steps));
      if (!both) throw new Error('K-FAC: the fused path does not apply to this objective');
      const finite = both.g.every(Number.isFinite);
      return { g: both.g, metric: finite ? update(obj, blocks, hyper, state, both.factors) : null };
    },
  },
});

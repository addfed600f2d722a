/**
 * `kfac`: Kronecker-factored natural gradient (Martens & Grosse 2015), p' = p − η F̃⁻¹g with
 * F̃ block-diagonal over the problem's dense layers, each block A ⊗ G (curvature/kfac.ts).
 * Natural for per-layer maps W ↦ BWC (b ↦ bC), not for maps that mix layers or entries
 * arbitrarily (THEORY §3). Without a layer layout (2-parameter problems) it has one block
 * equal to the Fisher, i.e. it is `ngd` with running-average curvature.
 *
 * Per run: factors are running averages A ← decay·A + (1 − decay)·A_new (the first step
 * takes A_new), decomposed every `inversePeriod` steps and reused in between. Damping
 * `lm` is π-adjusted factored damping with γ = √λ (adaptive λ by gain ratio as for the
 * other methods); `trust-region` bounds ½ΔᵀF̃Δ; none: the factors' pseudo-inverses.
 * Defaults: η = 0.1, decay 0.95, inversePeriod 1.
 */
import { blendFactors, kfacFactorsAt, layerBlocks } from './curvature/kfac';
import { decomposeFactors, kroneckerMetric } from './curvature/kronecker';
import { secondOrder } from './second-order';
import { kfacCodec, type KfacState } from './kfac-state';
import { optimizerCatalog } from './catalog';

export const kfac = secondOrder<KfacState>({
  ...optimizerCatalog.kfac,
  initState: () => ({ steps: 0, factors: null, inverses: null }),
  stateCodec: kfacCodec,
  metric: async (obj, row, { hyper, state }) => {
    const blocks = layerBlocks(obj.problem.layers, obj.P);
    const fresh = await kfacFactorsAt(obj, row, blocks);
    state.factors = blendFactors(state.factors, fresh, hyper.decay);
    if (!state.inverses || state.steps % Math.max(1, hyper.inversePeriod) === 0) {
      state.inverses = decomposeFactors(state.factors);
    }
    state.steps += 1;
    return kroneckerMetric(obj.P, blocks, state.factors, state.inverses);
  },
});

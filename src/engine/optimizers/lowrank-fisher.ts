/**
 * `lowrank-fisher`: F ≈ V_k diag(μ_k) V_kᵀ + λI from the top-k eigenpairs of the exact
 * Fisher (rank k = `rank`), p' = p − η (V_k diag(μ_k) V_kᵀ + λI)⁻¹ g (docs/theory.md §9.2).
 * λ is the damping (`lm`); without it the λI part is 0 and the solve is the
 * pseudo-inverse, the step confined to span(V_k).
 *
 * Natural only for orthogonal maps: the eigenvectors of a (0,2)-tensor are defined by the
 * Euclidean inner product, and λI is Euclidean. As k → rank F (and λ → 0) it becomes
 * `ngd`, natural for every invertible affine map; the defect as a function of k is what
 * the lab measures.
 *
 * The eigenpairs come from the smaller of the two Gram matrices of the Fisher factor U
 * [m, P]: UUᵀ/N (m × m, then v = Uᵀw/√(Nμ)) when m < P, else F = UᵀU/N. Eigenvalues
 * below 1e-12·μ_max count as zero. Default η = 0.1 (shared), k = 2.
 */
import { allFinite, dot, gram, matTVec, nanVec, rowGram, type Vec } from '../linalg/dense';
import { eigh } from '../linalg/eigen';

import { fisherFactor, type Factor } from './curvature/fisher';
import type { Metric } from './curvature/metric';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

/** The top-k eigenpairs of F = UᵀU/N (eigenvalues descending, unit eigenvectors). */
export function topFisherEigenpairs(f: Factor, k: number): { values: Vec; vectors: Vec[] } {
  const m = f.U.length;
  if (m < f.P) {
    const { values, vectors } = eigh(rowGram(f.U, 1 / f.N));
    const out: { values: Vec; vectors: Vec[] } = { values: [], vectors: [] };
    for (let i = values.length - 1; i >= 0 && out.values.length < k; i--) {
      const mu = values[i] as number;
      const w = vectors[i] as Vec;
      const v = matTVec(f.U, w, f.P);
      const norm = Math.sqrt(dot(v, v));
      if (!(norm > 0) || !(mu > 0)) continue;
      out.values.push(mu);
      out.vectors.push(v.map((x) => x / norm));
    }
    return out;
  }
  const { values, vectors } = eigh(gram(f.U, f.P, 1 / f.N));
  const idx = values.map((_, i) => values.length - 1 - i).slice(0, k);
  return { values: idx.map((i) => values[i] as number), vectors: idx.map((i) => vectors[i] as Vec) };
}

/** The low-rank Fisher V diag(μ) Vᵀ as a Metric; solves add λI (pseudo-inverse at λ = 0). */
export function lowRankMetric(P: number, values: Vec, vectors: Vec[], rcond = 1e-12): Metric {
  const top = Math.max(0, ...values);
  const keep = values.map((mu) => mu > rcond * top);
  const coeffs = (v: Vec): Vec => vectors.map((u) => dot(u, v));
  const combine = (c: Vec): Vec => {
    const out = new Array<number>(P).fill(0);
    vectors.forEach((u, i) => {
      const ci = c[i] as number;
      for (let j = 0; j < P; j++) out[j] = (out[j] as number) + ci * (u[j] as number);
    });
    return out;
  };
  return {
    P,
    apply: (v) => combine(coeffs(v).map((c, i) => (keep[i] ? c * (values[i] as number) : 0))),
    solve: (b, lambda) => {
      if (!allFinite(b) || !allFinite(values) || !Number.isFinite(lambda))
        return { x: nanVec(P), method: 'non-finite' };
      const c = coeffs(b);
      if (lambda > 0) {
        // (VμVᵀ + λI)⁻¹b = V (μ + λ)⁻¹ Vᵀb + (b − VVᵀb)/λ.
        const inRange = combine(c.map((ci, i) => ci / ((keep[i] ? (values[i] as number) : 0) + lambda)));
        const proj = combine(c);
        return {
          x: b.map((bi, j) => (inRange[j] as number) + (bi - (proj[j] as number)) / lambda),
          method: 'eigen',
        };
      }
      const x = combine(c.map((ci, i) => (keep[i] ? ci / (values[i] as number) : 0)));
      const full = vectors.length === P && keep.every(Boolean);
      return { x, method: full ? 'eigen' : 'pinv' };
    },
  };
}

export const lowrankFisher = secondOrder({
  ...optimizerCatalog['lowrank-fisher'],
  metric: async (obj, row, { hyper }) => {
    const f = await fisherFactor(obj, row);
    const { values, vectors } = topFisherEigenpairs(f, Math.min(hyper.rank, obj.P));
    return lowRankMetric(obj.P, values, vectors);
  },
});

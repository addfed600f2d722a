/**
 * The K-FAC curvature as a `Metric`: block-diagonal over layers, each block A ⊗ G acting
 * on W̄ [rows, cols] as V ↦ A V G. Solves use eigen-decompositions of the factors (taken
 * every `inversePeriod` steps, so any λ costs no new decomposition) with π-adjusted
 * factored damping (Martens & Grosse 2015, §6.3): (A + π√λ I) ⊗ (G + (√λ/π) I),
 * π = √((tr A / rows) / (tr G / cols)). Undamped, near-zero factor eigenvalues are dropped
 * (the pseudo-inverse of each factor).
 */
import { allFinite, nanVec, type Mat, type Vec } from '../../linalg/dense';
import { eigh, type SymmetricEigen } from '../../linalg/eigen';
import type { Metric } from './metric';
import type { KroneckerFactors, LayerBlock } from './kfac';

/** The decomposed factors of one block, ready for any damping. */
export interface KroneckerInverse {
  A: SymmetricEigen;
  G: SymmetricEigen;
  pi: number;
}

const trace = (M: Mat): number => M.reduce((s, r, i) => s + (r[i] as number), 0);

/** Decompose every block's factors (the expensive part, every `inversePeriod` steps). */
export function decomposeFactors(factors: readonly KroneckerFactors[]): KroneckerInverse[] {
  return factors.map(({ A, G }) => {
    const ta = trace(A) / A.length;
    const tg = trace(G) / G.length;
    const pi = ta > 0 && tg > 0 ? Math.sqrt(ta / tg) : 1;
    return { A: eigh(A), G: eigh(G), pi };
  });
}

/** Q diag(1/(λᵢ + shift)) Qᵀ applied to the columns of X (rows × k), dropping tiny λᵢ when shift = 0. */
function applyInverse(e: SymmetricEigen, shift: number, X: Mat, rcond: number): { Y: Mat; dropped: boolean } {
  const n = e.values.length;
  const k = X[0]?.length ?? 0;
  const top = Math.max(0, ...e.values.map(Math.abs));
  const Y: Mat = Array.from({ length: n }, () => new Array<number>(k).fill(0));
  let dropped = false;
  e.values.forEach((lam, i) => {
    const d = lam + shift;
    if (!(Math.abs(d) > rcond * (top + shift))) {
      dropped = true;
      return;
    }
    const q = e.vectors[i] as Vec;
    for (let col = 0; col < k; col++) {
      let c = 0;
      for (let r = 0; r < n; r++) c += (q[r] as number) * ((X[r] as number[])[col] as number);
      c /= d;
      for (let r = 0; r < n; r++)
        (Y[r] as number[])[col] = ((Y[r] as number[])[col] as number) + c * (q[r] as number);
    }
  });
  return { Y, dropped };
}

const transpose = (X: Mat): Mat => (X[0] ?? []).map((_, j) => X.map((r) => r[j] as number));

/** Product with A ⊗ G (current factors) and damped solve with decomposed (possibly stale) ones. */
export function kroneckerMetric(
  P: number,
  blocks: readonly LayerBlock[],
  factors: readonly KroneckerFactors[],
  inverses: readonly KroneckerInverse[],
  rcond = 1e-12,
): Metric {
  const blockOf = (v: Vec, b: LayerBlock): Mat =>
    Array.from({ length: b.rows }, (_, i) => v.slice(b.offset + i * b.cols, b.offset + (i + 1) * b.cols));
  const mul = (X: Mat, Y: Mat): Mat =>
    X.map((r) =>
      (Y[0] ?? []).map((_, j) => r.reduce((s, x, k) => s + x * ((Y[k] as number[])[j] as number), 0)),
    );
  return {
    P,
    apply: (v) => {
      const out = new Array<number>(P).fill(0);
      blocks.forEach((b, l) => {
        const f = factors[l] as KroneckerFactors;
        mul(mul(f.A, blockOf(v, b)), f.G).forEach((r, i) =>
          r.forEach((x, j) => (out[b.offset + i * b.cols + j] = x)),
        );
      });
      return out;
    },
    solve: (g, lambda) => {
      if (!allFinite(g) || !factors.every((f) => allFinite(f.A) && allFinite(f.G))) {
        return { x: nanVec(P), method: 'non-finite' };
      }
      const gamma = Math.sqrt(lambda);
      const x = new Array<number>(P).fill(0);
      let dropped = false;
      blocks.forEach((b, l) => {
        const inv = inverses[l] as KroneckerInverse;
        const left = applyInverse(inv.A, inv.pi * gamma, blockOf(g, b), rcond);
        // (A⁻¹V) G⁻¹ = (G⁻¹ (A⁻¹V)ᵀ)ᵀ, G symmetric.
        const right = applyInverse(inv.G, gamma / inv.pi, transpose(left.Y), rcond);
        dropped ||= left.dropped || right.dropped;
        transpose(right.Y).forEach((r, i) => r.forEach((v, j) => (x[b.offset + i * b.cols + j] = v)));
      });
      return { x, method: dropped ? 'pinv' : 'kronecker' };
    },
  };
}

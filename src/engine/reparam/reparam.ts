/**
 * The reparameterization contract: a smooth map θ = f(φ) from R^Q onto (part of) R^P.
 * Running an optimizer "in φ" means running it on L∘f; the φ-trajectory is pushed
 * forward with f to be compared with the θ-run (docs/theory.md §1).
 *
 * Every map but one is a diffeomorphism of R^P (Q = P). `weight-norm` is a submersion
 * with Q > P (a gain per unit on top of the weights, Salimans & Kingma 2016): f is onto
 * but not one-to-one, J_f is P×Q of full row rank P, and `inverse64` returns one
 * canonical preimage, so f(f⁻¹(θ)) = θ while f⁻¹(f(φ)) is only in the fibre of φ.
 * Consumers must size φ rows by Q, θ rows by P; a square-J measurement must check Q = P.
 */
import type { Tensor2D } from '../tf';

export interface Reparam {
  readonly id: string;
  /** Dimension P of θ. */
  readonly P: number;
  /** Dimension Q of φ: Q = P for a diffeomorphism, Q > P for `weight-norm`. */
  readonly Q: number;
  /** True when f is affine (then Newton, NGD and GGN are exactly natural for it). */
  readonly affine: boolean;
  /** θ = f(φ) on rows, on the tensor backend: [B, Q] -> [B, P]. Twice differentiable. */
  forward(phi: Tensor2D): Tensor2D;
  /** f in float64. */
  forward64(phi: readonly number[]): number[];
  /**
   * f⁻¹ in float64 (Q numbers), with f(f⁻¹(θ)) = θ; when Q > P, the map's canonical
   * preimage. Throws `ReparamError` when θ is not in the image of f (see domainError).
   */
  inverse64(theta: readonly number[]): number[];
  /** J_f(φ) = ∂θ/∂φ in float64, P rows of Q. */
  jacobian64(phi: readonly number[]): number[][];
  /** Why θ is not in the image of f (e.g. `exp` needs θ > 0), or null. */
  domainError(theta: readonly number[]): string | null;
  /**
   * Linear maps given block by block (blockwise.ts): rows of θ-covectors [M, P] times J,
   * [M, Q] — the chain rule ∂/∂φ = (∂/∂θ) J without forming J. Absent for other maps.
   */
  pullback?(rows: Tensor2D): Tensor2D;
  /**
   * The same linear maps: rows of φ-tangents [M, Q] to θ-tangents J v, [M, P] — f itself,
   * f being linear. Absent for other maps.
   */
  pushforward?(rows: Tensor2D): Tensor2D;
  /**
   * Maps that act on each layer of a dense network as [W; b] ↦ B̄ [W; b] C with B̄ = diag(B, 1)
   * (`layer-scale`; `relu-rescale`, diagonal B and C): every layer's block and its constant
   * factors, in θ's layer order. K-FAC's factors in φ are then B̄ᵀAB̄ and CGCᵀ of θ's at f(φ)
   * (docs/theory.md §3, §7). Absent for every other map (and for a B̄ that mixes in the bias row).
   */
  readonly layerFactors?: readonly LayerMapBlock[];
}

/** One layer's block of θ: at `offset`, an m×n matrix (m = inputs + 1, n = outputs) row-major. */
export interface LayerMapBlock {
  offset: number;
  /** Left factor B̄ (m×m) and right factor C (n×n), both invertible. */
  left: number[][];
  right: number[][];
}

/** A reparameterization that cannot be built or inverted; the message names the problem. */
export class ReparamError extends Error {
  override name = 'ReparamError';
}

/**
 * The reparameterization contract: a diffeomorphism θ = f(φ) of R^P (or of the part
 * of it where f is defined). Running an optimizer "in φ" means running it on L∘f; the
 * φ-trajectory is pushed forward with f to be compared with the θ-run (THEORY §1).
 */
import type { Tensor2D } from '../tf';

export interface Reparam {
  readonly id: string;
  /** Dimension P of θ and φ. */
  readonly P: number;
  /** True when f is affine (then Newton, NGD and GGN are exactly natural for it). */
  readonly affine: boolean;
  /** θ = f(φ) on rows, on the tensor backend: [B, P] -> [B, P]. Twice differentiable. */
  forward(phi: Tensor2D): Tensor2D;
  /** f in float64. */
  forward64(phi: readonly number[]): number[];
  /** f⁻¹ in float64. Throws `ReparamError` when θ is not in the image of f. */
  inverse64(theta: readonly number[]): number[];
  /** J_f(φ) = ∂θ/∂φ in float64, P rows of P. */
  jacobian64(phi: readonly number[]): number[][];
  /** Why θ is not in the image of f (e.g. `exp` needs θ > 0), or null. */
  domainError(theta: readonly number[]): string | null;
}

/** A reparameterization that cannot be built or inverted; the message names the problem. */
export class ReparamError extends Error {
  override name = 'ReparamError';
}

/**
 * Negative log-likelihoods of the lab's problems and their output-space curvature
 * (docs/theory.md §1, §2). Every problem declares one of these, so Fisher and Gauss-Newton
 * are defined for it.
 *
 * Shapes: model outputs `out` are [..., N, C]; targets `y` are [N, T].
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../tf';
import { log, logSoftmax, softmax } from '../ops';

export type Likelihood =
  /** Squared error as a Gaussian NLL: ℓ = ½‖h − y‖²/σ² (constants dropped). T = C. */
  | { kind: 'gaussian'; sigma: number }
  /** Outputs are (μ, σ) of a normal; y one number: ℓ = log σ + (y − μ)²/(2σ²). C = 2, T = 1. */
  | { kind: 'gaussian-meanstd' }
  /** Softmax cross-entropy; y one-hot [N, C]: ℓ = −Σ y log softmax(h). */
  | { kind: 'softmax' };

/** Per-example NLL: out [..., N, C], y [N, T] -> [..., N]. */
export function nllPerExample(lik: Likelihood, out: Tensor, y: Tensor2D): Tensor {
  switch (lik.kind) {
    case 'gaussian':
      return tf.mul(tf.sum(tf.square(tf.sub(out, y)), -1), 0.5 / (lik.sigma * lik.sigma));
    case 'gaussian-meanstd': {
      const [mu, sigma] = tf.split(out, 2, -1) as [Tensor, Tensor];
      const z = tf.div(tf.sub(y, mu), sigma);
      return tf.squeeze(tf.add(log(sigma), tf.mul(tf.square(z), 0.5)), [-1]);
    }
    case 'softmax':
      return tf.neg(tf.sum(tf.mul(y, logSoftmax(out)), -1));
  }
}

/** Mean NLL over the N examples: out [B, N, C] -> [B]. */
export function nll(lik: Likelihood, out: Tensor3D, y: Tensor2D): Tensor {
  return tf.mean(nllPerExample(lik, out, y), -1);
}

/**
 * A square root M of the output-space Fisher Λ = MᵀM at each example:
 * out [N, C] -> [N, C, C]. Gaussian: I/σ; (μ, σ): diag(1/σ, √2/σ);
 * softmax: M_ij = √p_i (δ_ij − p_j), so MᵀM = diag(p) − ppᵀ (docs/theory.md §7).
 */
export function sqrtFisher(lik: Likelihood, out: Tensor2D): Tensor3D {
  const [n, c] = out.shape;
  switch (lik.kind) {
    case 'gaussian':
      return tf.mul(tf.eye(c, c, [n]), 1 / lik.sigma) as Tensor3D;
    case 'gaussian-meanstd': {
      const inv = tf.reciprocal(tf.slice(out, [0, 1], [n, 1]));
      const diag = tf.concat([inv, tf.mul(inv, Math.SQRT2)], 1);
      return tf.mul(tf.eye(2, 2, [n]), tf.expandDims(diag, 1)) as Tensor3D;
    }
    case 'softmax':
      return softmaxFisherRoot(softmax(out) as Tensor2D);
  }
}

/**
 * `sqrtFisher` of the softmax likelihood from the probabilities p [N, C] themselves
 * (softmax(out)): M_ij = √p_i (δ_ij − p_j) [N, C, C], for a caller that has p already
 * (and, if it keeps one, the C × C identity `eye`).
 */
export function softmaxFisherRoot(p: Tensor2D, eye?: Tensor2D): Tensor3D {
  const c = p.shape[1];
  const sq = tf.sqrt(p);
  // I − 1pᵀ for every example by broadcasting [C, C] against [N, 1, C]: tf.eye with a
  // batch shape tiles N copies first (tf.tile, a slow generic kernel on wasm).
  return tf.mul(tf.expandDims(sq, 2), tf.sub(eye ?? tf.eye(c), tf.expandDims(p, 1))) as Tensor3D;
}

/**
 * A square root with the fewest rows: M' [N, r, C] with M'ᵀM' = Λ at each example. For
 * two-class softmax Λ = p₀p₁[[1, −1], [−1, 1]] has rank 1, so M' = √(p₀p₁)·[−1, 1] (r = 1);
 * otherwise `sqrtFisher` (r = C). Fewer rows make the Fisher factor UᵀU/N shorter (N·r
 * rows), which is what makes Woodbury and Fisher-vector products cheap (docs/theory.md §7).
 */
export function fisherRows(lik: Likelihood, out: Tensor2D): Tensor3D {
  const [n, c] = out.shape;
  if (lik.kind !== 'softmax' || c !== 2) return sqrtFisher(lik, out);
  const p = softmax(out);
  const s = tf.sqrt(tf.prod(p, 1, true));
  return tf.reshape(tf.mul(s, tf.tensor1d([-1, 1])), [n, 1, 2]) as Tensor3D;
}

/**
 * Whether ∂²ℓ/∂h² equals the output Fisher Λ at every point (gaussian, softmax), so the
 * generalized Gauss-Newton matrix is the Fisher; not for (μ, σ).
 */
export function hessianIsFisher(lik: Likelihood): boolean {
  return lik.kind !== 'gaussian-meanstd';
}

/**
 * Hessian of ℓ with respect to the outputs at each example, for the generalized
 * Gauss-Newton matrix: out [N, C], y [N, T] -> [N, C, C]. Equals the output Fisher for
 * the gaussian and softmax likelihoods; differs (and may be indefinite) for (μ, σ).
 */
export function outputHessian(lik: Likelihood, out: Tensor2D, y: Tensor2D): Tensor3D {
  if (hessianIsFisher(lik)) {
    const m = sqrtFisher(lik, out);
    return tf.matMul(m, m, true, false) as Tensor3D;
  }
  const n = out.shape[0];
  const mu = tf.slice(out, [0, 0], [n, 1]);
  const s = tf.slice(out, [0, 1], [n, 1]);
  const r = tf.sub(y, mu);
  const s2 = tf.square(s);
  const hmm = tf.reciprocal(s2);
  const hms = tf.div(tf.mul(r, 2), tf.mul(s2, s));
  const hss = tf.sub(tf.div(tf.mul(tf.square(r), 3), tf.square(s2)), hmm);
  return tf.reshape(tf.concat([hmm, hms, hms, hss], 1), [n, 2, 2]) as Tensor3D;
}

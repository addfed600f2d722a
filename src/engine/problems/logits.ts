/**
 * Two-class classification as a softmax likelihood with C = 2 outputs: logits [0, z].
 * softmax([0, z]) = (σ(−z), σ(z)), the logistic model, while Fisher and Gauss-Newton
 * come from likelihood.ts like every other problem (Λ = diag(p) − ppᵀ has rank 1).
 */
import { tf, type Tensor, type Tensor3D } from '../tf';

/**
 * Scores z [B, M, 1] -> logits [0, z] as [B, M, 2]. Built as z·[0, 1] by broadcasting:
 * the same values and gradients as concatenating a zero column, but a concat on the last
 * axis and its split gradient are slow kernels on wasm and cpu (about half the cost of
 * the whole softmax loss and gradient for 64 runs of the 2-16-16-1 MLP).
 */
export function binaryLogits(z: Tensor): Tensor3D {
  return tf.mul(z, tf.tensor1d([0, 1])) as Tensor3D;
}

/**
 * Linear scores z = wᵀx for B weight rows: w [B, d], x [B or 1, M, d] -> [B, M, 1].
 * The batched matMul broadcasts x over the B rows when its first dimension is 1.
 */
export function linearScore(w: Tensor, x: Tensor3D): Tensor3D {
  const [b, d] = w.shape as [number, number];
  return tf.matMul(x, tf.reshape(w, [b, d, 1]) as Tensor3D);
}

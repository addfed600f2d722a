/**
 * Two-class classification as a softmax likelihood with C = 2 outputs: logits [0, z].
 * softmax([0, z]) = (σ(−z), σ(z)), the logistic model, while Fisher and Gauss-Newton
 * come from likelihood.ts like every other problem (Λ = diag(p) − ppᵀ has rank 1).
 */
import { tf, type Tensor, type Tensor3D } from '../tf';

/** Scores z [B, M, 1] -> logits [0, z] as [B, M, 2]. */
export function binaryLogits(z: Tensor): Tensor3D {
  return tf.concat([tf.zerosLike(z), z], 2) as Tensor3D;
}

/**
 * Linear scores z = wᵀx for B weight rows: w [B, d], x [B or 1, M, d] -> [B, M, 1].
 * The batched matMul broadcasts x over the B rows when its first dimension is 1.
 */
export function linearScore(w: Tensor, x: Tensor3D): Tensor3D {
  const [b, d] = w.shape as [number, number];
  return tf.matMul(x, tf.reshape(w, [b, d, 1]) as Tensor3D);
}

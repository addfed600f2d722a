/**
 * The exact Hessian of the objective at one parameter row, by the batched-row trick:
 * tile p as P rows Θ (all equal), take G = ∇ Σ_b L(Θ_b) — row b is the gradient at Θ_b —
 * then one more gradient of Σ_b G[b, b] with respect to Θ: row b of the result is
 * ∂(∂L/∂p_b)/∂p, the b-th row of H. One nested tf.grad, no loop over coordinates.
 * Models and maps must use ops.ts so the nested gradient exists (tfjs has no nested gradient of tanh, exp, softmax, …).
 */
import { tf, type Tensor2D } from '../../tf';
import { gradient, type Objective } from '../../objective';
import { symmetrize, type Mat } from '../../linalg/dense';
import { tileRow } from './jacobian';

/** Hessian rows at one row p [1, P]: [P, P] on the backend (float32, not symmetrized). */
export function hessianTensor(obj: Objective, row: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const P = obj.P;
    const theta = tileRow(row, P);
    const mask = tf.eye(P);
    return tf.grad((t) => tf.sum(tf.mul(gradient(obj, t as Tensor2D), mask)))(theta) as Tensor2D;
  });
}

/** The Hessian in float64, symmetrized (float32 rounding leaves H slightly asymmetric). */
export async function hessianMatrix(obj: Objective, row: Tensor2D): Promise<Mat> {
  const H = hessianTensor(obj, row);
  try {
    return symmetrize(await H.array());
  } finally {
    H.dispose();
  }
}

/**
 * Per-example first derivatives at one parameter row, batched without vmap (docs/theory.md §7):
 * tile the row N times, so that with `perExampleOutputs` row n meets example n only and
 * one backward pass gives every example's derivative at once.
 */
import { tf, type Tensor2D, type Tensor3D } from '../../tf';
import { fastPathOf, type Objective } from '../../objective';

/** One parameter row repeated: [1, P] -> [n, P]. */
export function tileRow(row: Tensor2D, n: number): Tensor2D {
  return tf.tile(row, [n, 1]);
}

/**
 * Output Jacobians J[n, c, :] = ∂h_c(x_n)/∂p at one row p [1, P]: [N, C, P].
 * One gradient per output component c (C is small: 1 for regression, the classes for
 * softmax). Through a reparam the Jacobian is that of h∘f, i.e. J_θ·J_f.
 */
export function outputJacobians(obj: Objective, row: Tensor2D): Tensor3D {
  // A θ-run of a dense network: the hand-derived per-example backward (dense-grad.ts).
  const fast = fastPathOf(obj);
  if (fast) return tf.tidy(() => fast.outputJacobians(row));
  return tf.tidy(() => {
    const { N, C } = obj.problem;
    const tiled = tileRow(row, N);
    const perOutput = Array.from({ length: C }, (_, c) =>
      tf.grad((p) => tf.sum(tf.slice(obj.perExampleOutputs(p as Tensor2D), [0, c], [-1, 1])))(tiled),
    );
    return tf.stack(perOutput, 1) as Tensor3D;
  });
}

/**
 * Per-example loss gradients g_n = ∇_p ℓ(y_n, h(x_n; p)) at one row p [1, P]: [N, P].
 * A θ-run of a dense network takes them from one hand-derived backward (dense-grad.ts).
 */
export function perExampleGradients(obj: Objective, row: Tensor2D): Tensor2D {
  const fast = fastPathOf(obj);
  if (fast) return tf.tidy(() => fast.perExampleGradients(row));
  return tf.tidy(() => {
    const tiled = tileRow(row, obj.problem.N);
    return tf.grad((p) => tf.sum(obj.perExampleLoss(p as Tensor2D)))(tiled) as Tensor2D;
  });
}

/** Model outputs at one row on every example: [N, C]. */
export function outputsAt(obj: Objective, row: Tensor2D): Tensor2D {
  const fast = fastPathOf(obj);
  if (fast) return tf.tidy(() => fast.outputsAt(row));
  return tf.tidy(() => obj.perExampleOutputs(tileRow(row, obj.problem.N)));
}

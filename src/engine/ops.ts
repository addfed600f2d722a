/**
 * Elementwise ops whose derivatives are differentiable again.
 *
 * tfjs's own tanh, sigmoid, exp, softplus and log-sum-exp either throw under nested
 * `tf.grad` or are silently wrong (tensorflow/tfjs#3252, tfjs 4.22). Each op
 * here is a `tf.customGrad` whose gradient is written from the *input* with ops of this
 * file, so the tape can differentiate it again (Newton, Hessians, midpoint checks).
 * Use these in every model and map; never the raw tfjs versions.
 */
import { tf, type Tensor } from './tf';

type Unary = (x: Tensor) => Tensor;

/** Build a unary op with value `value(x)` and derivative `deriv(x)` (both differentiable). */
function unary(value: (x: Tensor) => Tensor, deriv: (x: Tensor) => Tensor): Unary {
  // customGrad's typing spreads inputs and the save function into one union.
  const op = tf.customGrad(((x: Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: value(x),
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, deriv(saved[0] as Tensor)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (x: Tensor) => op(x) as Tensor;
}

/** exp with exp' = exp. */
export const exp: Unary = unary(
  (x) => tf.exp(x),
  (x) => exp(x),
);

/** tanh with tanh' = 1 − tanh². */
export const tanh: Unary = unary(
  (x) => tf.tanh(x),
  (x) => tf.sub(1, tf.square(tanh(x))),
);

/** Logistic sigmoid σ(x) with σ' = σ(x)σ(−x) (stable in float32 at both tails). */
export const sigmoid: Unary = unary(
  (x) => tf.sigmoid(x),
  (x) => tf.mul(sigmoid(x), sigmoid(tf.neg(x))),
);

/** softplus log(1 + eˣ) with softplus' = σ. */
export const softplus: Unary = unary(
  (x) => tf.softplus(x),
  (x) => sigmoid(x),
);

/** sinh with sinh' = cosh. */
export const sinh: Unary = unary(
  (x) => tf.sinh(x),
  (x) => cosh(x),
);

/** cosh with cosh' = sinh. */
export const cosh: Unary = unary(
  (x) => tf.cosh(x),
  (x) => sinh(x),
);

/** sin and cos, differentiable to any order. */
export const sin: Unary = unary(
  (x) => tf.sin(x),
  (x) => cos(x),
);
export const cos: Unary = unary(
  (x) => tf.cos(x),
  (x) => tf.neg(sin(x)),
);

/** Natural log with log' = 1/x. */
export const log: Unary = unary(
  (x) => tf.log(x),
  (x) => tf.reciprocal(x),
);

/**
 * log Σ exp(x) over the last axis (kept), stable: m + log Σ exp(x − m) with m the
 * (constant) row maximum. Its gradient is softmax, built from `exp` above.
 */
export function logSumExp(x: Tensor): Tensor {
  const m = rowShift(x);
  return tf.add(m, log(tf.sum(exp(tf.sub(x, m)), -1, true)));
}

/**
 * The row maximum as a constant shift: value max(x), gradient zero. The shift cancels in
 * logSumExp's value and in every derivative, and tfjs's own max gradient (built on
 * `equal`) cannot be differentiated again; tfjs has no stopGradient.
 */
const rowShift = (x: Tensor): Tensor =>
  tf.customGrad(((v: Tensor, save: tf.GradSaveFunc) => {
    save([v]);
    return {
      value: tf.max(v, -1, true),
      gradFunc: (_dy: Tensor, saved: Tensor[]) => tf.zerosLike(saved[0] as Tensor),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0])(x) as Tensor;

/** log softmax over the last axis: x − logSumExp(x). */
export function logSoftmax(x: Tensor): Tensor {
  return tf.sub(x, logSumExp(x));
}

/** softmax over the last axis, differentiable to any order. */
export function softmax(x: Tensor): Tensor {
  return exp(logSoftmax(x));
}

/**
 * ngd's view of the Fisher (fisher.ts has the definitions): the factor U [m, P] (m = N·r
 * rows, row n·r + k for example n) as the backend's flat float32 arrays, read once and
 * never copied into nested rows, with its Gram.
 *
 * UUᵀ [m, m] in float32 when m < P: the preconditioner of the Woodbury solve, which
 * refines its answer against U itself in float64 (linalg/woodbury.ts). So UUᵀ only has to
 * be close: a poor one costs refinement iterations (at worst the float64 Gram), never
 * accuracy.
 *
 * UUᵀ of a θ-objective of a dense network (Problem.layers: θ is W [in, out] row-major,
 * then b [out], layer by layer): a dense layer's per-example derivative is a ⊗ d (docs/theory.md
 * §7), so each row of U is, layer by layer, [a ⊗ d, d] — the layer's input activation of
 * the row's example and the row's sensitivity, which is U's own bias block. Hence
 *   (UUᵀ)_ij = Σ_l (a_i·a_j + 1)(d_i·d_j),
 * from products of [m, inputs] and [m, outputs] matrices: for the 2-16-16-1 MLP ~1/10 of
 * the multiply-adds of U·Uᵀ and no transpose of U (~0.4 ms instead of ~1.5 ms on wasm).
 * Any other objective: U·Uᵀ. The empirical Fisher's factor (per-example gradients) has the
 * same per-layer form, so it shares all of this.
 */
import { tf, type Tensor, type Tensor2D } from '../../tf';
import type { Objective } from '../../objective';
import { paramCount } from '../../problems/dense';
import { activation } from '../../problems/dense-grad';
import type { RowMajor } from '../../linalg/woodbury';
import { fisherFactorTensor } from './fisher';
import { perExampleGradients } from './jacobian';

/** The Fisher UᵀU/N with U as the backend's flat array. */
export interface FlatFactor {
  /** U [m, P] (float32 values). */
  U: RowMajor;
  N: number;
  P: number;
  /** UUᵀ [m, m] as the backend computed it in float32, when m < P (see above). */
  gram32?: RowMajor;
}

/** The flat Fisher factor at one row [1, P] (see above). */
export function fisherFactorFlat(obj: Objective, row: Tensor2D): Promise<FlatFactor> {
  return flatFactor(obj, row, fisherFactorTensor);
}

/**
 * The flat empirical-Fisher factor at one row: U's rows are the per-example gradients,
 * which have the same per-layer form [a ⊗ d, d] (d = the example's ∂ℓ/∂h backpropagated).
 */
export function empiricalFisherFlat(obj: Objective, row: Tensor2D): Promise<FlatFactor> {
  return flatFactor(obj, row, perExampleGradients);
}

/** A factor U = `rows(obj, row)` [m, P] and its Gram, read once as flat arrays. */
async function flatFactor(
  obj: Objective,
  row: Tensor2D,
  rows: (obj: Objective, row: Tensor2D) => Tensor2D,
): Promise<FlatFactor> {
  const [U, K] = tf.tidy(() => {
    const U = rows(obj, row);
    const [m, P] = U.shape;
    return [U, m < P ? (layerGram(obj, row, U) ?? tf.matMul(U, tf.transpose(U))) : null] as const;
  });
  const [m, P] = U.shape;
  let u: Float32Array;
  let k: Float32Array | null;
  try {
    [u, k] = await Promise.all([readFloats(U), K ? readFloats(K) : null]);
  } finally {
    tf.dispose([U, ...(K ? [K] : [])]);
  }
  return {
    U: { rows: m, cols: P, data: u },
    N: obj.problem.N,
    P: obj.P,
    ...(k ? { gram32: { rows: m, cols: m, data: k } } : {}),
  };
}

/**
 * UUᵀ from the layers' activations and U's bias blocks (see above), or null when θ is not
 * a dense network's (a φ-objective, or no layers). Explicit transposes: tfjs-wasm
 * multiplies a transposed operand in a slow loop.
 */
function layerGram(obj: Objective, row: Tensor2D, U: Tensor2D): Tensor2D | null {
  const { layers, x, N } = obj.problem;
  const [m, P] = U.shape;
  const r = m / N;
  if (obj.reparam || !layers || paramCount(layers) !== P || !Number.isInteger(r)) return null;
  // Each example's activations repeated for its r rows.
  const perRow = (a: Tensor2D): Tensor2D =>
    r === 1 ? a : (tf.reshape(tf.mul(tf.expandDims(a, 1), tf.ones([1, r, 1])), [m, -1]) as Tensor2D);
  // A layer with one output (the last of a two-class or regression net) is cheaper as its
  // own block's U_l U_lᵀ; and the forward stops at the last layer that needs activations.
  const direct = layers.map((l) => (l.inputs + 1) * l.outputs <= l.inputs + 1 + l.outputs);
  const lastKron = direct.lastIndexOf(false);
  let a: Tensor2D = x;
  let offset = 0;
  let K: Tensor | null = null;
  layers.forEach((l, k) => {
    const weights = l.inputs * l.outputs;
    let term: Tensor;
    if (direct[k]) {
      const block = tf.slice(U, [0, offset], [m, weights + l.outputs]);
      term = tf.matMul(block, tf.transpose(block));
    } else {
      const ar = perRow(a);
      const d = tf.slice(U, [0, offset + weights], [m, l.outputs]);
      term = tf.mul(tf.add(tf.matMul(ar, tf.transpose(ar)), 1), tf.matMul(d, tf.transpose(d)));
    }
    K = K ? tf.add(K, term) : term;
    if (k < lastKron) {
      const W = tf.reshape(tf.slice(row, [0, offset], [1, weights]), [l.inputs, l.outputs]) as Tensor2D;
      const b = tf.slice(row, [0, offset + weights], [1, l.outputs]);
      a = activation(l.activation, tf.add(tf.matMul(a, W), b)).a as Tensor2D;
    }
    offset += weights + l.outputs;
  });
  return K as Tensor2D | null;
}

/** A tensor's float32 values, read asynchronously (a synchronous read loses the device on tfjs-webgpu). */
async function readFloats(t: Tensor): Promise<Float32Array> {
  const data = await t.data();
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

/**
 * How B parameter rows (B runs of one dense network, each with its own weights) are laid
 * out and multiplied in the hand-derived fast path (problems/dense-grad.ts), in the form
 * that is fastest on the current backend:
 *
 *  - `one` (B = 1): 2-D tensors [N, ·] and 2-D matMuls, which tfjs-wasm hands to XNNPACK.
 *  - `bnu`: activations [B, N, units] and batched matMuls — fine on cpu and the GPU
 *    backends; tfjs-wasm's batched matMul is a scalar loop.
 *  - `unb` (wasm): activations [units, B, N] (units first), parameters as columns θᵀ
 *    [P, B] (weights [in, out, B], biases [out, B]), and depthwise convolutions with the
 *    runs as channels, which tfjs-wasm runs as XNNPACK's grouped GEMM. A convolution
 *    contracts its spatial axis, out[m, b·n + j] = Σ_s x[m, s, b] · f[s, b, j]; with the
 *    units first, a layer's forward and back products take the activations as they are
 *    (f[i, b, n] = a[i, b, n]) and the weights nearly so (the back product as they are);
 *    the first layer is one 2-D matMul of all rows' [W; b] against the cached [x, 1]ᵀ, and
 *    its gradient one against [x, 1]; a one-unit layer's products are elementwise. Only
 *    the weight gradients of wider layers transpose activations (the contraction over the
 *    examples needs them before the runs). Measured on the 2-16-16-1 MLP: ~20% less time
 *    per 16-run step (~25% per 64-run step) than activations [N, B, units] with the same
 *    convolutions.
 * Under a gradient tape (Newton's Hessian differentiates the fast gradient) `unb` is never
 * chosen: tfjs-wasm has no kernels for the depthwise convolution's own gradient.
 */
import { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tensor4D } from '../tf';
import { blockSizes } from './dense';
import type { DenseLayer } from './problem';

export type RowLayoutKind = 'one' | 'bnu' | 'unb';

/**
 * The network input x [N, d] and the forms the first layer's products take: x̄ = [x, 1]
 * [N, d + 1] and x̄ᵀ. Constant for a problem, so they are made once (`sharedInput`) — and
 * XNNPACK keeps a constant right-hand operand packed between calls.
 */
export interface SharedInput {
  readonly x: Tensor2D;
  readonly bar: Tensor2D;
  readonly barT: Tensor2D;
}

/** [a, 1] for a [M, k]: [M, k + 1], by one pad (a concat along the last axis is a per-row copy loop on wasm). */
export function withOnesColumn(a: Tensor2D): Tensor2D {
  return tf.pad(
    a,
    [
      [0, 0],
      [0, 1],
    ],
    1,
  );
}

/** The shared input forms of x [N, d], kept out of any enclosing tidy; dispose `bar` and `barT`. */
export function sharedInput(x: Tensor2D): SharedInput {
  const bar = tf.keep(withOnesColumn(x));
  return { x, bar, barT: tf.keep(tf.transpose(bar)) };
}

/** A layer's weights and bias for B rows, in the layout's own form ([B, in, out] and [B, out], or columns). */
export interface LayerParams {
  readonly w: Tensor;
  readonly b: Tensor;
}

export interface RowLayout {
  readonly kind: RowLayoutKind;
  /** The axis of the units in an activation: the last, or the first (`unb`). */
  readonly unitAxis: 0 | -1;
  /** θ [B, P] as every layer's weights and bias (θ's layout: a layer's W [in, out] row-major, then b). */
  params(theta: Tensor2D, layers: readonly LayerShape[]): LayerParams[];
  /** The layers' gradients (`layerGrad`'s form) as one [B, P]. */
  join(parts: Tensor[]): Tensor2D;
  /** Targets (or per-example values) y [N, T] shaped to broadcast against the outputs. */
  targets(y: Tensor2D): Tensor;
  /** x·W + b per row for the shared input. */
  affineShared(input: SharedInput, p: LayerParams): Tensor;
  /** a·W + b per row. */
  affine(a: Tensor, p: LayerParams): Tensor;
  /**
   * A layer's gradient per row in θ's layout — [B, (in + 1)·out], or its transpose for
   * `unb`: Σ_n ā_nᵀ δ_n with ā = [a, 1], i.e. the weights' rows (Σ_n a_nᵀ δ_n) and then the
   * bias row (Σ_n δ_n).
   */
  layerGrad(a: Tensor, delta: Tensor): Tensor2D;
  /** The same for the first layer, whose input is shared. */
  layerGradShared(input: SharedInput, delta: Tensor): Tensor2D;
  /** δ·Wᵀ per row. */
  back(delta: Tensor, p: LayerParams): Tensor;
  /** The mean over the examples of per-example values (the layout without its unit axis): [B]. */
  meanOverExamples(l: Tensor): Tensor1D;
}

/** The layout for B rows on the current backend (see above). */
export function rowLayoutNow(B: number): RowLayoutKind {
  if (B === 1) return 'one';
  return tf.getBackend() === 'wasm' && !tf.engine().isTapeOn() ? 'unb' : 'bnu';
}

/** x [M, S, B] · f [S, B, n] contracted over S for each b -> [M, B, n]: one depthwise convolution. */
function channelProduct(x: Tensor3D, f: Tensor3D): Tensor3D {
  const [m, s, b] = x.shape;
  const n = f.shape[2];
  const out = tf.depthwiseConv2d(
    tf.reshape(x, [m, 1, s, b]) as Tensor4D,
    tf.reshape(f, [1, s, b, n]) as Tensor4D,
    1,
    'valid',
  );
  return tf.reshape(out, [m, b, n]) as Tensor3D;
}

/** A dense layer's size. */
export type LayerShape = Pick<DenseLayer, 'inputs' | 'outputs'>;

/** θ [B, P] split along its columns: W [B, in, out], b [B, out] (`one` and `bnu`). */
function rowParams(theta: Tensor2D, layers: readonly LayerShape[]): LayerParams[] {
  const B = theta.shape[0];
  const blocks = tf.split(theta, blockSizes(layers), 1);
  return layers.map((l, k) => ({
    w: tf.reshape(blocks[2 * k] as Tensor, [B, l.inputs, l.outputs]),
    b: blocks[2 * k + 1] as Tensor,
  }));
}

/**
 * āᵀδ [in + 1, out] for a held ā [N, in + 1] (`barT` its transpose) and a fresh δ [N, out]. On
 * wasm it is (δᵀā)ᵀ: XNNPACK packs a product's right operand and keeps the packing for as long
 * as that tensor lives, so the held ā goes on the right and only δ [N, out] and the small
 * result are transposed (on digits' first layer 0.21 ms against 0.36 ms, docs/performance.md).
 */
export function heldInputProduct(bar: Tensor2D, barT: Tensor2D, delta: Tensor2D): Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(barT, delta);
  return tf.transpose(tf.matMul(tf.transpose(delta), bar)) as Tensor2D;
}

/** W [1, in, out] as [in, out]. */
const only = (w: Tensor): Tensor2D => tf.reshape(w, [w.shape[1] ?? 1, w.shape[2] ?? 1]) as Tensor2D;

const one: RowLayout = {
  kind: 'one',
  unitAxis: -1,
  params: rowParams,
  join: (parts) => tf.concat(parts, 1) as Tensor2D,
  targets: (y) => y,
  affineShared: (input, p) => tf.add(tf.matMul(input.x, only(p.w)), p.b),
  affine: (a, p) => tf.add(tf.matMul(a as Tensor2D, only(p.w)), p.b),
  layerGrad: (a, delta) => {
    const gw = tf.matMul(tf.transpose(a as Tensor2D), delta as Tensor2D);
    return tf.reshape(tf.concat([gw, tf.sum(delta, 0, true)], 0), [1, -1]) as Tensor2D;
  },
  // x̄ᵀ δ: the weights' rows and the bias row in one product.
  layerGradShared: (input, delta) =>
    tf.reshape(heldInputProduct(input.bar, input.barT, delta as Tensor2D), [1, -1]) as Tensor2D,
  back: (delta, p) => tf.matMul(delta as Tensor2D, tf.transpose(only(p.w))),
  meanOverExamples: (l) => tf.reshape(tf.mean(l), [1]) as Tensor1D,
};

const bnu: RowLayout = {
  kind: 'bnu',
  unitAxis: -1,
  params: rowParams,
  join: (parts) => tf.concat(parts, 1) as Tensor2D,
  targets: (y) => y,
  affineShared: (input, p) => {
    // x · [W_1 … W_B] side by side: [N, B·out] (column b·out + j = row b's unit j).
    const [B, d, out] = p.w.shape as [number, number, number];
    const wAll = tf.reshape(tf.transpose(p.w, [1, 0, 2]), [d, B * out]) as Tensor2D;
    const z = tf.transpose(tf.reshape(tf.matMul(input.x, wAll), [-1, B, out]), [1, 0, 2]);
    return tf.add(z, tf.reshape(p.b, [B, 1, out]));
  },
  affine: (a, p) => {
    const [B, , out] = p.w.shape as [number, number, number];
    return tf.add(tf.matMul(a as Tensor3D, p.w as Tensor3D), tf.reshape(p.b, [B, 1, out]));
  },
  layerGrad: (a, delta) => {
    const B = delta.shape[0] as number;
    const gw = tf.concat(
      [tf.matMul(a as Tensor3D, delta as Tensor3D, true, false), tf.sum(delta, 1, true)],
      1,
    );
    return tf.reshape(gw, [B, -1]) as Tensor2D;
  },
  layerGradShared: (input, delta) => {
    // x̄ᵀ [d + 1, N] · δ as [N, B·out] -> [d + 1, B, out] -> [B, (d + 1)·out].
    const [B, N, out] = delta.shape as [number, number, number];
    const cols = tf.reshape(tf.transpose(delta, [1, 0, 2]), [N, B * out]) as Tensor2D;
    const g = tf.reshape(tf.matMul(input.barT, cols), [-1, B, out]);
    return tf.reshape(tf.transpose(g, [1, 0, 2]), [B, -1]) as Tensor2D;
  },
  back: (delta, p) => tf.matMul(delta as Tensor3D, p.w as Tensor3D, false, true),
  meanOverExamples: (l) => tf.mean(l, 1) as Tensor1D,
};

const unb: RowLayout = {
  kind: 'unb',
  unitAxis: 0,
  // θᵀ [P, B] split along its rows (contiguous): W [in, out, B], b [out, B].
  params: (theta, layers) => {
    const B = theta.shape[0];
    const blocks = tf.split(tf.transpose(theta), blockSizes(layers), 0);
    return layers.map((l, k) => ({
      w: tf.reshape(blocks[2 * k] as Tensor, [l.inputs, l.outputs, B]),
      b: blocks[2 * k + 1] as Tensor,
    }));
  },
  join: (parts) => tf.transpose(tf.concat(parts, 0)) as Tensor2D,
  // [N, T] -> [T, 1, N] (one target: a reshape).
  targets: (y) => {
    const [n, T] = y.shape;
    return T === 1 ? tf.reshape(y, [1, 1, n]) : tf.expandDims(tf.transpose(y), 1);
  },
  affineShared: (input, p) => {
    // [W; b] [d + 1, out, B] as rows j·B + b' (one per output unit and row) times x̄ᵀ: [out·B, N].
    const [d, out, B] = p.w.shape as [number, number, number];
    const wb = tf.concat([p.w, tf.reshape(p.b, [1, out, B])], 0);
    const rows = tf.reshape(tf.transpose(wb, [1, 2, 0]), [out * B, d + 1]) as Tensor2D;
    return tf.reshape(tf.matMul(rows, input.barT), [out, B, -1]);
  },
  affine: (a, p) => {
    // x[j, i, b] = W[i, j, b], f[i, b, n] = a[i, b, n] -> [out, B, N].
    const z = channelProduct(tf.transpose(p.w, [1, 0, 2]) as Tensor3D, a as Tensor3D);
    return tf.add(z, tf.expandDims(p.b, 2));
  },
  layerGrad: (a, delta) => {
    const [out, B, N] = delta.shape as [number, number, number];
    // One output unit: Σ_n a[i, b, n] δ[b, n] as a product and a sum over the last axis.
    if (out === 1) return tf.concat([tf.sum(tf.mul(a, delta), -1), tf.sum(delta, -1)], 0) as Tensor2D;
    // x[i, n, b] = ā[i, b, n] (ā = [a; 1], a contiguous append), f[n, b, j] = δ[j, b, n]
    // -> [in + 1, B, out] -> [in + 1, out, B].
    const x = tf.concat([tf.transpose(a, [0, 2, 1]), tf.ones([1, N, B])], 0) as Tensor3D;
    const g = channelProduct(x, tf.transpose(delta, [2, 1, 0]) as Tensor3D);
    return tf.reshape(tf.transpose(g, [0, 2, 1]), [-1, B]) as Tensor2D;
  },
  layerGradShared: (input, delta) => {
    // δ as [out·B, N] · x̄ [N, d + 1] -> [out, B, d + 1] -> [d + 1, out, B].
    const [out, B, N] = delta.shape as [number, number, number];
    const g = tf.reshape(tf.matMul(tf.reshape(delta, [out * B, N]) as Tensor2D, input.bar), [out, B, -1]);
    return tf.reshape(tf.transpose(g, [2, 0, 1]), [-1, B]) as Tensor2D;
  },
  back: (delta, p) => {
    const [k, out, B] = p.w.shape as [number, number, number];
    // One output unit: W[i, b] δ[b, n], an outer product per row.
    if (out === 1) return tf.mul(tf.reshape(p.w, [k, B, 1]), delta);
    // x[i, j, b] = W[i, j, b], f[j, b, n] = δ[j, b, n] -> [in, B, N].
    return channelProduct(p.w as Tensor3D, delta as Tensor3D);
  },
  meanOverExamples: (l) => tf.mean(l, -1) as Tensor1D,
};

/** The layout object of a kind. */
export function rowLayout(kind: RowLayoutKind): RowLayout {
  return { one, bnu, unb }[kind];
}

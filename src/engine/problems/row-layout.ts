/**
 * How B parameter rows (B runs of one dense network, each with its own weights) are laid
 * out and multiplied in the hand-derived fast path (problems/dense-grad.ts), in the form
 * that is fastest on the current backend:
 *
 *  - `one` (B = 1): 2-D tensors [N, ·] and 2-D matMuls, which tfjs-wasm hands to XNNPACK.
 *  - `bnu`: activations [B, N, units] and batched matMuls — fine on cpu and the GPU
 *    backends; tfjs-wasm's batched matMul is a scalar loop.
 *  - `nbu` (wasm): activations [N, B, units] and depthwise convolutions with the runs as
 *    channels, which tfjs-wasm runs as XNNPACK's grouped GEMM (~4× its batched matMul for
 *    16 runs of the 2-16-16-1 MLP). The contraction index is the convolution's spatial
 *    axis, out[m, b·n + j] = Σ_s x[m, s, b] · f[s, b, j]; the layout is chosen so that the
 *    only large transposes are the cheap batch-of-2-D kind ([0, 2, 1]) plus one per layer
 *    for the weight gradient.
 * Under a gradient tape (Newton's Hessian differentiates the fast gradient) `nbu` is never
 * chosen: tfjs-wasm has no kernels for the depthwise convolution's own gradient.
 * In every layout the first layer, whose input x is shared by all rows, is one 2-D matMul
 * against all rows' weights side by side, x [N, d] · [d, B·out].
 */
import { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tensor4D } from '../tf';

export type RowLayoutKind = 'one' | 'bnu' | 'nbu';

export interface RowLayout {
  readonly kind: RowLayoutKind;
  /** The network input x [N, d] as the first activation. */
  input(x: Tensor2D): Tensor;
  /** Targets y [N, T] shaped to broadcast against the outputs. */
  targets(y: Tensor2D): Tensor;
  /** a·W + b per row; W [B, in, out], b [B, out]; `shared`: a is the input. */
  affine(a: Tensor, w: Tensor3D, b: Tensor2D, shared: boolean): Tensor;
  /**
   * A layer's gradient per row, [B, (in + 1)·out] in θ's layout: Σ_n ā_nᵀ δ_n with
   * ā = [a, 1], i.e. the weights' rows (Σ_n a_nᵀ δ_n) and then the bias row (Σ_n δ_n).
   */
  layerGrad(a: Tensor, delta: Tensor, shared: boolean): Tensor2D;
  /** δ·Wᵀ per row. */
  back(delta: Tensor, w: Tensor3D): Tensor;
  /** The mean over the examples of per-example values (the layout without its unit axis): [B]. */
  meanOverExamples(l: Tensor): Tensor1D;
}

/** The layout for B rows on the current backend (see above). */
export function rowLayoutNow(B: number): RowLayoutKind {
  if (B === 1) return 'one';
  return tf.getBackend() === 'wasm' && !tf.engine().isTapeOn() ? 'nbu' : 'bnu';
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

/** x [N, d] · W for every row at once: [N, B·out] (column b·out + j = row b's unit j). */
function sharedProduct(x: Tensor, w: Tensor3D): Tensor2D {
  const [B, d, out] = w.shape;
  const wAll = tf.reshape(tf.transpose(w, [1, 0, 2]), [d, B * out]) as Tensor2D;
  return tf.matMul(tf.reshape(x, [-1, d]) as Tensor2D, wAll);
}

/** [xᵀ; 1ᵀ] δ for a shared x [N, d] and δ as [N, B·out] (columns b·out + j): [B, (d + 1)·out]. */
function sharedLayerGrad(x: Tensor, deltaCols: Tensor2D, B: number): Tensor2D {
  const [n, d] = [x.shape[x.shape.length - 2] ?? 1, x.shape[x.shape.length - 1] ?? 1];
  // [xᵀ; 1ᵀ] as one operand, transposed explicitly: tfjs-wasm multiplies a transposed operand in a slow loop.
  const xt = tf.concat([tf.transpose(tf.reshape(x, [n, d])), tf.ones([1, n])], 0) as Tensor2D;
  const out = deltaCols.shape[1] / B;
  const g = tf.transpose(tf.reshape(tf.matMul(xt, deltaCols), [d + 1, B, out]), [1, 0, 2]);
  return tf.reshape(g, [B, (d + 1) * out]) as Tensor2D;
}

/** W [1, in, out] as [in, out]. */
const only = (w: Tensor3D): Tensor2D => tf.reshape(w, [w.shape[1], w.shape[2]]) as Tensor2D;

const one: RowLayout = {
  kind: 'one',
  input: (x) => x,
  targets: (y) => y,
  affine: (a, w, b) => tf.add(tf.matMul(a as Tensor2D, only(w)), b),
  layerGrad: (a, delta) => {
    const gw = tf.matMul(tf.transpose(a as Tensor2D), delta as Tensor2D);
    return tf.reshape(tf.concat([gw, tf.sum(delta, 0, true)], 0), [1, -1]) as Tensor2D;
  },
  back: (delta, w) => tf.matMul(delta as Tensor2D, tf.transpose(only(w))),
  meanOverExamples: (l) => tf.reshape(tf.mean(l), [1]) as Tensor1D,
};

const bnu: RowLayout = {
  kind: 'bnu',
  input: (x) => tf.expandDims(x, 0),
  targets: (y) => y,
  affine: (a, w, b, shared) => {
    const [B, , out] = w.shape;
    const z = shared
      ? tf.transpose(tf.reshape(sharedProduct(a, w), [-1, B, out]), [1, 0, 2])
      : tf.matMul(a as Tensor3D, w);
    return tf.add(z, tf.reshape(b, [B, 1, out]));
  },
  layerGrad: (a, delta, shared) => {
    const [B, N, out] = delta.shape as [number, number, number];
    if (shared)
      return sharedLayerGrad(a, tf.reshape(tf.transpose(delta, [1, 0, 2]), [N, B * out]) as Tensor2D, B);
    const gw = tf.concat(
      [tf.matMul(a as Tensor3D, delta as Tensor3D, true, false), tf.sum(delta, 1, true)],
      1,
    );
    return tf.reshape(gw, [B, -1]) as Tensor2D;
  },
  back: (delta, w) => tf.matMul(delta as Tensor3D, w, false, true),
  meanOverExamples: (l) => tf.mean(l, 1) as Tensor1D,
};

/**
 * Σ_n t[n, …] for t [N, …] as a 2-D matMul ones [1, N] · t [N, ·]: tfjs-wasm reduces only
 * over the last axis and transposes first for any other, a slow generic kernel.
 */
function sumExamples(t: Tensor, scale = 1): Tensor {
  const [n, ...rest] = t.shape;
  const ones = tf.fill([1, n ?? 1], scale);
  return tf.reshape(tf.matMul(ones as Tensor2D, tf.reshape(t, [n ?? 1, -1]) as Tensor2D), rest);
}

const nbu: RowLayout = {
  kind: 'nbu',
  input: (x) => x,
  targets: (y) => tf.expandDims(y, 1),
  affine: (a, w, b, shared) => {
    const [B, k, out] = w.shape;
    let z: Tensor;
    if (shared) z = tf.reshape(sharedProduct(a, w), [-1, B, out]);
    // One output unit: a per-row dot product, Σ_i a[n, b, i] w[b, i].
    else if (out === 1) z = tf.sum(tf.mul(a, tf.reshape(w, [B, k])), -1, true);
    else z = channelProduct(tf.transpose(a, [0, 2, 1]) as Tensor3D, tf.transpose(w, [1, 0, 2]) as Tensor3D);
    return tf.add(z, b);
  },
  layerGrad: (a, delta, shared) => {
    const [N, B, out] = delta.shape as [number, number, number];
    if (shared) return sharedLayerGrad(a, tf.reshape(delta, [N, B * out]) as Tensor2D, B);
    // x[i, n, b] = ā[n, b, i] (ā = [a, 1]: a ones row after the transpose, a contiguous
    // append), f[n, b, j] = δ[n, b, j] -> [in + 1, B, out].
    const x = tf.concat([tf.transpose(a, [2, 0, 1]), tf.ones([1, N, B])], 0) as Tensor3D;
    const g = channelProduct(x, delta as Tensor3D);
    return tf.reshape(tf.transpose(g, [1, 0, 2]), [B, -1]) as Tensor2D;
  },
  back: (delta, w) => {
    const [B, k, out] = w.shape;
    if (out === 1) return tf.mul(delta, tf.reshape(w, [B, k]));
    // x[n, j, b] = δ[n, b, j], f[j, b, i] = W[b, i, j] -> [N, B, in].
    return channelProduct(tf.transpose(delta, [0, 2, 1]) as Tensor3D, tf.transpose(w, [2, 0, 1]) as Tensor3D);
  },
  meanOverExamples: (l) => sumExamples(l, 1 / (l.shape[0] ?? 1)) as Tensor1D,
};

/** The layout object of a kind. */
export function rowLayout(kind: RowLayoutKind): RowLayout {
  return { one, bnu, nbu }[kind];
}

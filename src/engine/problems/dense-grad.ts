/**
 * A hand-derived forward/backward for dense networks (docs/theory.md §7 layout), the fast path of
 * the `mlp` problem: loss and gradient of B parameter rows, and per-example output
 * Jacobians at one row, without the autodiff tape. It computes exactly what autodiff of
 * `denseForward` + `nll` computes (tests compare the two to 1e-6), in fewer and cheaper
 * kernels:
 *  - no tape, no customGrad wrappers; activation derivatives from the saved activations;
 *  - tanh as 2σ(2z) − 1 on wasm, where tf.tanh costs ~30 ns an element and tf.sigmoid
 *    ~2 ns (the two agree to float32 round-off, ~1e-7 absolute);
 *  - one parameter row (a single run, per-example Jacobians) uses 2-D matMuls, which
 *    tfjs-wasm hands to XNNPACK; its batched matMul is a plain loop.
 * θ-objectives use it (objective.ts); a φ-objective is differentiated through f by autodiff,
 * except that through a map given block by block its Fisher factor and K-FAC's factors are
 * θ's at f(φ), transformed (optimizers/curvature/fisher.ts, kfac.ts), and that under any map
 * its matrix-free Fisher, GGN and empirical-Fisher products are θ's at f(φ) between J_f v
 * and J_fᵀ w (optimizers/curvature/matrix-free.ts). The backward is
 * written with ordinary differentiable ops, so a further tf.grad over it (Newton's Hessian)
 * is the exact second derivative.
 */
import { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tensor4D } from '../tf';
import { fisherRows, softmaxFisherRoot } from './likelihood';
import {
  heldInputProduct,
  rowLayout,
  rowLayoutNow,
  sharedInput,
  withOnesColumn,
  type LayerParams,
  type RowLayout,
  type RowLayoutKind,
} from './row-layout';
import { blockSizes } from './dense';
import type { DenseLayer, Problem } from './problem';

/** What the network's last dense layer feeds: the logits [0, z] of two classes, or itself. */
export type DenseHead = 'binary' | 'identity';

export interface DenseFastPath {
  /** What it was derived for: it serves only a problem with these very objects. */
  readonly basis: Pick<Problem, 'model' | 'likelihood' | 'x' | 'y'>;
  /** The network it computes: its layers and what the last one feeds. */
  readonly layers: readonly DenseLayer[];
  readonly head: DenseHead;
  /** Mean NLL [B] and its gradient [B, P] for B parameter rows (θ). */
  lossAndGradient(theta: Tensor2D): { loss: Tensor1D; gradient: Tensor2D };
  /** Mean NLL [B] (forward only). */
  loss(theta: Tensor2D): Tensor1D;
  /** Model outputs at one row [1, P] on every example: [N, C]. */
  outputsAt(row: Tensor2D): Tensor2D;
  /** Output Jacobians J[n, c, :] = ∂h_c(x_n)/∂θ at one row [1, P]: [N, C, P]. */
  outputJacobians(row: Tensor2D): Tensor3D;
  /**
   * The Fisher factor U [N·r, P] at one row [1, P] (curvature/fisher.ts): rows M'_n J_n,
   * row n·r + k for example n, from one backward seeded with the rows of M'_n
   * (likelihood.ts `fisherRows`) — never forming J.
   */
  fisherFactor(row: Tensor2D): Tensor2D;
  /** Per-example loss gradients g_n [N, P] at one row [1, P]: one backward seeded with ∂ℓ_n/∂h. */
  perExampleGradients(row: Tensor2D): Tensor2D;
  /**
   * K-FAC's factors at one row [1, P] (curvature/kfac.ts has the definitions), per layer:
   * A = (1/N) Σ_n ā_n ā_nᵀ over the examples with a nonzero sensitivity, ā = [a_in, 1],
   * and G = (1/N) Σ_{n,k} δ_{n,k} δ_{n,k}ᵀ, δ backpropagated from the rows of M'_n
   * (likelihood.ts `fisherRows`) — from activations and sensitivities directly, never
   * forming the per-example Jacobians (a softmax last layer over more than two classes:
   * its G is the same Σ_n diag(p_n) − p_n p_nᵀ over N in closed form, `softmaxFisherSum`).
   * The first layer's A is returned as x̄ᵀx̄/N, made once (its input does not change): it
   * is that layer's A while every entry of `inputMask` is 1; otherwise the A is
   * `maskedInputMoment(inputMask)`. With `draws` (K-FAC's sampled Fisher) the rows are one
   * per example, ∂ℓ/∂h at a drawn target (`LabelDraws`), and every G is their δᵀδ/N.
   */
  kfacFactors(row: Tensor2D, draws?: LabelDraws): KfacTensors;
  /**
   * K-FAC's step inputs at one row [1, P] from one forward pass: the gradient [1, P] and the
   * factors of `kfacFactors`, identical to calling `lossAndGradient` and `kfacFactors` —
   * except that for a network with one hidden layer and a softmax over more than two classes
   * under the exact Fisher, with `hidden` asked for, the first layer's G and `inputMask` are
   * not formed: `hidden` carries what a reader needs to make them after the read
   * (optimizers/curvature/hidden-fisher.ts, one pass over the examples instead of a Gram
   * matrix of N·C rows).
   */
  gradientAndKfacFactors(
    row: Tensor2D,
    draws?: LabelDraws,
    hidden?: boolean,
  ): KfacParts & { gradient: Tensor2D };
  /**
   * The first layer's K-FAC factor A over the examples where mask [N, 1] is 1 (1 or 0
   * each): (x̄ ⊙ mask)ᵀ x̄ / N, x̄ = [x, 1].
   */
  maskedInputMoment(mask: Tensor2D): Tensor2D;
  /**
   * The diagonal of the exact Fisher at one row [1, P]: [1, P], from the Fisher rows δ_{n,k}
   * that K-FAC's G takes (`kfacFactors` without draws). The factor's row (n, k) is
   * [ā_n ⊗ δ_{n,k}] per layer, so a weight W_ij's entry is (1/N) Σ_n a_{n,i}² S_{n,j} with
   * S_{n,j} = Σ_k δ_{n,k,j}² (a bias's: a_i = 1), one product (ā²)ᵀS a layer: the column
   * sums of squares of the factor over N, never forming it.
   */
  fisherDiagonal(row: Tensor2D): Tensor2D;
  /**
   * The gradient [1, P] and `fisherDiagonal` [1, P] at one row from one forward pass,
   * identical to calling `lossAndGradient` and `fisherDiagonal`.
   */
  gradientAndFisherDiagonal(row: Tensor2D): { gradient: Tensor2D; diagonal: Tensor2D };
  /**
   * Σ_n J_nᵀ w_n at one row [1, P] for a direction v [1, P]: [1, P], with J_n the output
   * Jacobian of example n and w = `weigh(h, J v)` [N, C] computed from the outputs h [N, C]
   * and their tangents J v [N, C] (e.g. w_n = Λ_n J_n v, a Fisher or GGN product). J v by
   * one tangent (forward-mode) pass through the layers, Jᵀw by the ordinary backward: a
   * curvature-vector product in about three passes over the data, never forming J.
   */
  outputJacobianProduct(
    row: Tensor2D,
    v: Tensor2D,
    weigh: (outputs: Tensor2D, tangents: Tensor2D) => Tensor2D,
  ): Tensor2D;
  /**
   * `outputJacobianProduct` at a fixed row [1, P] for many directions: the forward pass
   * (activations, act', the layers' parameters) is taken once and kept, so each product is
   * the tangent pass and the backward only (a CG solve multiplies by the same row's
   * curvature tens of times). `dispose()` frees the kept tensors (not `row`).
   */
  linearize(row: Tensor2D): {
    product(v: Tensor2D, weigh: (outputs: Tensor2D, tangents: Tensor2D) => Tensor2D): Tensor2D;
    dispose(): void;
  };
  /**
   * What a Fisher (or equal GGN) product at one row [1, P] takes besides θ, for a reader that
   * multiplies on the CPU (optimizers/curvature/fisher-product.ts): each later layer's input
   * a_k [N, in_k] (k ≥ 1), each hidden layer's act'(z_k) [N, out_k], and the output Fisher Λ_n:
   * the softmax probabilities [N, C] (identity head), or one scale per example [N, 1]
   * (σ(z)σ(−z) for the binary head's logits [0, z]; 1/σ² for a gaussian).
   */
  productParts(row: Tensor2D): {
    inputs: Tensor2D[];
    derivs: Tensor2D[];
    probs: Tensor2D | null;
    scale: Tensor2D | null;
  };
  /**
   * Mean NLL [G] at the G points θ = c + α·d1 + β·d2 of a plane: plane [3, P] holds the
   * rows c, d1, d2 and coef [G, 3] the rows (1, α, β) (landscape slices). A layer's weights
   * are affine in (α, β): the first layer, whose input is the same everywhere, combines
   * x̄·[W_t; b_t] per point; a later layer multiplies by each point's weights
   * W(α, β) = W_c + α·W_1 + β·W_2 in one depthwise convolution (`points-last`, wasm's
   * default) or as a·W_c + α(a·W_1) + β(a·W_2), three 2-D matMuls for all G points (`rows`,
   * elsewhere); a one-unit layer is a dot product with each point's weight vector.
   */
  planeLoss(plane: Tensor2D, coef: Tensor2D, layout?: PlaneLayout): Tensor1D;
  /**
   * The same network's fast path on other data of the same layout (a mini-batch's rows,
   * problems/minibatch.ts): a new fast path, disposed by the caller.
   */
  rebase(basis: Pick<Problem, 'model' | 'likelihood' | 'x' | 'y'>): DenseFastPath | null;
  /** Free the constant tensors it made (not x and y: they belong to the problem). */
  dispose(): void;
}

/**
 * How `planeLoss` lays out the G points of a chunk (both compute the same losses):
 *  - `rows`: activations [G, N, units]; a later layer is three 2-D products a·W_t for all
 *    points and a combination — the form for cpu and the GPU backends.
 *  - `points-last` (the default on wasm): activations [N, units, G], the points as
 *    channels; a later layer is one depthwise convolution with each point's own weights
 *    W(α, β) = W_c + α·W_1 + β·W_2 (XNNPACK's grouped GEMM), so the product is done once,
 *    not three times, and the combination pass is gone.
 * A slice on the CPU backends takes neither unless asked: the fused kernel
 * (landscape/plane-kernel.ts) is faster there.
 */
export type PlaneLayout = 'rows' | 'points-last';

/** K-FAC's factor tensors from the fast path (`DenseFastPath.kfacFactors`). */
export interface KfacTensors {
  /** Per layer, A [inputs + 1, inputs + 1] and G [outputs, outputs]; see `inputMask` for the first A. */
  factors: { A: Tensor2D; G: Tensor2D }[];
  /** [N, 1]: 1 where example n has a nonzero first-layer sensitivity (it counts in that A), else 0. */
  inputMask: Tensor2D;
}

/**
 * `KfacTensors` with the first layer's G and the input mask left to the reader where
 * `hidden` is set (`gradientAndKfacFactors`): then `factors[0].G` and `inputMask` are null.
 */
export interface KfacParts {
  factors: { A: Tensor2D; G: Tensor2D | null }[];
  inputMask: Tensor2D | null;
  hidden: HiddenFisherInputs | null;
}

/**
 * What the first (and only hidden) layer's G of a softmax network takes (hidden-fisher.ts):
 * the probabilities p [N, C], that layer's act'(z) [N, H] and the output layer's W [H, C].
 */
export interface HiddenFisherInputs {
  probs: Tensor2D;
  derivs: Tensor2D;
  weights: Tensor2D;
}

/**
 * The random numbers of K-FAC's sampled Fisher (Martens & Grosse 2015, §5; docs/theory.md
 * §7): `uniform(n)` [n, 1] in [0, 1) for a softmax likelihood (one label per example, by
 * the inverse of its predictive CDF), `normal(n, k)` [n, k] standard normal for a gaussian
 * one (y = h + σε). With draws, `kfacFactors` takes one Fisher row per example, the
 * gradient of ℓ at the sampled target, instead of the exact expectation's C rows.
 */
export interface LabelDraws {
  uniform(n: number): Tensor2D;
  normal(n: number, k: number): Tensor2D;
}

/** A problem that carries the fast path. */
export type DenseProblem = Problem & { readonly dense: DenseFastPath };

/**
 * The problem's fast path, or null when it has none — or when the problem object was
 * copied with another model, likelihood or data (`{ ...p, likelihood }`), which the
 * fast path would not know about.
 */
export function denseFastPathOf(problem: Problem): DenseFastPath | null {
  const fast = (problem as Partial<DenseProblem>).dense;
  if (!fast) return null;
  const { model, likelihood, x, y } = fast.basis;
  const same =
    model === problem.model && likelihood === problem.likelihood && x === problem.x && y === problem.y;
  return same ? fast : null;
}

/** act(z) and, from the saved value, act'(z) (plain tfjs kernels: no nested gradient). */
export function activation(kind: DenseLayer['activation'], z: Tensor): { a: Tensor; deriv: () => Tensor } {
  switch (kind) {
    case 'tanh': {
      // 2σ(2z) − 1 only where it pays: on wasm (see above); elsewhere tanh is one cheap kernel.
      const a = tf.getBackend() === 'wasm' ? tf.sub(tf.mul(tf.sigmoid(tf.mul(z, 2)), 2), 1) : tf.tanh(z);
      return { a, deriv: () => tf.sub(1, tf.square(a)) };
    }
    case 'softplus':
      return { a: tf.softplus(z), deriv: () => tf.sigmoid(z) };
    case 'relu':
      return { a: tf.relu(z), deriv: () => tf.step(z) };
    case 'linear':
      return { a: z, deriv: () => tf.onesLike(z) };
  }
}

/**
 * The fast path for `layers` with `head` and likelihood `lik` on inputs x [N, d] and
 * targets y [N, T] (all from `basis`, the problem it serves), or null when the likelihood
 * has no hand-derived form here.
 * Holds the constant forms of x and y its products take ([x, 1], its transpose, x̄ᵀx̄/N, the sums
 * of y's rows and y's second column), made here once; `dispose()` frees them (x and y
 * belong to the problem).
 */
export function denseFastPath(
  layers: readonly DenseLayer[],
  head: DenseHead,
  basis: Pick<Problem, 'model' | 'likelihood' | 'x' | 'y'>,
): DenseFastPath | null {
  const { model, likelihood: lik, x, y } = basis;
  if (lik.kind === 'gaussian-meanstd') return null;
  const sizes = blockSizes(layers);
  const P = sizes.reduce((s, n) => s + n, 0);
  const N = x.shape[0];
  const input = sharedInput(x);
  /** Σ_c y[n, c] and, for the binary head, y[n, 1] (the second class), [N, 1] each. */
  const targetSums = {
    sum: tf.keep(tf.sum(y, -1, true)) as Tensor2D,
    second: head === 'binary' ? (tf.keep(tf.slice(y, [0, 1], [-1, 1])) as Tensor2D) : null,
  };
  const outs = layers[layers.length - 1]?.outputs ?? 1;
  /** x̄ᵀx̄ / N: the first layer's K-FAC factor A when every example counts. */
  const inputMoment = tf.keep(tf.tidy(() => tf.div(tf.matMul(input.barT, input.bar), N) as Tensor2D));
  /**
   * Softmax over more than two classes: K-FAC's last layer takes its Fisher in closed form
   * (`softmaxFisherSum`, `fisherSeeds`) with the C × C identity I and 1 − I, made here once.
   */
  const classes =
    lik.kind === 'softmax' && head === 'identity' && outs > 2
      ? tf.tidy(() => {
          const eye = tf.keep(tf.eye(outs) as Tensor2D);
          return { eye, off: tf.keep(tf.sub(1, eye) as Tensor2D) };
        })
      : null;

  /**
   * Activations a_0 = x … a_L (the last layer's output) and each hidden layer's act', in
   * the row layout for B rows on this backend (row-layout.ts: 2-D for one row, else
   * [B, N, ·] or [·, B, N]), with the layers' parameters in that layout's form.
   */
  function forward(theta: Tensor2D, kind: RowLayoutKind = rowLayoutNow(theta.shape[0])) {
    const layout = rowLayout(kind);
    const params = layout.params(theta, layers);
    const acts: Tensor[] = [x];
    const derivs: (() => Tensor)[] = [];
    layers.forEach((l, k) => {
      const p = params[k] as LayerParams;
      const z = k === 0 ? layout.affineShared(input, p) : layout.affine(acts[k] as Tensor, p);
      const act = activation(l.activation, z);
      acts.push(act.a);
      // Computed once, on first use (the gradient and K-FAC's backward both need it).
      let deriv: Tensor | null = null;
      derivs.push(() => (deriv ??= act.deriv()));
    });
    return { layout, params, acts, derivs };
  }

  /**
   * Per-example NLL (o's shape without its unit axis; made when `l()` is called, which a
   * caller that needs only the derivative skips) and ∂ℓ/∂(last layer output) (o's
   * shape) from the output o in `layout` (units last, or first in `unb`) against the
   * problem's targets y [N, T] (their row sums and second column made once, above).
   */
  function lossTerms(
    o: Tensor,
    withGrad: boolean,
    layout: RowLayout = rowLayout('one'),
  ): { l: () => Tensor; dl: Tensor | null; probs?: Tensor } {
    const axis = layout.unitAxis;
    switch (lik.kind) {
      case 'gaussian-meanstd':
        throw new Error('no fast path for the (μ, σ) likelihood');
      case 'gaussian': {
        const r = tf.sub(o, layout.targets(y));
        const s2 = lik.sigma * lik.sigma;
        return {
          l: () => tf.mul(tf.sum(tf.square(r), axis), 0.5 / s2),
          dl: withGrad ? tf.div(r, s2) : null,
        };
      }
      case 'softmax': {
        const ySum = layout.targets(targetSums.sum);
        if (head === 'binary') {
          // logits [0, z]: ℓ = (y₀ + y₁) softplus(z) − y₁ z, ∂ℓ/∂z = (y₀ + y₁) σ(z) − y₁.
          const y1 = layout.targets(targetSums.second as Tensor2D);
          return {
            l: () => tf.squeeze(tf.sub(tf.mul(ySum, tf.softplus(o)), tf.mul(y1, o)), [axis]),
            dl: withGrad ? tf.sub(tf.mul(ySum, tf.sigmoid(o)), y1) : null,
          };
        }
        // ℓ = (Σy) lse(h) − yᵀh, ∂ℓ/∂h = (Σy) softmax(h) − y.
        // softmax(h) = exp(h − lse), the same kernels as ops.ts `softmax` (so K-FAC's Fisher
        // rows may take these very probabilities: `probs`).
        const t = layout.targets(y);
        const m = tf.max(o, axis, true);
        const lse = tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(o, m)), axis, true)));
        const l = () => tf.sub(tf.squeeze(tf.mul(ySum, lse), [axis]), tf.sum(tf.mul(t, o), axis));
        if (!withGrad) return { l, dl: null };
        const probs = tf.exp(tf.sub(o, lse));
        return { l, dl: tf.sub(tf.mul(ySum, probs), t), probs };
      }
    }
  }

  /** Backward from δ_L (the layout of the outputs): every layer's (∂W, ∂b), flattened to [B, P]. */
  function backward(fw: ReturnType<typeof forward>, dOut: Tensor): Tensor2D {
    const { layout } = fw;
    const parts: Tensor[] = [];
    let delta = dOut;
    for (let k = layers.length - 1; k >= 0; k--) {
      parts.unshift(
        k === 0 ? layout.layerGradShared(input, delta) : layout.layerGrad(fw.acts[k] as Tensor, delta),
      );
      if (k > 0)
        delta = tf.mul(layout.back(delta, fw.params[k] as LayerParams), (fw.derivs[k - 1] as () => Tensor)());
    }
    return layout.join(parts);
  }

  /** The model's outputs from the last layer's (the logits [0, z] for two classes). */
  const modelOut = (o: Tensor): Tensor => (head === 'binary' ? tf.mul(o, tf.tensor1d([0, 1])) : o);

  /** The binary head's output Fisher in its logit z (logits [0, z]): p₀p₁ = σ(z)σ(−z), [N, 1]. */
  const binaryFisher = (o: Tensor2D): Tensor2D => tf.mul(tf.sigmoid(o), tf.sigmoid(tf.neg(o))) as Tensor2D;

  /**
   * A one-row forward pass at `row` held for Jacobian products (`linearize`): per layer k,
   * its input with the ones column ā_k = [a_k, 1] [N, in + 1] and its transpose (x̄ and
   * x̄ᵀ for the first layer, made once), the weights W_k [in, out] and W_kᵀ, the previous
   * layer's act'; and the model's outputs. A product then needs no transpose, bias add or
   * bias sum: a layer's parameter block of θ (W row-major, then b) is [W; b] [in + 1, out].
   */
  function linearization(row: Tensor2D) {
    const fw = forward(row, 'one');
    const layer = layers.map((l, k) => {
      const w = tf.reshape((fw.params[k] as LayerParams).w, [l.inputs, l.outputs]) as Tensor2D;
      const bar = k === 0 ? input.bar : withOnesColumn(fw.acts[k] as Tensor2D);
      return {
        bar,
        barT: k === 0 ? input.barT : (tf.transpose(bar) as Tensor2D),
        w,
        wT: tf.transpose(w) as Tensor2D,
        derivIn: k === 0 ? null : ((fw.derivs[k - 1] as () => Tensor)() as Tensor2D),
      };
    });
    return { layer, out: modelOut(fw.acts[layers.length] as Tensor) as Tensor2D };
  }

  /**
   * Σ_n J_nᵀ w_n for a direction v [1, P] at a held forward pass (`linearization`), w =
   * weigh(h, J v) (see `outputJacobianProduct`): the tangent pass, then the backward.
   */
  function jacobianProduct(
    lin: ReturnType<typeof linearization>,
    v: Tensor2D,
    weigh: (outputs: Tensor2D, tangents: Tensor2D) => Tensor2D,
  ): Tensor2D {
    const blocks = tf.split(
      v,
      layers.map((l) => (l.inputs + 1) * l.outputs),
      1,
    );
    const dp = layers.map((l, k) => tf.reshape(blocks[k] as Tensor, [l.inputs + 1, l.outputs]) as Tensor2D);
    const at = (k: number) => lin.layer[k] as ReturnType<typeof linearization>['layer'][number];
    // Tangents of the pre-activations: dz_k = ā_{k-1}·[dW_k; db_k] + da_{k-1}·W_k, with
    // da_k = act'(z_k) ⊙ dz_k and da_0 = 0; the last layer is linear (as `backward` takes it).
    let dz: Tensor2D = tf.matMul(at(0).bar, dp[0] as Tensor2D);
    for (let k = 1; k < layers.length; k++) {
      const da = tf.mul(dz, at(k).derivIn as Tensor2D) as Tensor2D;
      dz = tf.add(tf.matMul(at(k).bar, dp[k] as Tensor2D), tf.matMul(da, at(k).w)) as Tensor2D;
    }
    const w = weigh(lin.out, modelOut(dz) as Tensor2D);
    // Back to the last layer's output: the binary head's logits are [0, z].
    let delta = (head === 'binary' ? tf.slice(w, [0, 1], [-1, 1]) : w) as Tensor2D;
    // Each layer's gradient ā_kᵀ δ_k = [Σ_n a_nᵀ δ_n; Σ_n δ_n], θ's block for that layer.
    const parts: Tensor2D[] = [];
    for (let k = layers.length - 1; k >= 0; k--) {
      parts.unshift(tf.reshape(heldInputProduct(at(k).bar, at(k).barT, delta), [1, -1]) as Tensor2D);
      if (k > 0) delta = tf.mul(tf.matMul(delta, at(k).wT), at(k).derivIn as Tensor2D) as Tensor2D;
    }
    return tf.concat(parts, 1) as Tensor2D;
  }

  /**
   * The rows M'_n H of the Fisher factor at the last layer: [N·r, outs], row n·r + k (H:
   * the head's Jacobian, [0, 1]ᵀ for logits [0, z]). Two classes: fisherRows' one row is
   * √(p₀p₁)·[−1, 1], so M'H = √(σ(z)σ(−z)) (zero where float32 underflows, as there).
   * `probs`: softmax(o) when the caller has it (`lossTerms`), for more than two classes.
   */
  function fisherSeeds(o: Tensor2D, probs?: Tensor): { seeds: Tensor2D; r: number } {
    if (head === 'binary') return { seeds: tf.sqrt(binaryFisher(o)) as Tensor2D, r: 1 };
    const M = probs && classes ? softmaxFisherRoot(probs as Tensor2D, classes.eye) : fisherRows(lik, o);
    const r = M.shape[1];
    return { seeds: tf.reshape(M, [N * r, outs]) as Tensor2D, r };
  }

  /**
   * One sampled Fisher row per example at the last layer [N, outs] (`LabelDraws`): ∂ℓ/∂o at
   * a target drawn from the model's predictive distribution, whose outer product has
   * expectation Λ_n. Softmax: p − e_c with c the first class whose cumulative probability
   * reaches u (the last class when round-off leaves the sum below u); two classes with
   * logits [0, z]: σ(z) − [u < σ(z)]; gaussian: −ε/σ.
   */
  function sampledSeeds(o: Tensor2D, draws: LabelDraws, probs?: Tensor): Tensor2D {
    if (lik.kind === 'gaussian') return tf.mul(draws.normal(N, outs), -1 / lik.sigma) as Tensor2D;
    const u = draws.uniform(N);
    if (head === 'binary') {
      const p1 = tf.sigmoid(o);
      return tf.sub(p1, tf.step(tf.sub(p1, u))) as Tensor2D;
    }
    // The label counts the classes whose cumulative probability is below u: step(u − cdf)
    // (a comparison broadcast [N, C] against [N, 1] is a slow generic kernel on wasm, ~1 ms
    // here; the subtraction and step ~0.05 ms).
    const p = (probs ?? tf.softmax(o)) as Tensor2D;
    const below = tf.cast(tf.sum(tf.step(tf.sub(u, tf.cumsum(p, 1))), 1), 'int32');
    const label = tf.minimum(below, tf.scalar(outs - 1, 'int32'));
    // An int32 one-hot, then cast: tfjs-wasm's float32 oneHot writes the integer 1's bits
    // (1.4e-45 as a float).
    return tf.sub(p, tf.cast(tf.oneHot(label, outs), 'float32')) as Tensor2D;
  }

  /** Each example's row of t [N, ·] repeated r times (rows n·r + k). */
  function repeatRows(t: Tensor, r: number): Tensor2D {
    const t2 = tf.reshape(t, [N, -1]) as Tensor2D;
    return r === 1
      ? t2
      : (tf.reshape(tf.mul(tf.expandDims(t2, 1), tf.ones([1, r, 1])), [N * r, -1]) as Tensor2D);
  }

  /**
   * rows [N·r, w] (row n·r + k for example n) times each example's row of t [N, w], by
   * broadcasting over the r rows: the products of `repeatRows(t, r)` and the rows, without
   * forming the repeated copy.
   */
  function timesPerExample(rows: Tensor2D, t: Tensor, r: number): Tensor2D {
    const w = rows.shape[1];
    if (r === 1) return tf.mul(rows, tf.reshape(t, [N, w])) as Tensor2D;
    return tf.reshape(tf.mul(tf.reshape(rows, [N, r, w]), tf.reshape(t, [N, 1, w])), [N * r, w]) as Tensor2D;
  }

  /**
   * Backpropagate seed rows [m, outs] through a one-row forward pass: `visit(k, δ_k)` for
   * every layer k from the last, δ_k [m, outputs_k] the rows' sensitivities at its
   * pre-activation; `times(rows, t)` multiplies rows by a per-example tensor t [N, ·] taken
   * to the rows' order.
   */
  function eachLayerBack(
    fw: ReturnType<typeof forward>,
    seeds: Tensor2D,
    times: (rows: Tensor2D, t: Tensor) => Tensor2D,
    visit: (k: number, delta: Tensor2D) => void,
  ): void {
    let delta = seeds;
    for (let k = layers.length - 1; k >= 0; k--) {
      visit(k, delta);
      if (k > 0) {
        const l = layers[k] as DenseLayer;
        const w = tf.reshape((fw.params[k] as LayerParams).w, [l.inputs, l.outputs]) as Tensor2D;
        const back = tf.matMul(delta, tf.transpose(w));
        delta = times(back as Tensor2D, (fw.derivs[k - 1] as () => Tensor)());
      }
    }
  }

  /**
   * Per-row derivatives [m, P] of a one-row forward pass: row i is the backward of the
   * last layer's seed row i, each layer contributing [a ⊗ δ, δ] (docs/theory.md §7).
   */
  function seededRows(
    fw: ReturnType<typeof forward>,
    seeds: Tensor2D,
    expand: (t: Tensor) => Tensor2D,
  ): Tensor2D {
    const m = seeds.shape[0];
    const parts: Tensor[] = [];
    const times = (rows: Tensor2D, t: Tensor): Tensor2D => tf.mul(rows, expand(t)) as Tensor2D;
    eachLayerBack(fw, seeds, times, (k, delta) => {
      const a = expand(fw.acts[k] as Tensor);
      const l = layers[k] as DenseLayer;
      const outer = tf.mul(tf.expandDims(a, 2), tf.expandDims(delta, 1));
      parts.unshift(tf.reshape(outer, [m, l.inputs * l.outputs]), delta);
    });
    return tf.concat(parts, 1) as Tensor2D;
  }

  /**
   * Σ_n Λ_n = Σ_n diag(p_n) − p_n p_nᵀ for probabilities p [N, C] without cancellation:
   * off the diagonal −Σ_n p_ni p_nj, on it Σ_n p_ni Σ_{j≠i} p_nj (p_i(1 − p_i) with 1 − p_i
   * summed from the other classes, accurate also where p_i is near 1).
   */
  function softmaxFisherSum(p: Tensor2D, { eye, off }: { eye: Tensor2D; off: Tensor2D }): Tensor2D {
    const rest = tf.matMul(p, off);
    const diag = tf.sum(tf.mul(p, rest), 0, true);
    return tf.sub(tf.mul(eye, diag), tf.mul(tf.matMul(tf.transpose(p), p), off)) as Tensor2D;
  }

  /** (x̄ ⊙ mask)ᵀ x̄ / N, the first layer's A (see the interface). */
  const maskedMoment = (mask: Tensor2D): Tensor2D =>
    tf.div(tf.matMul(tf.transpose(tf.mul(input.bar, mask)), input.bar), N) as Tensor2D;

  /** The complete factors (`kfacParts` without `hidden`). */
  function kfacFrom(fw: ReturnType<typeof forward>, probs?: Tensor, draws?: LabelDraws): KfacTensors {
    return kfacParts(fw, probs, draws, false) as KfacTensors;
  }

  /**
   * Layer k's A over the examples whose `mask` [N, 1] is 1: ā = [a_in, 1]. The first layer's
   * ā = [x, 1] is the same at every step: x̄ᵀx̄/N made once, exactly `maskedMoment` of an
   * all-ones mask (a product by 1 is exact), so its mask is not taken here: the caller
   * applies a mask with zeros.
   */
  function kfacA(fw: ReturnType<typeof forward>, k: number, mask?: Tensor2D): Tensor2D {
    if (k === 0 || !mask) return tf.clone(inputMoment);
    const l = layers[k] as DenseLayer;
    const aBar = withOnesColumn(tf.reshape(fw.acts[k] as Tensor, [N, l.inputs]) as Tensor2D);
    return tf.div(tf.matMul(tf.transpose(tf.mul(aBar, mask)), aBar), N) as Tensor2D;
  }

  /**
   * Which examples count in the last layer's A of a softmax over more than two classes: 1
   * where the Fisher's rows √p_c (e_c − p) are not all zero, Σ_c p_c (1 − p_c) > 0 (their
   * squared norms sum to Σ_c p_c ‖e_c − p‖² = 1 − ‖p‖², that sum), else 0: a softmax
   * one-hot in float32.
   */
  const softmaxMask = (p: Tensor2D): Tensor2D =>
    tf.sign(tf.sum(tf.mul(p, tf.sub(1, p)), 1, true)) as Tensor2D;

  /**
   * K-FAC's factors (see the interface) from a forward pass at one row; `probs`: softmax of
   * its outputs when the caller has them; `draws`: the sampled Fisher's random numbers
   * (one row per example, every G from its rows, no closed form); `hidden`: leave the first
   * layer's G and mask to the reader where `KfacParts.hidden` applies.
   */
  function kfacParts(
    fw: ReturnType<typeof forward>,
    probs: Tensor | undefined,
    draws: LabelDraws | undefined,
    hidden: boolean,
  ): KfacParts {
    const closed = probs && classes && !draws ? { p: probs as Tensor2D, ...classes } : null;
    if (hidden && closed && layers.length === 2) {
      // The output layer from p alone; the hidden layer's G after the read (hidden-fisher.ts).
      const out = layers[1] as DenseLayer;
      return {
        factors: [
          { A: kfacA(fw, 0), G: null },
          {
            A: kfacA(fw, 1, softmaxMask(closed.p)),
            G: tf.div(softmaxFisherSum(closed.p, closed), N) as Tensor2D,
          },
        ],
        inputMask: null,
        hidden: {
          probs: closed.p,
          derivs: tf.reshape((fw.derivs[0] as () => Tensor)(), [N, out.inputs]) as Tensor2D,
          weights: tf.reshape((fw.params[1] as LayerParams).w, [out.inputs, out.outputs]) as Tensor2D,
        },
      };
    }
    // G = δᵀδ / N, divided after the product as the general path does: undamped K-FAC
    // inverts near-zero factor eigenvalues, and a seed scaled by 1/√N instead rounds
    // differently enough to move the layer-scale scene's θ/φ defect from 1e-5 to 1e-2.
    const factors: { A: Tensor2D; G: Tensor2D }[] = [];
    let inputMask: Tensor2D | null = null;
    eachFisherRowBack(fw, probs, draws, (k, delta, r) => {
      const l = layers[k] as DenseLayer;
      const last = k === layers.length - 1;
      // Examples whose sensitivities are all zero add nothing to A (sign: 1 if > 0, else 0).
      const sq = () => tf.square(delta);
      const mask =
        last && closed
          ? softmaxMask(closed.p)
          : (tf.sign(tf.sum(r === 1 ? sq() : tf.reshape(sq(), [N, r * l.outputs]), 1, true)) as Tensor2D);
      if (k === 0) inputMask = mask;
      const G = last && closed ? softmaxFisherSum(closed.p, closed) : tf.matMul(tf.transpose(delta), delta);
      factors.unshift({ A: kfacA(fw, k, mask), G: tf.div(G, N) as Tensor2D });
    });
    return { factors, inputMask, hidden: null };
  }

  /**
   * The Fisher rows backpropagated through a forward pass at one row: `visit(k, δ_k, r)` for
   * every layer k from the last, δ_k [N·r, outputs_k] the sensitivities at its
   * pre-activation of the r rows of each example (row n·r + k): the exact Fisher's
   * `fisherSeeds`, or with `draws` one sampled row per example (`sampledSeeds`, r = 1).
   * `probs`: softmax of the outputs when the caller has them.
   */
  function eachFisherRowBack(
    fw: ReturnType<typeof forward>,
    probs: Tensor | undefined,
    draws: LabelDraws | undefined,
    visit: (k: number, delta: Tensor2D, r: number) => void,
  ): void {
    const out = fw.acts[layers.length] as Tensor2D;
    const { seeds, r } = draws ? { seeds: sampledSeeds(out, draws, probs), r: 1 } : fisherSeeds(out, probs);
    eachLayerBack(
      fw,
      seeds,
      (rows, t) => timesPerExample(rows, t, r),
      (k, delta) => visit(k, delta, r),
    );
  }

  /**
   * The exact Fisher's diagonal [1, P] from a forward pass at one row (`fisherDiagonal`):
   * per layer (ā²)ᵀS / N [inputs + 1, outputs], S [N, outputs] the sums of δ² over each
   * example's rows; flattened it is the layer's block of θ, W row-major, then b.
   */
  function fisherDiagonalFrom(fw: ReturnType<typeof forward>, probs?: Tensor): Tensor2D {
    const parts: Tensor[] = [];
    eachFisherRowBack(fw, probs, undefined, (k, delta, r) => {
      const l = layers[k] as DenseLayer;
      const sq = tf.square(delta);
      const S = r === 1 ? sq : tf.sum(tf.reshape(sq, [N, r, l.outputs]), 1);
      const barSqT =
        k === 0
          ? tf.square(input.barT)
          : tf.transpose(
              tf.square(withOnesColumn(tf.reshape(fw.acts[k] as Tensor, [N, l.inputs]) as Tensor2D)),
            );
      parts.unshift(tf.reshape(tf.matMul(barSqT as Tensor2D, S as Tensor2D), [1, -1]));
    });
    return tf.div(tf.concat(parts, 1), N) as Tensor2D;
  }

  /**
   * x̄·[W_t; b_t] for the plane rows t = c, 1, 2 of the first layer (W [3, in·out], b [3, out])
   * in one product [N, in + 1]·[in + 1, 3·out], the columns ordered by `perm` of
   * (row, t, unit): [1, 0, 2] gives column t·out + j, [1, 2, 0] column j·3 + t.
   */
  function planeInputProduct(W: Tensor2D, b: Tensor2D, din: number, out: number, perm: number[]): Tensor2D {
    const wb = tf.concat([tf.reshape(W, [3, din, out]), tf.reshape(b, [3, 1, out])], 1);
    return tf.matMul(input.bar, tf.reshape(tf.transpose(wb, perm), [din + 1, 3 * out]) as Tensor2D);
  }

  /**
   * log Σ_c exp(h_c) over the last axis (kept, size 1), as m + log(C + Σ_c expm1(h_c − m))
   * with m the maximum and expm1(t) = elu(t) for t ≤ 0: tfjs-wasm's elu is a vectorized
   * kernel, its exp a scalar loop several times slower (the sum is ≥ 1, so the absolute
   * error of the C terms' expm1, ~1e-7 each, stays relative).
   */
  function logSumExpByElu(h: Tensor): Tensor {
    const m = tf.max(h, -1, true);
    return tf.add(m, tf.log(tf.add(tf.sum(tf.elu(tf.sub(h, m)), -1, true), outs)));
  }

  /**
   * Layer k's plane rows, W [3, in·out] (W_c, W_1, W_2) and b [3, out], for `planeLoss`. A
   * tanh hidden layer is 2σ(2z) − 1; the plane losses form only s = σ(2z) (on wasm σ is a
   * vectorized kernel and tanh is not, see `activation`): the 2 goes into the layer's own
   * [W; b] (`fold`; 3 rows, tiny) and the affine 2s − 1 into the next layer's (`halfTanh`:
   * its input is s), a·W + b = s·(2W) + (b − 1ᵀW), still affine in (α, β). That drops three
   * elementwise passes over every point's hidden activations.
   */
  function planeLayer(
    blocks: Tensor[],
    k: number,
    halfTanh: boolean,
  ): { W: Tensor2D; b: Tensor2D; fold: boolean } {
    const l = layers[k] as DenseLayer;
    let W = blocks[2 * k] as Tensor2D;
    let b = blocks[2 * k + 1] as Tensor2D;
    if (halfTanh) {
      b = tf.sub(b, tf.sum(tf.reshape(W, [3, l.inputs, l.outputs]), 1));
      W = tf.mul(W, 2);
    }
    const fold = l.activation === 'tanh' && k < layers.length - 1;
    if (fold) {
      W = tf.mul(W, 2);
      b = tf.mul(b, 2);
    }
    return { W, b, fold };
  }

  /** `planeLoss` in the `rows` layout (activations [G, N, units]). */
  function planeLossRows(plane: Tensor2D, coef: Tensor2D): Tensor1D {
    const G = coef.shape[0];
    const blocks = tf.split(plane, sizes, 1);
    let halfTanh = false; // whether `a` holds s, the activation being 2s − 1
    let a: Tensor = x; // [N, d], then [G, N, units]
    layers.forEach((l, k) => {
      const [din, out] = [l.inputs, l.outputs];
      const { W, b, fold } = planeLayer(blocks, k, halfTanh);
      let z: Tensor;
      if (k === 0) {
        // The input is the same at every point: x̄·[W_t; b_t] for t = c, 1, 2 once
        // ([N, 3, out]), then each point's (1, α, β) combination: one product [G, 3]·[3, N·out].
        const q = planeInputProduct(W, b, din, out, [1, 0, 2]);
        const q3 = tf.reshape(tf.transpose(tf.reshape(q, [N, 3, out]), [1, 0, 2]), [3, N * out]) as Tensor2D;
        z = tf.reshape(tf.matMul(coef, q3), [G, N, out]);
      } else if (out === 1) {
        // One unit: each point's weight vector (1, α, β)·[w_c; w_1; w_2], then a dot product per example.
        const wg = tf.reshape(tf.matMul(coef, W), [G, 1, din]);
        z = tf.add(tf.sum(tf.mul(a, wg), -1, true), tf.reshape(tf.matMul(coef, b), [G, 1, 1]));
      } else {
        // A layer's weights are affine in (α, β): a·W(α, β) = a·W_c + α(a·W_1) + β(a·W_2),
        // three 2-D products [G·N, in]·[in, out] for all points, then the combination.
        const a2 = tf.reshape(a, [G * N, din]) as Tensor2D;
        const Ws = tf
          .split(tf.reshape(W, [3, din, out]), 3, 0)
          .map((w) => tf.reshape(w, [din, out]) as Tensor2D);
        const part = (t: number): Tensor => tf.reshape(tf.matMul(a2, Ws[t] as Tensor2D), [G, N, out]);
        const ab = tf.split(tf.slice(coef, [0, 1], [G, 2]), 2, 1).map((c) => tf.reshape(c, [G, 1, 1]));
        z = tf.add(
          tf.add(part(0), tf.reshape(tf.matMul(coef, b), [G, 1, out])),
          tf.add(tf.mul(part(1), ab[0] as Tensor), tf.mul(part(2), ab[1] as Tensor)),
        );
      }
      a = fold ? tf.sigmoid(z) : activation(l.activation, z).a;
      halfTanh = fold;
    });
    if (lik.kind === 'softmax' && head === 'identity') {
      // ℓ = (Σy) lse(h) − yᵀh as in `lossTerms`, the lse by `logSumExpByElu`.
      const lse = logSumExpByElu(a);
      const l = tf.sub(tf.squeeze(tf.mul(targetSums.sum, lse), [-1]), tf.sum(tf.mul(y, a), -1));
      return tf.mean(l, -1) as Tensor1D;
    }
    return tf.mean(lossTerms(a, false).l(), -1) as Tensor1D;
  }

  /**
   * `planeLoss` in the `points-last` layout: activations [N, units, G], the G points as the
   * channels of a depthwise convolution. The first layer is one product [N·out, 3]·coefᵀ
   * (x̄·[W_t; b_t] for t = c, 1, 2 against each point's (1, α, β)); a later layer is one
   * depthwise convolution of a [N, 1, in, G] with each point's weights W(α, β) [1, in, G, out]
   * and bias, i.e. per point the product [N, in]·[in, out] (XNNPACK's grouped GEMM). The last
   * layer's output is [N, G, outs] (the units last again, for the loss).
   */
  function planeLossPointsLast(plane: Tensor2D, coef: Tensor2D): Tensor1D {
    const G = coef.shape[0];
    const blocks = tf.split(plane, sizes, 1);
    const softmaxHead = lik.kind === 'softmax' && head === 'identity';
    let halfTanh = false;
    // The activations: [N, units, G] from the first layer, [N, G, units] from a convolution;
    // each layer transposes them only if it needs the other form.
    let a: Tensor = x;
    let unitsLast = false;
    const form = (t: Tensor, wantUnitsLast: boolean): Tensor =>
      wantUnitsLast === unitsLast ? t : tf.transpose(t, [0, 2, 1]);
    let shifted = false; // whether the output holds the logits minus each point's `softmaxShift`
    layers.forEach((l, k) => {
      const [din, out] = [l.inputs, l.outputs];
      const { W, b, fold } = planeLayer(blocks, k, halfTanh);
      let z: Tensor;
      if (k === 0) {
        // x̄·[W_t; b_t] as [N, out, 3] (column j·3 + t), then one product with coefᵀ [3, G]
        // (transposed first: tfjs-wasm's matMul with transposeB is a scalar loop).
        const q = planeInputProduct(W, b, din, out, [1, 2, 0]);
        z = tf.reshape(tf.matMul(tf.reshape(q, [N * out, 3]) as Tensor2D, tf.transpose(coef)), [N, out, G]);
        unitsLast = false;
      } else {
        // Each point's weights W(α, β) [G, in, out] and bias [G, out].
        const wg = tf.reshape(tf.matMul(coef, W), [G, din, out]) as Tensor3D;
        let bg = tf.matMul(coef, b) as Tensor2D;
        if (k === layers.length - 1 && softmaxHead && halfTanh) {
          const shift = softmaxShift(wg, bg);
          if (shift) {
            bg = tf.sub(bg, shift);
            shifted = true;
          }
        }
        if (out === 1) {
          // One unit: a product with each point's weight vector and a sum over the units
          // (tfjs-wasm's one-channel depthwise convolution is a slow generic loop here).
          const s1 = tf.sum(tf.mul(form(a, true), tf.reshape(wg, [G, din])), -1);
          z = tf.reshape(tf.add(s1, tf.reshape(bg, [G])), [N, G, 1]);
        } else {
          // One depthwise convolution: the filter [1, in, G, out] holds every point's weights.
          const conv = tf.fused.depthwiseConv2d({
            x: tf.reshape(form(a, false), [N, 1, din, G]) as Tensor4D,
            filter: tf.reshape(tf.transpose(wg, [1, 0, 2]), [1, din, G, out]) as Tensor4D,
            strides: 1,
            pad: 'valid',
            // A new rank-1 tensor: tfjs-wasm checks the rank its data was made with, and a
            // reshape keeps that of bg (the matMul's [1, G, out]).
            bias: tf.add(tf.reshape(bg, [G * out]), 0),
          });
          z = tf.reshape(conv, [N, G, out]);
        }
        unitsLast = true;
      }
      a = k === layers.length - 1 ? z : fold ? tf.sigmoid(z) : activation(l.activation, z).a;
      halfTanh = fold;
    });
    const z = form(a, true); // the last layer's output [N, G, outs]
    if (!softmaxHead) {
      // Any other head: the rows layout's loss terms on [G, N, outs].
      return tf.mean(lossTerms(tf.transpose(z, [1, 0, 2]), false).l(), -1) as Tensor1D;
    }
    // ℓ = (Σy) lse(h) − yᵀh per example and point [N, G] (the difference per example, as in
    // `lossTerms`: the two terms nearly cancel), then the mean over the examples. yᵀh is a
    // batched product [N, G, C]·[N, C, 1]: on wasm cheaper than a multiply by y [N, 1, C]
    // broadcast along the middle axis and a sum.
    const yh = tf.reshape(tf.matMul(z as Tensor3D, tf.reshape(y, [N, outs, 1]) as Tensor3D), [N, G]);
    let logS: Tensor; // [N, G]
    if (shifted) {
      // h = logits − s with s ≥ max logit + 17 (`softmaxShift`): exp(h) = σ(h) to a relative
      // 4e-8 and lse(logits) = s + log Σ σ(h); the s terms of (Σy) lse and yᵀh cancel.
      logS = tf.log(tf.sum(tf.sigmoid(z), -1));
    } else {
      logS = tf.squeeze(logSumExpByElu(z), [-1]);
    }
    return tf.mean(tf.sub(tf.mul(logS, targetSums.sum), yh), 0) as Tensor1D;
  }

  /**
   * Per point, a shift s [G, 1] of the last layer's logits h = s_in·W + b with inputs s_in in
   * [0, 1] (the folded tanh), s = max_c max h_c + 17 over that box, so that every h − s ≤ −17
   * and exp(h − s) = σ(h − s) to a relative e^−17 ≈ 4e-8; or null when the box is so wide that
   * the largest logit could fall below the shift by more than 80 (σ, like exp, would then
   * underflow float32 near e^−87): the caller subtracts the exact maximum instead. Reads
   * back one number (cheap on the CPU backends, where this layout runs).
   */
  function softmaxShift(wg: Tensor3D, bg: Tensor2D): Tensor2D | null {
    const pos = tf.sum(tf.relu(wg), 1); // [G, out]: Σ_j max(W_jc, 0)
    const upper = tf.add(bg, pos); // the largest h_c can be
    const lower = tf.sub(tf.add(bg, tf.sum(wg, 1)), pos); // the smallest
    const top = tf.max(upper, 1, true);
    const spread = tf.max(tf.sub(top, tf.max(lower, 1, true))).dataSync()[0] as number;
    return spread <= 63 ? (tf.add(top, 17) as Tensor2D) : null;
  }

  return {
    basis: { model, likelihood: lik, x, y },
    layers,
    head,
    rebase: (other) => denseFastPath(layers, head, other),
    dispose: () => {
      tf.dispose([
        input.bar,
        input.barT,
        inputMoment,
        ...(classes ? [classes.eye, classes.off] : []),
        targetSums.sum,
        ...(targetSums.second ? [targetSums.second] : []),
      ]);
    },
    lossAndGradient: (theta) => {
      const fw = forward(theta);
      const { l, dl } = lossTerms(fw.acts[layers.length] as Tensor, true, fw.layout);
      const grad = backward(fw, tf.div(dl as Tensor, N));
      return { loss: fw.layout.meanOverExamples(l()), gradient: grad };
    },
    loss: (theta) => {
      const fw = forward(theta);
      return fw.layout.meanOverExamples(lossTerms(fw.acts[layers.length] as Tensor, false, fw.layout).l());
    },
    outputsAt: (row) => modelOut(forward(row).acts[layers.length] as Tensor) as Tensor2D,
    outputJacobians: (row) => {
      // One backward per output unit o, stacked as outs·N rows (row o·N + n) sharing the
      // row's weights. Copies along axis 0 by concat: tf.tile is a slow generic kernel on wasm.
      const fw = forward(row);
      const tile = (t: Tensor): Tensor2D => {
        const t2 = tf.reshape(t, [N, -1]) as Tensor2D;
        return outs === 1 ? t2 : (tf.concat(new Array<Tensor2D>(outs).fill(t2), 0) as Tensor2D);
      };
      const ones = new Float32Array(outs * N * outs);
      for (let i = 0; i < outs * N; i++) ones[i * outs + Math.floor(i / N)] = 1;
      const rows = seededRows(fw, tf.tensor2d(ones, [outs * N, outs]), tile);
      // [outs, N, P] -> [N, outs, P]; binary logits [0, z] have a zero row for class 0.
      const J = tf.transpose(tf.reshape(rows, [outs, N, P]), [1, 0, 2]) as Tensor3D;
      // One pad kernel, not zerosLike + concat (two kernels and a copy each on wasm).
      return head === 'binary'
        ? (tf.pad(J, [
            [0, 0],
            [1, 0],
            [0, 0],
          ]) as Tensor3D)
        : J;
    },
    perExampleGradients: (row) => {
      const fw = forward(row);
      const { dl } = lossTerms(fw.acts[layers.length] as Tensor, true);
      return seededRows(fw, dl as Tensor2D, (t) => tf.reshape(t, [N, -1]) as Tensor2D);
    },
    fisherFactor: (row) => {
      const fw = forward(row);
      const { seeds, r } = fisherSeeds(fw.acts[layers.length] as Tensor2D);
      return seededRows(fw, seeds, (t) => repeatRows(t, r));
    },
    planeLoss: (plane, coef, layout = tf.getBackend() === 'wasm' ? 'points-last' : 'rows') =>
      layout === 'rows' ? planeLossRows(plane, coef) : planeLossPointsLast(plane, coef),
    outputJacobianProduct: (row, v, weigh) => jacobianProduct(linearization(row), v, weigh),
    linearize: (row) => {
      // The forward's tensors outlive this tidy: everything the products read is kept
      // (not x̄ and x̄ᵀ, which the fast path holds).
      const kept: Tensor[] = [];
      let lin: ReturnType<typeof linearization> | null = null;
      tf.tidy(() => {
        const l = linearization(row);
        kept.push(
          l.out,
          ...l.layer.flatMap((t, k) => [
            ...(k === 0 ? [] : [t.bar, t.barT]),
            t.w,
            t.wT,
            ...(t.derivIn ? [t.derivIn] : []),
          ]),
        );
        kept.forEach((t) => tf.keep(t));
        lin = l;
      });
      const held = lin as unknown as ReturnType<typeof linearization>;
      return {
        product: (v, weigh) => jacobianProduct(held, v, weigh),
        dispose: () => tf.dispose(kept),
      };
    },
    kfacFactors: (row, draws) => {
      const fw = forward(row);
      return kfacFrom(fw, lossTerms(fw.acts[layers.length] as Tensor, true).probs, draws);
    },
    gradientAndKfacFactors: (row, draws, hidden = false) => {
      const fw = forward(row);
      const { dl, probs } = lossTerms(fw.acts[layers.length] as Tensor, true);
      return { gradient: backward(fw, tf.div(dl as Tensor, N)), ...kfacParts(fw, probs, draws, hidden) };
    },
    productParts: (row) => {
      const fw = forward(row, 'one');
      const L = layers.length;
      const o = fw.acts[L] as Tensor2D;
      const inputs = layers.slice(1).map((_, i) => fw.acts[i + 1] as Tensor2D);
      const derivs = layers.slice(0, -1).map((_, k) => (fw.derivs[k] as () => Tensor)() as Tensor2D);
      if (lik.kind === 'gaussian')
        return {
          inputs,
          derivs,
          probs: null,
          scale: tf.fill([N, 1], 1 / (lik.sigma * lik.sigma)) as Tensor2D,
        };
      if (head === 'binary')
        return {
          inputs,
          derivs,
          probs: null,
          scale: binaryFisher(o),
        };
      return { inputs, derivs, probs: tf.softmax(o) as Tensor2D, scale: null };
    },
    fisherDiagonal: (row) => {
      const fw = forward(row);
      return fisherDiagonalFrom(fw, lossTerms(fw.acts[layers.length] as Tensor, true).probs);
    },
    gradientAndFisherDiagonal: (row) => {
      const fw = forward(row);
      const { dl, probs } = lossTerms(fw.acts[layers.length] as Tensor, true);
      return { gradient: backward(fw, tf.div(dl as Tensor, N)), diagonal: fisherDiagonalFrom(fw, probs) };
    },
    maskedInputMoment: maskedMoment,
  };
}

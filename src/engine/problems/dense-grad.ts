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
 * Only θ-objectives use it (objective.ts): a φ-objective is differentiated through f by
 * autodiff. The backward is written with ordinary differentiable ops, so a further
 * tf.grad over it (Newton's Hessian) is the exact second derivative.
 */
import { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from '../tf';
import { fisherRows } from './likelihood';
import {
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
   * forming the per-example Jacobians.
   */
  kfacFactors(row: Tensor2D): { A: Tensor2D; G: Tensor2D }[];
  /**
   * K-FAC's step inputs at one row [1, P] from one forward pass: the gradient [1, P] and the
   * factors of `kfacFactors`, identical to calling `lossAndGradient` and `kfacFactors`.
   */
  gradientAndKfacFactors(row: Tensor2D): { gradient: Tensor2D; factors: { A: Tensor2D; G: Tensor2D }[] };
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
   * Mean NLL [G] at the G points θ = c + α·d1 + β·d2 of a plane: plane [3, P] holds the
   * rows c, d1, d2 and coef [G, 3] the rows (1, α, β). A layer's weights are affine in
   * (α, β), so a·W(α, β) = a·W_c + α(a·W_1) + β(a·W_2): three 2-D matMuls for all G points
   * (landscape slices; tfjs-wasm's batched matMul is a scalar loop); the first layer, whose
   * input is the same everywhere, combines x̄·[W_t; b_t] per point instead, and a one-unit
   * layer is a dot product with each point's weight vector.
   */
  planeLoss(plane: Tensor2D, coef: Tensor2D): Tensor1D;
  /**
   * The same network's fast path on other data of the same layout (a mini-batch's rows,
   * problems/minibatch.ts): a new fast path, disposed by the caller.
   */
  rebase(basis: Pick<Problem, 'model' | 'likelihood' | 'x' | 'y'>): DenseFastPath | null;
  /** Free the constant tensors it made (not x and y: they belong to the problem). */
  dispose(): void;
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
 * Holds the constant forms of x and y its products take ([x, 1], its transpose, the sums
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
   * Per-example NLL (o's shape without its unit axis) and ∂ℓ/∂(last layer output) (o's
   * shape) from the output o in `layout` (units last, or first in `unb`) against the
   * problem's targets y [N, T] (their row sums and second column made once, above).
   */
  function lossTerms(
    o: Tensor,
    withGrad: boolean,
    layout: RowLayout = rowLayout('one'),
  ): { l: Tensor; dl: Tensor | null } {
    const axis = layout.unitAxis;
    switch (lik.kind) {
      case 'gaussian-meanstd':
        throw new Error('no fast path for the (μ, σ) likelihood');
      case 'gaussian': {
        const r = tf.sub(o, layout.targets(y));
        const s2 = lik.sigma * lik.sigma;
        return {
          l: tf.mul(tf.sum(tf.square(r), axis), 0.5 / s2),
          dl: withGrad ? tf.div(r, s2) : null,
        };
      }
      case 'softmax': {
        const ySum = layout.targets(targetSums.sum);
        if (head === 'binary') {
          // logits [0, z]: ℓ = (y₀ + y₁) softplus(z) − y₁ z, ∂ℓ/∂z = (y₀ + y₁) σ(z) − y₁.
          const y1 = layout.targets(targetSums.second as Tensor2D);
          const l = tf.sub(tf.mul(ySum, tf.softplus(o)), tf.mul(y1, o));
          return {
            l: tf.squeeze(l, [axis]),
            dl: withGrad ? tf.sub(tf.mul(ySum, tf.sigmoid(o)), y1) : null,
          };
        }
        // ℓ = (Σy) lse(h) − yᵀh, ∂ℓ/∂h = (Σy) softmax(h) − y.
        const t = layout.targets(y);
        const m = tf.max(o, axis, true);
        const lse = tf.add(m, tf.log(tf.sum(tf.exp(tf.sub(o, m)), axis, true)));
        return {
          l: tf.sub(tf.squeeze(tf.mul(ySum, lse), [axis]), tf.sum(tf.mul(t, o), axis)),
          dl: withGrad ? tf.sub(tf.mul(ySum, tf.exp(tf.sub(o, lse))), t) : null,
        };
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

  /**
   * Σ_n J_nᵀ w_n for a direction v [1, P] from a one-row forward pass `fw`, w = weigh(h, J v)
   * (see `outputJacobianProduct`): the tangent pass, then the backward.
   */
  function jacobianProduct(
    fw: ReturnType<typeof forward>,
    v: Tensor2D,
    weigh: (outputs: Tensor2D, tangents: Tensor2D) => Tensor2D,
  ): Tensor2D {
    const dp = fw.layout.params(v, layers);
    // Tangents of the pre-activations: dz_k = da_{k-1}·W_k + a_{k-1}·dW_k + db_k, with
    // da_k = act'(z_k) ⊙ dz_k and da_0 = 0; the last layer is linear (as `backward` takes it).
    let dz: Tensor = fw.layout.affineShared(input, dp[0] as LayerParams);
    for (let k = 1; k < layers.length; k++) {
      const l = layers[k] as DenseLayer;
      const da = tf.mul(dz, (fw.derivs[k - 1] as () => Tensor)()) as Tensor2D;
      const w = tf.reshape((fw.params[k] as LayerParams).w, [l.inputs, l.outputs]) as Tensor2D;
      dz = tf.add(fw.layout.affine(fw.acts[k] as Tensor, dp[k] as LayerParams), tf.matMul(da, w));
    }
    const out = modelOut(fw.acts[layers.length] as Tensor) as Tensor2D;
    const w = weigh(out, modelOut(dz) as Tensor2D);
    // Back to the last layer's output: the binary head's logits are [0, z].
    const wLast = head === 'binary' ? tf.slice(w, [0, 1], [-1, 1]) : w;
    return backward(fw, wLast);
  }

  /**
   * The rows M'_n H of the Fisher factor at the last layer: [N·r, outs], row n·r + k (H:
   * the head's Jacobian, [0, 1]ᵀ for logits [0, z]). Two classes: fisherRows' one row is
   * √(p₀p₁)·[−1, 1], so M'H = √(σ(z)σ(−z)) (zero where float32 underflows, as there).
   */
  function fisherSeeds(o: Tensor2D): { seeds: Tensor2D; r: number } {
    if (head === 'binary')
      return { seeds: tf.sqrt(tf.mul(tf.sigmoid(o), tf.sigmoid(tf.neg(o)))) as Tensor2D, r: 1 };
    const M = fisherRows(lik, o);
    const r = M.shape[1];
    return { seeds: tf.reshape(M, [N * r, outs]) as Tensor2D, r };
  }

  /** Each example's row of t [N, ·] repeated r times (rows n·r + k). */
  function repeatRows(t: Tensor, r: number): Tensor2D {
    const t2 = tf.reshape(t, [N, -1]) as Tensor2D;
    return r === 1
      ? t2
      : (tf.reshape(tf.mul(tf.expandDims(t2, 1), tf.ones([1, r, 1])), [N * r, -1]) as Tensor2D);
  }

  /**
   * Backpropagate seed rows [m, outs] through a one-row forward pass: `visit(k, δ_k)` for
   * every layer k from the last, δ_k [m, outputs_k] the rows' sensitivities at its
   * pre-activation; `expand` maps a per-example tensor [N, ·] to the rows' order.
   */
  function eachLayerBack(
    fw: ReturnType<typeof forward>,
    seeds: Tensor2D,
    expand: (t: Tensor) => Tensor2D,
    visit: (k: number, delta: Tensor2D) => void,
  ): void {
    let delta = seeds;
    for (let k = layers.length - 1; k >= 0; k--) {
      visit(k, delta);
      if (k > 0) {
        const l = layers[k] as DenseLayer;
        const w = tf.reshape((fw.params[k] as LayerParams).w, [l.inputs, l.outputs]) as Tensor2D;
        const back = tf.matMul(delta, tf.transpose(w));
        delta = tf.mul(back, expand((fw.derivs[k - 1] as () => Tensor)())) as Tensor2D;
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
    eachLayerBack(fw, seeds, expand, (k, delta) => {
      const a = expand(fw.acts[k] as Tensor);
      const l = layers[k] as DenseLayer;
      const outer = tf.mul(tf.expandDims(a, 2), tf.expandDims(delta, 1));
      parts.unshift(tf.reshape(outer, [m, l.inputs * l.outputs]), delta);
    });
    return tf.concat(parts, 1) as Tensor2D;
  }

  /** K-FAC's factors (see the interface) from a forward pass at one row. */
  function kfacFrom(fw: ReturnType<typeof forward>): { A: Tensor2D; G: Tensor2D }[] {
    // G = δᵀδ / N, divided after the product as the general path does: undamped K-FAC
    // inverts near-zero factor eigenvalues, and a seed scaled by 1/√N instead rounds
    // differently enough to move the layer-scale scene's θ/φ defect from 1e-5 to 1e-2.
    const { seeds, r } = fisherSeeds(fw.acts[layers.length] as Tensor2D);
    const factors: { A: Tensor2D; G: Tensor2D }[] = [];
    eachLayerBack(
      fw,
      seeds,
      (t) => repeatRows(t, r),
      (k, delta) => {
        const l = layers[k] as DenseLayer;
        // ā = [a, 1]: the cached [x, 1] for the first layer.
        const aBar =
          k === 0 ? input.bar : withOnesColumn(tf.reshape(fw.acts[k] as Tensor, [N, l.inputs]) as Tensor2D);
        // Examples whose sensitivities are all zero add nothing to A (sign: 1 if > 0, else 0).
        const sq = tf.square(delta);
        const norm = tf.sum(r === 1 ? sq : tf.reshape(sq, [N, r * l.outputs]), 1, true);
        const masked = tf.mul(aBar, tf.sign(norm));
        factors.unshift({
          A: tf.div(tf.matMul(tf.transpose(masked), aBar), N) as Tensor2D,
          G: tf.div(tf.matMul(tf.transpose(delta), delta), N) as Tensor2D,
        });
      },
    );
    return factors;
  }

  return {
    basis: { model, likelihood: lik, x, y },
    rebase: (other) => denseFastPath(layers, head, other),
    dispose: () =>
      tf.dispose([input.bar, input.barT, targetSums.sum, ...(targetSums.second ? [targetSums.second] : [])]),
    lossAndGradient: (theta) => {
      const fw = forward(theta);
      const { l, dl } = lossTerms(fw.acts[layers.length] as Tensor, true, fw.layout);
      const grad = backward(fw, tf.div(dl as Tensor, N));
      return { loss: fw.layout.meanOverExamples(l), gradient: grad };
    },
    loss: (theta) => {
      const fw = forward(theta);
      return fw.layout.meanOverExamples(lossTerms(fw.acts[layers.length] as Tensor, false, fw.layout).l);
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
    planeLoss: (plane, coef) => {
      const G = coef.shape[0];
      const blocks = tf.split(plane, sizes, 1);
      // A tanh hidden layer is 2σ(2z) − 1; here only s = σ(2z) is formed (on wasm σ is a
      // vectorized kernel and tanh is not, see `activation`): the 2 goes into the layer's
      // own [W; b] (3 rows, tiny) and the affine 2s − 1 into the next layer's,
      // a·W + b = s·(2W) + (b − 1ᵀW), still affine in (α, β). That drops three elementwise
      // passes over every point's hidden activations [G, N, units].
      let halfTanh = false; // whether `a` holds s, the activation being 2s − 1
      let a: Tensor = x; // [N, d], then [G, N, units]
      layers.forEach((l, k) => {
        const [din, out] = [l.inputs, l.outputs];
        let W = blocks[2 * k] as Tensor2D; // rows W_c, W_1, W_2 (each in·out)
        let b = blocks[2 * k + 1] as Tensor2D; // rows b_c, b_1, b_2
        if (halfTanh) {
          b = tf.sub(b, tf.sum(tf.reshape(W, [3, din, out]), 1));
          W = tf.mul(W, 2);
        }
        const fold = l.activation === 'tanh' && k < layers.length - 1;
        if (fold) {
          W = tf.mul(W, 2);
          b = tf.mul(b, 2);
        }
        let z: Tensor;
        if (k === 0) {
          // The input is the same at every point: x̄·[W_t; b_t] for t = c, 1, 2 once
          // ([N, 3, out]), then each point's (1, α, β) combination: one product [G, 3]·[3, N·out].
          const wb = tf.concat([tf.reshape(W, [3, din, out]), tf.reshape(b, [3, 1, out])], 1);
          const q = tf.matMul(
            input.bar,
            tf.reshape(tf.transpose(wb, [1, 0, 2]), [din + 1, 3 * out]) as Tensor2D,
          );
          const q3 = tf.reshape(tf.transpose(tf.reshape(q, [N, 3, out]), [1, 0, 2]), [
            3,
            N * out,
          ]) as Tensor2D;
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
        // ℓ = (Σy) lse(h) − yᵀh as in `lossTerms`, with Σ_c exp(h_c − m) = C + Σ_c expm1(h_c − m)
        // and expm1(t) = elu(t) for t ≤ 0: tfjs-wasm's elu is a vectorized kernel, its exp
        // a scalar loop several times slower (the sum is ≥ 1, so the absolute error of the
        // C terms' expm1, ~1e-7 each, stays relative).
        const m = tf.max(a, -1, true);
        const lse = tf.add(m, tf.log(tf.add(tf.sum(tf.elu(tf.sub(a, m)), -1, true), outs)));
        const l = tf.sub(tf.squeeze(tf.mul(targetSums.sum, lse), [-1]), tf.sum(tf.mul(y, a), -1));
        return tf.mean(l, -1) as Tensor1D;
      }
      return tf.mean(lossTerms(a, false).l, -1) as Tensor1D;
    },
    outputJacobianProduct: (row, v, weigh) => jacobianProduct(forward(row, 'one'), v, weigh),
    linearize: (row) => {
      // The forward's tensors outlive this tidy: act' taken now, everything the products read kept.
      let fw: ReturnType<typeof forward> | null = null;
      const kept: Tensor[] = [];
      tf.tidy(() => {
        const f = forward(row, 'one');
        const derivs = f.derivs.slice(0, -1).map((d) => d());
        kept.push(...f.acts.slice(1), ...derivs, ...f.params.flatMap((p) => [p.w, p.b]));
        kept.forEach((t) => tf.keep(t));
        fw = { ...f, derivs: derivs.map((d) => () => d) };
      });
      const at = fw as unknown as ReturnType<typeof forward>;
      return {
        product: (v, weigh) => jacobianProduct(at, v, weigh),
        dispose: () => tf.dispose(kept),
      };
    },
    kfacFactors: (row) => kfacFrom(forward(row)),
    gradientAndKfacFactors: (row) => {
      const fw = forward(row);
      const { dl } = lossTerms(fw.acts[layers.length] as Tensor, true);
      return { gradient: backward(fw, tf.div(dl as Tensor, N)), factors: kfacFrom(fw) };
    },
  };
}

/**
 * Curvature-vector products on the backend at one parameter row, without a P×P matrix
 * or an [N·C, P] factor (docs/theory.md §9.4): what the exact methods' CG path multiplies by
 * when P is large. Each product is a few passes over the data and one read of P numbers.
 *
 *   Fisher     F v = (1/N) Σ_n J_nᵀ Λ_n (J_n v)    Λ_n the output Fisher (likelihood.ts)
 *   GGN        G v = (1/N) Σ_n J_nᵀ H_n (J_n v)    H_n = ∂²ℓ_n/∂h²
 *   empirical  E v = (1/N) Σ_n g_n (g_nᵀ v)        g_n the per-example gradients
 *   Hessian    H v = ∇_p (∇L(p)ᵀ v)
 *
 * J v (a Jacobian-vector product) comes from the double-backward trick: uᵀ(J v) =
 * (Jᵀu)ᵀv and Jᵀu is one backward pass, so J v = ∇_u[(Jᵀu)ᵀ v], a nested gradient (the models and maps are built from ops.ts,
 * whose gradients are differentiable, as the Hessian needs).
 *
 * A φ-run of a dense network (θ = f(φ), a map applied before the network) pulls the
 * Fisher, the GGN and the empirical Fisher back exactly, for every map, linear or not
 * (docs/theory.md §1, §9.4): the network's Jacobian in φ is J_θ J_f and its per-example
 * gradients are J_fᵀ g_n, so M_φ v = J_fᵀ M_θ(f(φ)) (J_f v). Its products are θ's fast
 * product at f(φ) between the map's J_f v and J_fᵀ w, both on the Q numbers of one row,
 * not through the network. The Hessian does not pull back this way (f's own curvature
 * adds a term), so `hessian` keeps the double backward.
 */
import { takeValues, tf, type Tensor2D, type Tensor3D } from '../../tf';
import { fastPathOf, gradient, makeObjective, type Objective } from '../../objective';
import { denseFastPathOf } from '../../problems/dense-grad';
import type { Reparam } from '../../reparam/reparam';
import { hessianIsFisher, outputHessian, sqrtFisher } from '../../problems/likelihood';
import type { Vec } from '../../linalg/dense';
import { perExampleGradients } from './jacobian';
import { fisherKernelProduct, fisherKernelSupports, type FisherKernelProduct } from './fisher-product';

export type CurvatureKind = 'fisher' | 'ggn' | 'empirical' | 'hessian';

/**
 * Per-example outputs h(x_n; p) at one row p [1, P], differentiable in p: [N, C]. The row
 * reaches the N examples by a broadcast product with ones, whose gradient is one sum over
 * the rows: tf.tile's gradient is a loop of N slices and adds, which the nested gradient of
 * `jvp` records with a copy of the [N, P] cotangent each (digits: 1,500 × 14 MB, past the
 * wasm heap).
 */
function outputs(obj: Objective, row: Tensor2D): Tensor2D {
  return obj.perExampleOutputs(tf.mul(tf.ones([obj.problem.N, 1]), row) as Tensor2D);
}

/** Jᵀu at `row` for u [N, C]: [1, P]. */
function vjp(obj: Objective, row: Tensor2D, u: Tensor2D): Tensor2D {
  return tf.grad((p) => tf.sum(tf.mul(outputs(obj, p as Tensor2D), u)))(row) as Tensor2D;
}

/** J v at `row` for v [1, P]: [N, C] (double backward, see above). */
function jvp(obj: Objective, row: Tensor2D, v: Tensor2D): Tensor2D {
  const { N, C } = obj.problem;
  return tf.grad((u) => tf.sum(tf.mul(vjp(obj, row, u as Tensor2D), v)))(tf.zeros([N, C])) as Tensor2D;
}

/** The output-space curvature of each example at the outputs [N, C]: Λ_n (fisher) or H_n (ggn), [N, C, C]. */
function outputCurvature(obj: Objective, out: Tensor2D, kind: 'fisher' | 'ggn'): Tensor3D {
  if (kind === 'ggn') return outputHessian(obj.problem.likelihood, out, obj.problem.y);
  const m = sqrtFisher(obj.problem.likelihood, out);
  return tf.matMul(m, m, true, false) as Tensor3D;
}

/**
 * Λ_n u_n for every example without forming [N, C, C], where Λ has a closed form that is
 * also the GGN's H_n: softmax Λ = diag(p) − ppᵀ, so Λu = p ⊙ u − p (pᵀu); gaussian Λ = I/σ².
 * Null for the (μ, σ) likelihood (its H_n ≠ Λ_n): the caller forms the matrices.
 */
function outputCurvatureTimes(
  obj: Objective,
  out: Tensor2D,
  kind: 'fisher' | 'ggn',
  u: Tensor2D,
): Tensor2D | null {
  const lik = obj.problem.likelihood;
  if (kind === 'ggn' && !hessianIsFisher(lik)) return null;
  switch (lik.kind) {
    case 'softmax':
      return softmaxCurvatureTimes(tf.softmax(out) as Tensor2D, u);
    case 'gaussian':
      return tf.div(u, lik.sigma * lik.sigma) as Tensor2D;
    case 'gaussian-meanstd':
      return null;
  }
}

/** (diag(p) − ppᵀ) u for each example from the probabilities p [N, C]: p ⊙ u − p (pᵀu). */
function softmaxCurvatureTimes(p: Tensor2D, u: Tensor2D): Tensor2D {
  const pu = tf.mul(p, u);
  return tf.sub(pu, tf.mul(p, tf.sum(pu, 1, true))) as Tensor2D;
}

/**
 * `weigher` for many products at one point, whose outputs tensor stays the same (a held
 * forward pass): a softmax Λ or H keeps p = softmax(h) from the first product until
 * `dispose` (the same kernel on the same outputs, so the same weights as `weigher`).
 */
function heldWeigher(obj: Objective, kind: 'fisher' | 'ggn') {
  const weigh = weigher(obj, kind);
  const lik = obj.problem.likelihood;
  if (lik.kind !== 'softmax') return { weigh, dispose: () => {} };
  let held: { out: Tensor2D; p: Tensor2D } | null = null;
  return {
    weigh: (out: Tensor2D, Jv: Tensor2D): Tensor2D => {
      if (held?.out !== out) {
        held?.p.dispose();
        held = { out, p: tf.keep(tf.softmax(out) as Tensor2D) };
      }
      return softmaxCurvatureTimes(held.p, Jv);
    },
    dispose: () => held?.p.dispose(),
  };
}

/** The weights w = M_out (J v) of a Fisher or GGN product from the outputs and J v. */
function weigher(obj: Objective, kind: 'fisher' | 'ggn') {
  return (out: Tensor2D, Jv: Tensor2D): Tensor2D =>
    outputCurvatureTimes(obj, out, kind, Jv) ??
    (tf.squeeze(tf.matMul(outputCurvature(obj, out, kind), tf.expandDims(Jv, 2)), [2]) as Tensor2D);
}

/** A φ-run whose Fisher, GGN and empirical Fisher pull back from θ's fast path: the map and θ's objective. */
interface PulledBack {
  map: Reparam;
  theta: Objective;
}

/** The pullback of `kind` for a φ-objective of a dense network with θ's fast path; else null. */
function pulledBack(obj: Objective, kind: CurvatureKind): PulledBack | null {
  if (!obj.reparam || kind === 'hessian' || !denseFastPathOf(obj.problem)) return null;
  return { map: obj.reparam, theta: makeObjective(obj.problem, null) };
}

/**
 * J_fᵀ w at the φ-row `phi` [1, Q] for a θ-covector w [1, P]: [1, Q]. A linear map given
 * block by block has it as `pullback`; any other map, one backward pass through f.
 */
function mapVjp(map: Reparam, phi: Tensor2D, w: Tensor2D): Tensor2D {
  if (map.pullback) return map.pullback(w);
  return tf.grad((p) => tf.sum(tf.mul(map.forward(p as Tensor2D), w)))(phi) as Tensor2D;
}

/**
 * J_f v at the φ-row `phi` [1, Q] for a φ-tangent v [1, Q]: [1, P]. A linear map given block
 * by block has it as `pushforward`; any other map, the double-backward trick on f.
 */
function mapJvp(map: Reparam, phi: Tensor2D, v: Tensor2D): Tensor2D {
  if (map.pushforward) return map.pushforward(v);
  return tf.grad((u) => tf.sum(tf.mul(mapVjp(map, phi, u as Tensor2D), v)))(tf.zeros([1, map.P])) as Tensor2D;
}

/**
 * E v = Gᵀ(G v)/N for the per-example gradients G [N, P] and v [1, P]: [1, P]. Both products
 * take G as it is (G·vᵀ, then (G v)ᵀ·G): tfjs-wasm's matMul with a transposed operand is a
 * scalar loop, several times slower than the untransposed kernel at N = 1,500, P = 2,410.
 */
function empiricalTimes(G: Tensor2D, v: Tensor2D): Tensor2D {
  const [N, P] = G.shape;
  const Gv = tf.matMul(G, tf.reshape(v, [P, 1]) as Tensor2D);
  return tf.div(tf.matMul(tf.reshape(Gv, [1, N]) as Tensor2D, G), N) as Tensor2D;
}

/** M v as a tensor [1, P] for the curvature `kind` at `row` (inside a tidy). */
export function curvatureProductTensor(
  obj: Objective,
  row: Tensor2D,
  kind: CurvatureKind,
  v: Tensor2D,
): Tensor2D {
  const N = obj.problem.N;
  const pulled = pulledBack(obj, kind);
  if (pulled) {
    // J_fᵀ M_θ(f(φ)) J_f v, M_θ by θ's fast product (see the header).
    const { map, theta } = pulled;
    return mapVjp(map, row, curvatureProductTensor(theta, obj.theta(row), kind, mapJvp(map, row, v)));
  }
  switch (kind) {
    case 'hessian':
      return tf.grad((p) => tf.sum(tf.mul(gradient(obj, p as Tensor2D), v)))(row) as Tensor2D;
    case 'empirical':
      return empiricalTimes(perExampleGradients(obj, row), v);
    case 'fisher':
    case 'ggn': {
      const weigh = weigher(obj, kind);
      // A θ-run of a dense network: J v by a tangent pass, Jᵀw by its backward (dense-grad.ts).
      const fast = fastPathOf(obj);
      if (fast) return tf.div(fast.outputJacobianProduct(row, v, weigh), N) as Tensor2D;
      const out = tf.squeeze(obj.outputs(row), [0]) as Tensor2D;
      return tf.div(vjp(obj, row, weigh(out, jvp(obj, row, v))), N) as Tensor2D;
    }
  }
}

/**
 * v ↦ M v in float64 for the curvature `kind` at the parameter row `point` (the row is
 * re-created per product, so nothing stays alive between products). Read asynchronously.
 */
export function curvatureProduct(
  obj: Objective,
  point: readonly number[],
  kind: CurvatureKind,
): (v: Vec) => Promise<Vec> {
  return async (v) =>
    takeValues(tf.tidy(() => curvatureProductTensor(obj, tf.tensor2d([[...point]]), kind, tf.tensor2d([v]))));
}

/** Products v ↦ M v at one point that hold tensors between products until `dispose()`. */
export interface HeldProduct {
  apply(v: Vec): Promise<Vec>;
  dispose(): void;
}

/**
 * Largest per-example gradient matrix [N, P] (numbers) an empirical-Fisher solve keeps on
 * the backend across its products (64 MB of float32); above it each product takes them anew.
 */
export const HELD_GRADIENTS_MAX_ENTRIES = 16_000_000;

/** Whether the empirical Fisher's products at one point keep the per-example gradients [N, P]. */
function holdsGradients(obj: Objective, kind: CurvatureKind): boolean {
  return kind === 'empirical' && obj.problem.N * obj.P <= HELD_GRADIENTS_MAX_ENTRIES;
}

/**
 * θ's product M_θ u at a fixed θ-row [1, P] for many u [1, P] (tensors, inside the caller's
 * tidy): a dense network's Fisher or GGN keeps its forward pass (dense-grad.ts
 * `linearize`) and the softmax probabilities; the empirical Fisher keeps the per-example
 * gradients G [N, P] (while `holdsGradients`), so a product is Gᵀ(G u)/N, the same
 * operations as the per-call product's after it has made G (`empiricalTimes`); otherwise the
 * per-call product.
 * `dispose()` frees what it keeps (not `row`).
 */
function heldThetaProduct(
  obj: Objective,
  row: Tensor2D,
  kind: CurvatureKind,
): { product(u: Tensor2D): Tensor2D; dispose(): void } {
  const N = obj.problem.N;
  if (holdsGradients(obj, kind)) {
    const G = tf.keep(perExampleGradients(obj, row));
    return {
      product: (u) => empiricalTimes(G, u),
      dispose: () => G.dispose(),
    };
  }
  const fast = fastPathOf(obj);
  if (!fast || (kind !== 'fisher' && kind !== 'ggn'))
    return { product: (u) => curvatureProductTensor(obj, row, kind, u), dispose: () => {} };
  const weights = heldWeigher(obj, kind);
  let lin: ReturnType<typeof fast.linearize>;
  try {
    lin = fast.linearize(row);
  } catch (err) {
    weights.dispose();
    throw err;
  }
  return {
    product: (u) => tf.div(lin.product(u, weights.weigh), N) as Tensor2D,
    dispose: () => {
      weights.dispose();
      lin.dispose();
    },
  };
}

/**
 * v ↦ M v in float64 at `point`, for many products at the same point (a CG solve): a
 * θ-run of a dense network takes its forward pass once (dense-grad.ts `linearize`), so a
 * Fisher or GGN product is the tangent pass and the backward only; an empirical-Fisher
 * solve takes its per-example gradients once (`holdsGradients`); a φ-run of a dense
 * network holds θ = f(φ) and θ's held product there, and each product is J_fᵀ M_θ (J_f v)
 * (see the header); otherwise each product is `curvatureProduct`'s at the held row. The
 * caller disposes it once it is done multiplying.
 */
export function heldCurvatureProduct(
  obj: Objective,
  point: readonly number[],
  kind: CurvatureKind,
): HeldProduct {
  const fast = fastPathOf(obj);
  if (fast && (kind === 'fisher' || kind === 'ggn') && fisherKernelSupports(fast)) {
    // A θ-run of a dense network: the products on the CPU after one read (fisher-product.ts).
    // Its likelihoods (softmax, gaussian) have the GGN equal to the Fisher.
    let held: Promise<FisherKernelProduct> | null = null;
    return {
      apply: async (v) => (await (held ??= fisherKernelProduct(fast, point))).apply(v),
      dispose: () => {},
    };
  }
  const pulled = pulledBack(obj, kind);
  const row = tf.tensor2d([[...point]]);
  // The θ-row the products are taken at: the row itself, or f(φ) for a φ-run.
  const thetaRow = pulled ? tf.tidy(() => obj.theta(row)) : row;
  let inner: ReturnType<typeof heldThetaProduct>;
  try {
    inner = heldThetaProduct(pulled ? pulled.theta : obj, thetaRow, kind);
  } catch (err) {
    tf.dispose(pulled ? [row, thetaRow] : [row]);
    throw err;
  }
  const product = (v: Tensor2D): Tensor2D =>
    pulled ? mapVjp(pulled.map, row, inner.product(mapJvp(pulled.map, row, v))) : inner.product(v);
  return {
    apply: async (v) => takeValues(tf.tidy(() => product(tf.tensor2d([v])))),
    dispose: () => {
      inner.dispose();
      tf.dispose(pulled ? [row, thetaRow] : [row]);
    },
  };
}

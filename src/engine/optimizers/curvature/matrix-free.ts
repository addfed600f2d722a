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
 */
import { tf, type Tensor2D, type Tensor3D } from '../../tf';
import { fastPathOf, gradient, type Objective } from '../../objective';
import { hessianIsFisher, outputHessian, sqrtFisher } from '../../problems/likelihood';
import type { Vec } from '../../linalg/dense';
import { perExampleGradients } from './jacobian';

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

/** M v as a tensor [1, P] for the curvature `kind` at `row` (inside a tidy). */
export function curvatureProductTensor(
  obj: Objective,
  row: Tensor2D,
  kind: CurvatureKind,
  v: Tensor2D,
): Tensor2D {
  const N = obj.problem.N;
  switch (kind) {
    case 'hessian':
      return tf.grad((p) => tf.sum(tf.mul(gradient(obj, p as Tensor2D), v)))(row) as Tensor2D;
    case 'empirical': {
      const G = perExampleGradients(obj, row);
      return tf.div(tf.matMul(tf.matMul(v, G, false, true), G), N) as Tensor2D;
    }
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
  return async (v) => {
    const out = tf.tidy(() => curvatureProductTensor(obj, tf.tensor2d([[...point]]), kind, tf.tensor2d([v])));
    try {
      return Array.from(await out.data());
    } finally {
      out.dispose();
    }
  };
}

/** Products v ↦ M v at one point that hold tensors between products until `dispose()`. */
export interface HeldProduct {
  apply(v: Vec): Promise<Vec>;
  dispose(): void;
}

/**
 * v ↦ M v in float64 at `point`, for many products at the same point (a CG solve): a
 * θ-run of a dense network takes its forward pass once (dense-grad.ts `linearize`), so a
 * Fisher or GGN product is the tangent pass and the backward only; otherwise the same as
 * `curvatureProduct`. The caller disposes it once it is done multiplying.
 */
export function heldCurvatureProduct(
  obj: Objective,
  point: readonly number[],
  kind: CurvatureKind,
): HeldProduct {
  const fast = fastPathOf(obj);
  if (!fast || (kind !== 'fisher' && kind !== 'ggn'))
    return { apply: curvatureProduct(obj, point, kind), dispose: () => {} };
  const N = obj.problem.N;
  const weights = heldWeigher(obj, kind);
  const row = tf.tensor2d([[...point]]);
  let lin: ReturnType<typeof fast.linearize>;
  try {
    lin = fast.linearize(row);
  } catch (err) {
    row.dispose();
    weights.dispose();
    throw err;
  }
  return {
    apply: async (v) => {
      const out = tf.tidy(() => tf.div(lin.product(tf.tensor2d([v]), weights.weigh), N));
      try {
        return Array.from(await out.data());
      } finally {
        out.dispose();
      }
    },
    dispose: () => {
      weights.dispose();
      lin.dispose();
      row.dispose();
    },
  };
}

/**
 * `weight-norm` (Salimans & Kingma 2016): every unit's incoming weight vector is written
 * as a direction times a gain, w_j = g_j v_j/‖v_j‖, for network problems whose θ is laid
 * out layer by layer as W [inputs, outputs] row-major, then b [outputs] (problem.ts).
 *
 * Not a square diffeomorphism: φ has Q = P + Σ_layers outputs coordinates (one gain per
 * unit), and f is constant along each ray v_j ↦ c·v_j (c > 0), so J_f (P×Q) has rank P
 * and the fibres of f are Σ outputs-dimensional. φ layout, per layer in θ's order:
 *   V [inputs, outputs] row-major (column j is v_j, like W), then b [outputs] (unchanged),
 *   then g [outputs];
 * so a layer's block is (inputs + 2)·outputs long where θ's is (inputs + 1)·outputs.
 * `inverse64(θ)` is the canonical preimage v_j = w_j, g_j = ‖w_j‖ (f∘f⁻¹ = id exactly;
 * f⁻¹∘f = id only up to the scale of each v_j). A unit with w_j = 0 has no direction: it
 * is outside the part of the image where that chart is smooth, and `domainError` names it.
 */
import { tf, type Tensor2D } from '../tf';
import type { DenseLayer } from '../problems/problem';
import { ReparamError, type Reparam } from './reparam';
import { weightNormParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { weightNormParams };

/** Below this ‖w_j‖ a unit's direction is undefined (θ is outside the smooth image). */
export const WEIGHT_NORM_MIN = 1e-12;

/** One layer's offsets in θ and in φ, and its shape. */
interface Block {
  inputs: number;
  outputs: number;
  /** Start of W in θ (b follows at theta + inputs·outputs). */
  theta: number;
  /** Start of V in φ (b at phi + inputs·outputs, g at phi + (inputs + 1)·outputs). */
  phi: number;
}

function blocks(P: number, layers: readonly DenseLayer[] | null | undefined): { list: Block[]; Q: number } {
  if (!layers || layers.length === 0) {
    throw new ReparamError('weight-norm: needs a network problem (with layers), e.g. mlp');
  }
  const list: Block[] = [];
  let [t, p] = [0, 0];
  for (const l of layers) {
    list.push({ inputs: l.inputs, outputs: l.outputs, theta: t, phi: p });
    t += (l.inputs + 1) * l.outputs;
    p += (l.inputs + 2) * l.outputs;
  }
  if (t !== P) throw new ReparamError(`weight-norm: the layers hold ${t} parameters, the problem has ${P}`);
  return { list, Q: p };
}

/** ‖column j‖ of the row-major [inputs, outputs] matrix starting at `o` in `x`. */
function columnNorm(x: readonly number[], o: number, b: Block, j: number): number {
  let s = 0;
  for (let r = 0; r < b.inputs; r++) s += (x[o + r * b.outputs + j] as number) ** 2;
  return Math.sqrt(s);
}

/** The map for a problem with P parameters in `layers` (θ layout of problem.ts). */
export function weightNormMap(P: number, layers: readonly DenseLayer[] | null | undefined): Reparam {
  const { list, Q } = blocks(P, layers);

  const domainError = (theta: readonly number[]): string | null => {
    for (const [l, b] of list.entries()) {
      for (let j = 0; j < b.outputs; j++) {
        const n = columnNorm(theta, b.theta, b, j);
        if (!(n >= WEIGHT_NORM_MIN)) {
          return `weight-norm: layer ${l + 1}, unit ${j} has incoming weights of norm ${n} (< ${WEIGHT_NORM_MIN}): its direction w/‖w‖ is undefined`;
        }
      }
    }
    return null;
  };

  const forward = (phi: Tensor2D): Tensor2D =>
    tf.tidy(() => {
      const B = phi.shape[0];
      const parts = list.flatMap((b) => {
        const { inputs: m, outputs: n } = b;
        const V = tf.reshape(tf.slice(phi, [0, b.phi], [B, m * n]), [B, m, n]);
        const bias = tf.slice(phi, [0, b.phi + m * n], [B, n]);
        const g = tf.slice(phi, [0, b.phi + (m + 1) * n], [B, n]);
        // sqrt's gradient is built from sqrt and div, so nested tf.grad works through it.
        const norm = tf.sqrt(tf.sum(tf.square(V), 1)); // [B, n]
        const W = tf.mul(V, tf.expandDims(tf.div(g, norm), 1));
        return [tf.reshape(W, [B, m * n]), bias];
      });
      return tf.concat(parts, 1) as Tensor2D;
    });

  const forward64 = (phi: readonly number[]): number[] => {
    const theta = new Array<number>(P).fill(0);
    for (const b of list) {
      const { inputs: m, outputs: n } = b;
      for (let j = 0; j < n; j++) {
        const s = (phi[b.phi + (m + 1) * n + j] as number) / columnNorm(phi, b.phi, b, j);
        for (let r = 0; r < m; r++) theta[b.theta + r * n + j] = (phi[b.phi + r * n + j] as number) * s;
        theta[b.theta + m * n + j] = phi[b.phi + m * n + j] as number;
      }
    }
    return theta;
  };

  const inverse64 = (theta: readonly number[]): number[] => {
    const why = domainError(theta);
    if (why) throw new ReparamError(why);
    const phi = new Array<number>(Q).fill(0);
    for (const b of list) {
      const { inputs: m, outputs: n } = b;
      // V = W and b copied: the first (inputs + 1)·outputs numbers of the blocks agree.
      for (let k = 0; k < (m + 1) * n; k++) phi[b.phi + k] = theta[b.theta + k] as number;
      for (let j = 0; j < n; j++) phi[b.phi + (m + 1) * n + j] = columnNorm(theta, b.theta, b, j);
    }
    return phi;
  };

  /** ∂w_rj/∂v_sj = (g/‖v‖)(δ_rs − u_r u_s) with u = v/‖v‖; ∂w_rj/∂g_j = u_r; ∂b/∂b = I. */
  const jacobian64 = (phi: readonly number[]): number[][] => {
    const J = Array.from({ length: P }, () => new Array<number>(Q).fill(0));
    for (const b of list) {
      const { inputs: m, outputs: n } = b;
      for (let j = 0; j < n; j++) {
        const norm = columnNorm(phi, b.phi, b, j);
        const c = (phi[b.phi + (m + 1) * n + j] as number) / norm;
        const u = Array.from({ length: m }, (_, r) => (phi[b.phi + r * n + j] as number) / norm);
        for (let r = 0; r < m; r++) {
          const row = J[b.theta + r * n + j] as number[];
          for (let s = 0; s < m; s++) {
            row[b.phi + s * n + j] = c * ((r === s ? 1 : 0) - (u[r] as number) * (u[s] as number));
          }
          row[b.phi + (m + 1) * n + j] = u[r] as number;
        }
        (J[b.theta + m * n + j] as number[])[b.phi + m * n + j] = 1;
      }
    }
    return J;
  };

  return { id: 'weight-norm', P, Q, affine: false, forward, forward64, inverse64, jacobian64, domainError };
}

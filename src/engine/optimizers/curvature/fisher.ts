/**
 * Fisher, generalized Gauss-Newton and empirical Fisher at one parameter row, from
 * per-example first derivatives only (nested tf.grad is never needed: THEORY §2, §7).
 *
 *   Fisher     F = (1/N) Σ_n J_nᵀ Λ_n J_n = UᵀU/N,  U_n = M_n J_n,  Λ = MᵀM (sqrtFisher)
 *   GGN        G = (1/N) Σ_n J_nᵀ H_n J_n,           H_n = ∂²ℓ_n/∂h²   (outputHessian)
 *   empirical  E = (1/N) Σ_n g_n g_nᵀ,                g_n per-example gradients
 *
 * Derivatives are float32 on the backend; the P×P matrices are formed in float64 here.
 */
import { tf, type Tensor2D, type Tensor3D } from '../../tf';
import type { Objective } from '../../objective';
import { outputHessian, sqrtFisher } from '../../problems/likelihood';
import { gram, type Mat } from '../../linalg/dense';
import { outputJacobians, outputsAt, perExampleGradients } from './jacobian';

/** A factored PSD curvature F = UᵀU/N: U has m rows of P (in float64). */
export interface Factor {
  U: Mat;
  N: number;
  P: number;
}

/** The Fisher factor U [N·C, P] on the backend: rows M_n J_n (THEORY §7). */
export function fisherFactorTensor(obj: Objective, row: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const J = outputJacobians(obj, row);
    const M = sqrtFisher(obj.problem.likelihood, outputsAt(obj, row));
    return tf.reshape(tf.matMul(M, J), [-1, obj.P]) as Tensor2D;
  });
}

/** The Fisher as a float64 factor: F = UᵀU/N. */
export function fisherFactor(obj: Objective, row: Tensor2D): Factor {
  const U = fisherFactorTensor(obj, row);
  const rows = U.arraySync();
  U.dispose();
  return { U: rows, N: obj.problem.N, P: obj.P };
}

/** The empirical Fisher as a float64 factor: rows are the per-example gradients g_n. */
export function empiricalFisherFactor(obj: Objective, row: Tensor2D): Factor {
  const G = perExampleGradients(obj, row);
  const rows = G.arraySync();
  G.dispose();
  return { U: rows, N: obj.problem.N, P: obj.P };
}

/** The dense P×P matrix of a factor, UᵀU/N. */
export function factorMatrix(f: Factor): Mat {
  return gram(f.U, f.P, 1 / f.N);
}

/** Fisher F (P×P, float64). */
export function fisherMatrix(obj: Objective, row: Tensor2D): Mat {
  return factorMatrix(fisherFactor(obj, row));
}

/** Empirical Fisher (P×P, float64). */
export function empiricalFisherMatrix(obj: Objective, row: Tensor2D): Mat {
  return factorMatrix(empiricalFisherFactor(obj, row));
}

/** Per-example Jacobians [N][C][P] and output Hessians [N][C][C], read to float64. */
export function ggnParts(obj: Objective, row: Tensor2D): { J: number[][][]; H: number[][][] } {
  const [J, H] = tf.tidy(() => {
    const out = outputsAt(obj, row);
    return [outputJacobians(obj, row), outputHessian(obj.problem.likelihood, out, obj.problem.y)] as [
      Tensor3D,
      Tensor3D,
    ];
  });
  const parts = { J: J.arraySync(), H: H.arraySync() };
  J.dispose();
  H.dispose();
  return parts;
}

/** GGN G = (1/N) Σ J_nᵀ H_n J_n (P×P, float64; indefinite when some H_n is). */
export function ggnMatrix(obj: Objective, row: Tensor2D): Mat {
  const { J, H } = ggnParts(obj, row);
  const P = obj.P;
  const N = J.length;
  const G: Mat = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  J.forEach((Jn, n) => {
    const Hn = H[n] as number[][];
    // HJ = H_n J_n (C×P), then G += J_nᵀ (HJ).
    const HJ = Hn.map((hrow) =>
      Array.from({ length: P }, (_, j) =>
        hrow.reduce((s, h, c) => s + h * ((Jn[c] as number[])[j] as number), 0),
      ),
    );
    Jn.forEach((jrow, c) => {
      const hj = HJ[c] as number[];
      for (let a = 0; a < P; a++) {
        const ja = jrow[a] as number;
        if (ja === 0) continue;
        const Ga = G[a] as number[];
        for (let b = 0; b < P; b++) Ga[b] = (Ga[b] as number) + ja * (hj[b] as number);
      }
    });
  });
  return G.map((r, a) => r.map((v, b) => (0.5 * (v + ((G[b] as number[])[a] as number))) / N));
}

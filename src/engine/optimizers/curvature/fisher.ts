/**
 * Fisher, generalized Gauss-Newton and empirical Fisher at one parameter row, from
 * per-example first derivatives only (nested tf.grad is never needed: docs/theory.md §2, §7).
 *
 *   Fisher     F = (1/N) Σ_n J_nᵀ Λ_n J_n = UᵀU/N,  U_n = M_n J_n,  Λ = MᵀM (sqrtFisher)
 *   GGN        G = (1/N) Σ_n J_nᵀ H_n J_n,           H_n = ∂²ℓ_n/∂h²   (outputHessian)
 *   empirical  E = (1/N) Σ_n g_n g_nᵀ,                g_n per-example gradients
 *
 * Derivatives are float32 on the backend; the P×P matrices are formed in float64 here.
 */
import { takeValues, tf, type Tensor2D, type Tensor3D } from '../../tf';
import { fastPathOf, type Objective } from '../../objective';
import { denseFastPathOf } from '../../problems/dense-grad';
import { fisherRows, outputHessian } from '../../problems/likelihood';
import { gram, rowsOf, type Mat, type Vec } from '../../linalg/dense';
import { factorDiagonal } from './products';
import { outputJacobians, outputsAt, perExampleGradients } from './jacobian';

/** A factored PSD curvature F = UᵀU/N: U has m rows of P (in float64). */
export interface Factor {
  U: Mat;
  N: number;
  P: number;
  /** Rows per example (ordered n·rows + k); the problem's C when absent. */
  rows?: number;
}

/**
 * The Fisher factor U [N·r, P] on the backend: rows M'_n J_n with M'ᵀM' = Λ_n
 * (likelihood.ts `fisherRows`: r = 1 for two-class softmax, else C; docs/theory.md §7).
 */
export function fisherFactorTensor(obj: Objective, row: Tensor2D): Tensor2D {
  // A θ-run of a dense network: one backward seeded with M'_n's rows (dense-grad.ts).
  const fast = fastPathOf(obj);
  if (fast) return tf.tidy(() => fast.fisherFactor(row));
  // A φ-run through a map given block by block: the chain rule U_φ = U_θ(f(φ)) J from the
  // dense network's fast path, without a per-example Jacobian through f.
  const thetaFast = denseFastPathOf(obj.problem);
  const pull = obj.reparam?.pullback;
  if (thetaFast && pull) return tf.tidy(() => pull(thetaFast.fisherFactor(obj.theta(row))));
  return tf.tidy(() =>
    factorRows(fisherRows(obj.problem.likelihood, outputsAt(obj, row)), outputJacobians(obj, row)),
  );
}

/**
 * U [N·r, P] from M' [N, r, C] and the Jacobians J [N, C, P]: Σ_c M'[n, :, c] J[n, c, :] as
 * one broadcast product and a sum over c. A batched matMul of N tiny matrices is a scalar
 * loop on wasm, and slicing J by class (a strided copy) costs more than the product.
 */
function factorRows(M: Tensor3D, J: Tensor3D): Tensor2D {
  const [N, r, C] = M.shape;
  const P = J.shape[2];
  const prod = tf.mul(tf.reshape(M, [N, r, C, 1]), tf.reshape(J, [N, 1, C, P]));
  return tf.reshape(C === 1 ? prod : tf.sum(prod, 2), [N * r, P]) as Tensor2D;
}

/**
 * A [m, n] tensor's values as float64 rows (faster than array()'s generic nesting). Read
 * asynchronously: a synchronous read loses the device on tfjs-webgpu. `t` is not disposed.
 */
export async function readRows(t: Tensor2D): Promise<Mat> {
  const [m, n] = t.shape;
  return rowsOf(await t.data(), 0, m, n);
}

/** The Fisher as a float64 factor: F = UᵀU/N. */
export async function fisherFactor(obj: Objective, row: Tensor2D): Promise<Factor> {
  const U = fisherFactorTensor(obj, row);
  let rows: Mat;
  try {
    rows = await readRows(U);
  } finally {
    U.dispose();
  }
  return { U: rows, N: obj.problem.N, P: obj.P, rows: U.shape[0] / obj.problem.N };
}

/**
 * The diagonal of the Fisher (float64): a θ-run of a dense network's in one backward of
 * the Fisher rows (dense-grad.ts `fisherDiagonal`), any other objective's as the column
 * sums of squares of its factor over N (products.ts `factorDiagonal`).
 */
export async function fisherDiagonal(obj: Objective, row: Tensor2D): Promise<Vec> {
  const fast = fastPathOf(obj);
  if (!fast) return factorDiagonal(await fisherFactor(obj, row));
  return takeValues(tf.tidy(() => fast.fisherDiagonal(row)));
}

/**
 * The gradient and the Fisher's diagonal (float64) of a θ-run of a dense network from
 * one forward pass and one read (dense-grad.ts `gradientAndFisherDiagonal`), or null
 * when the objective has no fast path.
 */
export async function gradientAndFisherDiagonal(
  obj: Objective,
  row: Tensor2D,
): Promise<{ g: Vec; diagonal: Vec } | null> {
  const fast = fastPathOf(obj);
  if (!fast) return null;
  const both = tf.tidy(() => {
    const { gradient, diagonal } = fast.gradientAndFisherDiagonal(row);
    return tf.concat([gradient, diagonal], 1) as Tensor2D;
  });
  let data: Float32Array | Int32Array | Uint8Array;
  try {
    data = await both.data();
  } finally {
    both.dispose();
  }
  const P = obj.P;
  return { g: Array.from(data.subarray(0, P)), diagonal: Array.from(data.subarray(P, 2 * P)) };
}

/** The empirical Fisher as a float64 factor: rows are the per-example gradients g_n. */
export async function empiricalFisherFactor(obj: Objective, row: Tensor2D): Promise<Factor> {
  const G = perExampleGradients(obj, row);
  let rows: Mat;
  try {
    rows = await readRows(G);
  } finally {
    G.dispose();
  }
  return { U: rows, N: obj.problem.N, P: obj.P };
}

/** The dense P×P matrix of a factor, UᵀU/N. */
export function factorMatrix(f: Factor): Mat {
  return gram(f.U, f.P, 1 / f.N);
}

/** Fisher F (P×P, float64). */
export async function fisherMatrix(obj: Objective, row: Tensor2D): Promise<Mat> {
  return factorMatrix(await fisherFactor(obj, row));
}

/** Empirical Fisher (P×P, float64). */
export async function empiricalFisherMatrix(obj: Objective, row: Tensor2D): Promise<Mat> {
  return factorMatrix(await empiricalFisherFactor(obj, row));
}

/** Per-example Jacobians [N][C][P] and output Hessians [N][C][C], read to float64. */
export async function ggnParts(obj: Objective, row: Tensor2D): Promise<{ J: number[][][]; H: number[][][] }> {
  const [J, H] = tf.tidy(() => {
    const out = outputsAt(obj, row);
    return [outputJacobians(obj, row), outputHessian(obj.problem.likelihood, out, obj.problem.y)] as [
      Tensor3D,
      Tensor3D,
    ];
  });
  try {
    const [j, h] = await Promise.all([J.array(), H.array()]);
    return { J: j, H: h };
  } finally {
    J.dispose();
    H.dispose();
  }
}

/** GGN G = (1/N) Σ J_nᵀ H_n J_n (P×P, float64; indefinite when some H_n is). */
export async function ggnMatrix(obj: Objective, row: Tensor2D): Promise<Mat> {
  const { J, H } = await ggnParts(obj, row);
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

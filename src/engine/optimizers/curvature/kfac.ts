/**
 * K-FAC factors (Martens & Grosse 2015; docs/theory.md §7): per dense layer, the Fisher block of
 * W̄ = [W; b] ((inputs+1) × outputs, θ's row-major layout) is approximated by A ⊗ G with
 *   A = (1/N) Σ_n ā_n ā_nᵀ,  ā = [a_in, 1]          (input activations, homogeneous)
 *   G = (1/N) Σ_n Σ_c δ_{n,c} δ_{n,c}ᵀ              (pre-activation sensitivities of the
 *                                                    output directions M_n, c = 1..C)
 * the exact-Fisher variant (no sampled targets).
 *
 * Both come from the Fisher factor rows u_{n,c} = M_n J_n (fisher.ts) in the objective's
 * own coordinates: a block of u_{n,c} is the rank-one matrix ā_n δ_{n,c}ᵀ, whose bias
 * row is δ_{n,c} (ā's last entry is 1), and ā_n = Σ_c R_{n,c} δ_{n,c} / Σ_c ‖δ_{n,c}‖².
 * In θ this is standard K-FAC. Through a per-layer map W̄ ↦ B̄ W̄ C that keeps the
 * homogeneous coordinate (W ↦ BWC, b ↦ bC, plus input shifts) the same recipe gives
 * B̄ᵀAB̄ and CGCᵀ, which is why K-FAC is natural for exactly those maps (docs/theory.md §3).
 * An example whose sensitivities are all zero adds nothing to A (it adds nothing to the
 * Fisher block either). Without a layer layout the whole vector is one bias-only block:
 * A = [1], G = the Fisher.
 */
import { tf, type Tensor2D } from '../../tf';
import { fastPathOf, type Objective } from '../../objective';
import type { DenseLayer } from '../../problems/problem';
import type { Mat } from '../../linalg/dense';
import { fisherFactor, readRows, type Factor } from './fisher';

/** One layer's parameters: W̄ [rows, cols] row-major from `offset`; rows = inputs + 1. */
export interface LayerBlock {
  offset: number;
  rows: number;
  cols: number;
}

export interface KroneckerFactors {
  /** rows × rows. */
  A: Mat;
  /** cols × cols. */
  G: Mat;
}

/** The blocks of a layer layout, or one bias-only block when there is none (or it does not fit P). */
export function layerBlocks(layers: readonly DenseLayer[] | null, P: number): LayerBlock[] {
  const whole = [{ offset: 0, rows: 1, cols: P }];
  if (!layers || layers.length === 0) return whole;
  let offset = 0;
  const blocks = layers.map((l) => {
    const b = { offset, rows: l.inputs + 1, cols: l.outputs };
    offset += b.rows * b.cols;
    return b;
  });
  return offset === P ? blocks : whole;
}

/** An objective's layer blocks (its problem's layers over its row width). */
export function blocksOf(obj: Objective): LayerBlock[] {
  return layerBlocks(obj.problem.layers, obj.P);
}

const zeros = (n: number): Mat => Array.from({ length: n }, () => new Array<number>(n).fill(0));

/**
 * K-FAC factors of every block from the Fisher factor (rows ordered n·C + c; a factor that
 * says how many rows each example has, `f.rows`, overrides `classes`).
 */
export function kfacFactors(f: Factor, classes: number, blocks: readonly LayerBlock[]): KroneckerFactors[] {
  const N = f.N;
  const C = f.rows ?? classes;
  return blocks.map(({ offset, rows, cols }) => {
    const A = zeros(rows);
    const G = zeros(cols);
    const bias = offset + (rows - 1) * cols;
    for (let n = 0; n < N; n++) {
      const a = new Array<number>(rows).fill(0);
      let norm = 0;
      for (let c = 0; c < C; c++) {
        const u = f.U[n * C + c] as number[];
        for (let j = 0; j < cols; j++) {
          const dj = u[bias + j] as number;
          norm += dj * dj;
          const Gj = G[j] as number[];
          for (let k = 0; k < cols; k++) Gj[k] = (Gj[k] as number) + dj * (u[bias + k] as number);
          for (let i = 0; i < rows; i++) a[i] = (a[i] as number) + (u[offset + i * cols + j] as number) * dj;
        }
      }
      if (norm === 0) continue;
      for (let i = 0; i < rows; i++) {
        const ai = (a[i] as number) / norm;
        const Ai = A[i] as number[];
        for (let k = 0; k < rows; k++) Ai[k] = (Ai[k] as number) + (ai * (a[k] as number)) / norm;
      }
    }
    return { A: A.map((r) => r.map((v) => v / N)), G: G.map((r) => r.map((v) => v / N)) };
  });
}

/**
 * The K-FAC factors of `obj` at one row [1, P]. A θ-run of a dense network takes them from
 * its activations and sensitivities (problems/dense-grad.ts: no per-example Jacobians, one
 * read of the small factors); otherwise from the Fisher factor (`kfacFactors`).
 */
export async function kfacFactorsAt(
  obj: Objective,
  row: Tensor2D,
  blocks: readonly LayerBlock[],
): Promise<KroneckerFactors[]> {
  const fast = fastPathOf(obj);
  const layers = obj.problem.layers;
  if (fast && layers && blocks.length === layers.length) {
    const parts = tf.tidy(() => fast.kfacFactors(row).flatMap((f) => [f.A, f.G]));
    let mats: Mat[];
    try {
      mats = await Promise.all(parts.map(readRows));
    } finally {
      tf.dispose(parts);
    }
    return blocks.map((_, l) => ({ A: mats[2 * l] as Mat, G: mats[2 * l + 1] as Mat }));
  }
  return kfacFactors(await fisherFactor(obj, row), obj.problem.C, blocks);
}

/** Whether `gradientAndKfacFactorsAt` serves `obj` (a θ-objective of a dense network, layer blocks). */
export function hasFusedKfac(obj: Objective, blocks: readonly LayerBlock[]): boolean {
  const layers = obj.problem.layers;
  return fastPathOf(obj) !== null && !!layers && blocks.length === layers.length;
}

/**
 * The gradient (float64) and the K-FAC factors at one row [1, P] from one forward pass and
 * one read back (problems/dense-grad.ts `gradientAndKfacFactors`), for an objective with
 * `hasFusedKfac`; null otherwise. The same values as `gradient` and `kfacFactorsAt`.
 */
export async function gradientAndKfacFactorsAt(
  obj: Objective,
  row: Tensor2D,
  blocks: readonly LayerBlock[],
): Promise<{ g: number[]; factors: KroneckerFactors[] } | null> {
  const fast = fastPathOf(obj);
  if (!fast || !hasFusedKfac(obj, blocks)) return null;
  const flat = tf.tidy(() => {
    const { gradient, factors } = fast.gradientAndKfacFactors(row);
    return tf.concat([gradient, ...factors.flatMap((f) => [f.A, f.G])].map((t) => tf.reshape(t, [-1])));
  });
  let data: Float32Array | Int32Array | Uint8Array;
  try {
    data = await flat.data();
  } finally {
    flat.dispose();
  }
  let o = 0;
  const take = (n: number): Mat =>
    Array.from({ length: n }, () => {
      const r = Array.from(data.subarray(o, o + n));
      o += n;
      return r;
    });
  const g = Array.from(data.subarray(0, obj.P));
  o = obj.P;
  const factors = blocks.map((b) => ({ A: take(b.rows), G: take(b.cols) }));
  return { g, factors };
}

/** decay·old + (1 − decay)·new, entrywise (the running average of the factors). */
export function blendFactors(
  old: readonly KroneckerFactors[] | null,
  fresh: readonly KroneckerFactors[],
  decay: number,
): KroneckerFactors[] {
  if (!old) return fresh.map((f) => ({ A: f.A.map((r) => [...r]), G: f.G.map((r) => [...r]) }));
  const mix = (o: Mat, n: Mat): Mat =>
    n.map((r, i) => r.map((v, j) => decay * ((o[i] as number[])[j] as number) + (1 - decay) * v));
  return fresh.map((f, l) => ({
    A: mix((old[l] as KroneckerFactors).A, f.A),
    G: mix((old[l] as KroneckerFactors).G, f.G),
  }));
}

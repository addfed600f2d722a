/**
 * K-FAC factors (Martens & Grosse 2015; docs/theory.md §7): per dense layer, the Fisher block of
 * W̄ = [W; b] ((inputs+1) × outputs, θ's row-major layout) is approximated by A ⊗ G with
 *   A = (1/N) Σ_n ā_n ā_nᵀ,  ā = [a_in, 1]          (input activations, homogeneous)
 *   G = (1/N) Σ_n Σ_c δ_{n,c} δ_{n,c}ᵀ              (pre-activation sensitivities of the
 *                                                    output directions M_n, c = 1..C)
 * the exact-Fisher variant (no sampled targets); the sampled Fisher (`LabelDraws`, Martens &
 * Grosse §5) takes one row δ_n per example, backpropagated from ∂ℓ/∂h at a target drawn from
 * the model's predictive distribution, in place of the C rows δ_{n,c}.
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
import { tf, type Tensor, type Tensor2D } from '../../tf';
import { fastPathOf, type Objective } from '../../objective';
import type { DenseLayer } from '../../problems/problem';
import {
  denseFastPathOf,
  type DenseFastPath,
  type KfacParts,
  type LabelDraws,
} from '../../problems/dense-grad';
import { hiddenFisher, hiddenFisherAvailable } from './hidden-fisher';
import type { LayerMapBlock } from '../../reparam/reparam';
import { rowsOf, symmetrize, transpose, type Mat } from '../../linalg/dense';
import { fisherFactor, type Factor } from './fisher';

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

/** Reads a flat tensor (all of it) and disposes it, also when the read fails. */
async function readFlat(t: Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  try {
    return await t.data();
  } finally {
    t.dispose();
  }
}

/**
 * How an objective's K-FAC factors come from a dense network's fast path at one row: a
 * θ-run takes them as they are; a φ-run through a map that acts on each layer as
 * W̄ ↦ B̄ W̄ C with B̄ = diag(B, 1) (`Reparam.layerFactors`) takes θ's at f(φ) transformed.
 * The φ-layer computes z = (ā B̄) W̄_φ C, so its Fisher rows' blocks are (B̄ᵀā)(Cδ)ᵀ: the
 * input ā_φ = B̄ᵀā keeps the bias coordinate 1 and δ_φ = Cδ, i.e. A_φ = B̄ᵀAB̄ and
 * G_φ = CGCᵀ (docs/theory.md §3, §7); an example drops out of A_φ exactly when it does
 * out of A (C is invertible). The gradient is Jᵀ∇θ, block by block B̄ᵀ ∇_W̄ Cᵀ.
 */
interface FastKfac {
  fast: DenseFastPath;
  /** θ rows [1, P] of the objective's rows. */
  theta(row: Tensor2D): Tensor2D;
  /** Each block's B̄, C (φ-runs), or null (θ-runs). */
  maps: readonly LayerMapBlock[] | null;
}

/** The fast path serving `obj`'s K-FAC over `blocks`, or null (then the Fisher factor serves). */
function fastKfacOf(obj: Objective, blocks: readonly LayerBlock[]): FastKfac | null {
  const layers = obj.problem.layers;
  if (!layers || blocks.length !== layers.length) return null;
  const own = fastPathOf(obj);
  if (own) return { fast: own, theta: (row) => row, maps: null };
  const map = obj.reparam;
  const fast = denseFastPathOf(obj.problem);
  const maps = map?.layerFactors;
  if (!map || !fast || !maps || map.Q !== obj.problem.P) return null;
  const fits =
    maps.length === blocks.length &&
    blocks.every((b, l) => {
      const m = maps[l] as LayerMapBlock;
      return m.offset === b.offset && m.left.length === b.rows && m.right.length === b.cols;
    });
  return fits ? { fast, theta: (row) => obj.theta(row), maps } : null;
}

/** Lᵀ X R for X m × n, L m × m, R n × n (float64). */
function sandwich(L: Mat, X: Mat, R: Mat): Mat {
  const [m, n] = [L.length, R.length];
  // T = Lᵀ X (m × n), then T R.
  const T: Mat = Array.from({ length: m }, () => new Array<number>(X[0]?.length ?? 0).fill(0));
  for (let k = 0; k < L.length; k++) {
    const Lk = L[k] as number[];
    const Xk = X[k] as number[];
    for (let i = 0; i < m; i++) {
      const l = Lk[i] as number;
      if (l === 0) continue;
      const Ti = T[i] as number[];
      for (let j = 0; j < Xk.length; j++) Ti[j] = (Ti[j] as number) + l * (Xk[j] as number);
    }
  }
  return T.map((Ti) => {
    const out = new Array<number>(n).fill(0);
    for (let k = 0; k < Ti.length; k++) {
      const t = Ti[k] as number;
      if (t === 0) continue;
      const Rk = R[k] as number[];
      for (let j = 0; j < n; j++) out[j] = (out[j] as number) + t * (Rk[j] as number);
    }
    return out;
  });
}

/**
 * θ's factors and gradient made φ's, in float64 after the read: A_φ = B̄ᵀAB̄, G_φ = CGCᵀ,
 * ∇_φ = B̄ᵀ ∇_W̄ Cᵀ per block. In float64 a direction no training input reaches (a pixel
 * blank in every image: an exact zero row and column of A) stays an eigenvalue of A_φ
 * at float64 round-off, which the undamped step's pseudo-inverse drops, as it drops the
 * exact zero in θ; the same product in float32 leaves it at ~1e-7 of the largest and the
 * step inverts that noise (undamped K-FAC's θ/φ loss gap on digits then grows to 1e-1).
 */
function toPhi(
  maps: readonly LayerMapBlock[],
  blocks: readonly LayerBlock[],
  factors: KroneckerFactors[],
  gradient: number[],
): { factors: KroneckerFactors[]; gradient: number[] } {
  const out = [...gradient];
  const phiFactors = blocks.map((b, l) => {
    const m = maps[l] as LayerMapBlock;
    const f = factors[l] as KroneckerFactors;
    const Ct = transpose(m.right);
    if (gradient.length > 0) {
      const W = Array.from({ length: b.rows }, (_, i) =>
        gradient.slice(b.offset + i * b.cols, b.offset + (i + 1) * b.cols),
      );
      sandwich(m.left, W, Ct).forEach((r, i) => r.forEach((v, j) => (out[b.offset + i * b.cols + j] = v)));
    }
    // A congruence of a symmetric factor, made symmetric to the last bit.
    return { A: symmetrize(sandwich(m.left, f.A, m.left)), G: symmetrize(sandwich(Ct, f.G, Ct)) };
  });
  return { factors: phiFactors, gradient: out };
}

/**
 * The fast path's K-FAC factors (and `lead`, e.g. the gradient, before them) in one read:
 * one flat buffer of `lead`, every block's A and G, and the first layer's mask (dense-grad.ts
 * `KfacTensors`) — or, where the fast path left the first layer's G and mask to the reader
 * (`KfacParts.hidden`), the probabilities, act' and output weights that `hiddenFisher` makes
 * them from after the read. When that mask has a zero (an example whose sensitivities are
 * all zero, e.g. a softmax that is one-hot in float32), the first A is made again over the
 * examples that count, in a second small read. `lead` is null or a [1, ·] tensor (θ's
 * gradient). Through a layer-wise map (`FastKfac.maps`) factors and gradient are then made
 * φ's (`toPhi`).
 */
async function readFastFactors(
  { fast, maps }: FastKfac,
  blocks: readonly LayerBlock[],
  make: () => KfacParts & { lead: Tensor | null },
): Promise<{ lead: number[]; factors: KroneckerFactors[] }> {
  let leadSize = 0;
  let hidden: { N: number; C: number; H: number } | null = null;
  const flat = tf.tidy(() => {
    const { lead, factors, inputMask, hidden: h } = make();
    leadSize = lead ? lead.size : 0;
    if (h) {
      const [N, C] = h.probs.shape;
      hidden = { N, C, H: h.derivs.shape[1] };
    }
    const parts = [
      ...(lead ? [lead] : []),
      ...factors.flatMap((f) => (f.G ? [f.A, f.G] : [f.A])),
      ...(inputMask ? [inputMask] : []),
      ...(h ? [h.probs, h.derivs, h.weights] : []),
    ];
    return tf.concat(parts.map((t) => tf.reshape(t, [-1])));
  });
  const data = await readFlat(flat);
  const lead = Array.from(data.subarray(0, leadSize));
  let o = leadSize;
  const factors = blocks.map(({ rows, cols }, l) => {
    const A = rowsOf(data, o, rows, rows);
    o += rows * rows;
    if (l === 0 && hidden) return { A, G: [] as Mat };
    const G = rowsOf(data, o, cols, cols);
    o += cols * cols;
    return { A, G };
  });
  let mask = data.subarray(o);
  const first = factors[0];
  const h = hidden as { N: number; C: number; H: number } | null;
  if (first && h) {
    const take = (n: number): Float32Array => Float32Array.from(data.subarray(o, (o += n)));
    const probs = take(h.N * h.C);
    const derivs = take(h.N * h.H);
    const weights = take(h.H * h.C);
    const made = hiddenFisher({ probs, derivs, weights, ...h });
    first.G = made.G;
    mask = made.sensitivity;
  }
  if (first && mask.includes(0)) {
    const rows = blocks[0]?.rows ?? 0;
    const A = tf.tidy(() =>
      fast.maskedInputMoment(
        tf.tensor2d(
          Float32Array.from(mask, (v) => (v > 0 ? 1 : 0)),
          [mask.length, 1],
        ),
      ),
    );
    first.A = rowsOf(await readFlat(A), 0, rows, rows);
  }
  if (!maps) return { lead, factors };
  const phi = toPhi(maps, blocks, factors, lead);
  return { lead: phi.gradient, factors: phi.factors };
}

/**
 * The K-FAC factors of `obj` at one row [1, P]. A dense network's θ-run, or its φ-run
 * through a layer-wise map (`fastKfacOf`), takes them from the activations and
 * sensitivities (problems/dense-grad.ts: no per-example Jacobians, one read of the small
 * factors); otherwise from the Fisher factor (`kfacFactors`). With `draws` the factors are
 * the sampled Fisher's (dense-grad.ts `LabelDraws`; a φ-run draws its labels from θ's
 * predictive distribution at f(φ), the same as its θ-run's); only the fast path has them.
 */
export async function kfacFactorsAt(
  obj: Objective,
  row: Tensor2D,
  blocks: readonly LayerBlock[],
  draws?: LabelDraws,
): Promise<KroneckerFactors[]> {
  const via = fastKfacOf(obj, blocks);
  if (via) {
    const read = await readFastFactors(via, blocks, () => ({
      ...via.fast.kfacFactors(via.theta(row), draws),
      hidden: null,
      lead: null,
    }));
    return read.factors;
  }
  if (draws) throw new Error('K-FAC: the sampled Fisher needs a dense network (hasFusedKfac)');
  return kfacFactors(await fisherFactor(obj, row), obj.problem.C, blocks);
}

/**
 * Whether `gradientAndKfacFactorsAt` serves `obj`: a dense network's θ-objective, or its
 * φ-objective through a layer-wise map (`Reparam.layerFactors`), with layer blocks.
 */
export function hasFusedKfac(obj: Objective, blocks: readonly LayerBlock[]): boolean {
  return fastKfacOf(obj, blocks) !== null;
}

/**
 * The gradient (float64) and the K-FAC factors at one row [1, P] from one forward pass and
 * one read back (problems/dense-grad.ts `gradientAndKfacFactors`; a φ-run's gradient is
 * Jᵀ∇θ), for an objective with `hasFusedKfac`; null otherwise. The same values as
 * `gradient` and `kfacFactorsAt` (a φ-run's gradient to float32 round-off: `gradient`
 * differentiates through f by autodiff).
 */
export async function gradientAndKfacFactorsAt(
  obj: Objective,
  row: Tensor2D,
  blocks: readonly LayerBlock[],
  draws?: LabelDraws,
): Promise<{ g: number[]; factors: KroneckerFactors[] } | null> {
  const via = fastKfacOf(obj, blocks);
  if (!via) return null;
  const read = await readFastFactors(via, blocks, () => {
    const { gradient, ...factors } = via.fast.gradientAndKfacFactors(
      via.theta(row),
      draws,
      hiddenFisherAvailable(),
    );
    return { ...factors, lead: gradient };
  });
  return { g: read.lead, factors: read.factors };
}

/** decay·old + (1 − decay)·new, entrywise (the running average of the factors). */
export function blendFactors(
  old: readonly KroneckerFactors[] | null,
  fresh: readonly KroneckerFactors[],
  decay: number,
): KroneckerFactors[] {
  if (!old) return fresh.map((f) => ({ A: f.A.map((r) => [...r]), G: f.G.map((r) => [...r]) }));
  const mix = (o: Mat, n: Mat): Mat =>
    n.map((r, i) => {
      const or = o[i] as number[];
      const out = new Array<number>(r.length);
      for (let j = 0; j < r.length; j++) out[j] = decay * (or[j] as number) + (1 - decay) * (r[j] as number);
      return out;
    });
  return fresh.map((f, l) => ({
    A: mix((old[l] as KroneckerFactors).A, f.A),
    G: mix((old[l] as KroneckerFactors).G, f.G),
  }));
}

/**
 * A dense network's Fisher-vector products F v = (1/N) Σ_n J_nᵀ Λ_n J_n v at one point, on the
 * CPU by one WebAssembly SIMD kernel (fisher-product.wat) once the point's forward pass has
 * been read back (dense-grad.ts `productParts`): the tangent pass, the output Fisher and the
 * backward of one example at a time, over only the nonzero entries of its input (digit
 * images are half blank), with float64 totals. The tensor path (dense-grad.ts `linearize`)
 * does the same products as some twenty tensor operations a product, each with its dispatch,
 * and a read; a CG solve takes tens of products at one point (docs/theory.md §9.4; measured
 * in docs/performance.md, 2026-12-07, evening: "Fisher-vector products"). The GGN is the same
 * product where it equals the Fisher (softmax, gaussian).
 */
import { fisherProductBase64 } from './fisher-product-wasm';
import { alignV128, ensureMemory, lazyKernel, writePaddedRows, type KernelExports } from '../../wasm-kernel';
import type { DenseFastPath } from '../../problems/dense-grad';
import type { DenseLayer } from '../../problems/problem';
import { tf, type Tensor } from '../../tf';
import type { Vec } from '../../linalg/dense';

interface Kernel extends KernelExports {
  fvp: (N: number, L: number, desc: number) => void;
}

const compiled = lazyKernel<Kernel>(fisherProductBase64);
const loadKernel = (): Kernel | null => compiled.get();
/** The held product whose data is in the kernel's memory now. */
let owner: object | null = null;

/** Layers the descriptor holds (fisher-product.wat: 8 words a layer from word 16, tables at 80 and 88). */
const MAX_LAYERS = 8;

/** Whether the kernel can multiply by this network's Fisher here. */
export function fisherKernelSupports(fast: DenseFastPath): boolean {
  const lik = fast.basis.likelihood.kind;
  return (
    fast.layers.length >= 1 &&
    fast.layers.length <= MAX_LAYERS &&
    (lik === 'softmax' || lik === 'gaussian') &&
    loadKernel() !== null
  );
}

/** x̄ = [x, 1] by rows, nonzero entries only (each fast path's, read once: x does not change). */
interface SparseInput {
  rowStart: Int32Array;
  /** Each entry's input index (the bias: `inputs`). */
  index: Int32Array;
  value: Float32Array;
}

const inputs = new WeakMap<DenseFastPath, Promise<SparseInput>>();

function sparseInput(fast: DenseFastPath): Promise<SparseInput> {
  const known = inputs.get(fast);
  if (known) return known;
  const made = (async () => {
    const x = fast.basis.x;
    const [N, d] = x.shape as [number, number];
    const data = await x.data();
    const rowStart = new Int32Array(N + 1);
    const index: number[] = [];
    const value: number[] = [];
    for (let n = 0; n < N; n++) {
      rowStart[n] = index.length;
      for (let i = 0; i < d; i++) {
        const v = data[n * d + i] as number;
        if (v !== 0) {
          index.push(i);
          value.push(v);
        }
      }
      index.push(d);
      value.push(1);
    }
    rowStart[N] = index.length;
    return { rowStart, index: Int32Array.from(index), value: Float32Array.from(value) };
  })();
  inputs.set(fast, made);
  return made;
}

/** Rows are padded to blocks of 16 floats (fisher-product.wat's four v128 accumulators). */
const pad16 = (n: number): number => 16 * Math.ceil(n / 16);

/** One held product: v ↦ F v at the point (float64 in and out). */
export interface FisherKernelProduct {
  apply(v: Vec): Vec;
}

/** The forward pass at a point, read back: a_k (k = 1 … L − 1), D_k (k = 0 … L − 2), p or s. */
interface ForwardPass {
  acts: Float32Array[];
  derivs: Float32Array[];
  loss: Float32Array;
}

/** `productParts` at `point` in one read. */
async function readForwardPass(fast: DenseFastPath, point: readonly number[]): Promise<ForwardPass> {
  const L = fast.layers.length;
  let sizes: number[] = [];
  const flat = tf.tidy(() => {
    const parts = fast.productParts(tf.tensor2d([[...point]]));
    const list: Tensor[] = [...parts.inputs, ...parts.derivs, (parts.probs ?? parts.scale) as Tensor];
    sizes = list.map((t) => t.size);
    return tf.concat(list.map((t) => tf.reshape(t, [-1])));
  });
  let data: Float32Array;
  try {
    data = (await flat.data()) as Float32Array;
  } finally {
    flat.dispose();
  }
  const parts: Float32Array[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(data.subarray(at, at + size));
    at += size;
  }
  return {
    acts: parts.slice(0, L - 1),
    derivs: parts.slice(L - 1, 2 * (L - 1)),
    loss: parts[2 * (L - 1)] as Float32Array,
  };
}

/** Where everything lives in the kernel's memory (byte offsets; fisher-product.wat's layout). */
interface Layout {
  /** Each layer's padded row length in floats. */
  outP: number[];
  bufA: number;
  bufB: number;
  rowStart: number;
  idx: number;
  val: number;
  /** Per layer: a_k, D_k, W_k, W_kᵀ, V̄_k (0 where the layer has none). */
  layer: { a: number; d: number; w: number; wT: number; v: number }[];
  loss: number;
  /** Each layer's G from g32's start (bytes). */
  gOffsets: number[];
  g32: number;
  g64: number;
  g32Bytes: number;
  /** Each layer's block in θ (numbers from θ's start). */
  blockOffsets: number[];
  end: number;
}

function layoutOf(layers: readonly DenseLayer[], N: number, sparse: SparseInput, softmax: boolean): Layout {
  const L = layers.length;
  const outP = layers.map((l) => pad16(l.outputs));
  const widest = Math.max(...outP, ...layers.map((l) => pad16(l.inputs)));
  let end = 384; // the descriptor
  const take = (bytes: number): number => {
    const p = end;
    end = alignV128(end + bytes);
    return p;
  };
  const bufA = take(4 * widest);
  const bufB = take(4 * widest);
  const rowStart = take(4 * (N + 1));
  const idx = take(4 * sparse.index.length);
  const val = take(4 * sparse.value.length);
  const layer = layers.map((l, k) => ({
    a: k >= 1 ? take(4 * N * (outP[k - 1] as number)) : 0,
    d: k < L - 1 ? take(4 * N * (outP[k] as number)) : 0,
    w: k >= 1 ? take(4 * l.inputs * (outP[k] as number)) : 0,
    wT: k >= 1 ? take(4 * l.outputs * (outP[k - 1] as number)) : 0,
    v: take(4 * (l.inputs + 1) * (outP[k] as number)),
  }));
  const loss = take(softmax ? 4 * N * (outP[L - 1] as number) : 4 * N);
  const gOffsets: number[] = [];
  const blockOffsets: number[] = [];
  let g32Bytes = 0;
  let offset = 0;
  layers.forEach((l, k) => {
    gOffsets.push(g32Bytes);
    g32Bytes += 4 * (l.inputs + 1) * (outP[k] as number);
    blockOffsets.push(offset);
    offset += (l.inputs + 1) * l.outputs;
  });
  const g32 = take(g32Bytes);
  const g64 = take(2 * g32Bytes);
  return {
    outP,
    bufA,
    bufB,
    rowStart,
    idx,
    val,
    layer,
    loss,
    gOffsets,
    g32,
    g64,
    g32Bytes,
    blockOffsets,
    end,
  };
}

/** Everything but the direction into the kernel's memory: x̄'s entries, the forward pass, θ's weights, the descriptor. */
function upload(
  k: Kernel,
  at: Layout,
  layers: readonly DenseLayer[],
  N: number,
  sparse: SparseInput,
  fw: ForwardPass,
  point: readonly number[],
  softmax: boolean,
): void {
  const L = layers.length;
  ensureMemory(k, at.end);
  const f32 = new Float32Array(k.memory.buffer);
  const i32 = new Int32Array(k.memory.buffer);
  i32.set(sparse.rowStart, at.rowStart / 4);
  const rowBytes0 = 4 * (at.outP[0] as number);
  i32.set(
    sparse.index.map((i) => i * rowBytes0),
    at.idx / 4,
  );
  f32.set(sparse.value, at.val / 4);
  layers.forEach((l, kk) => {
    const m = at.layer[kk] as Layout['layer'][number];
    const op = at.outP[kk] as number;
    const ip = kk >= 1 ? (at.outP[kk - 1] as number) : 0;
    if (kk >= 1) {
      writePaddedRows(k, fw.acts[kk - 1] as Float32Array, N, l.inputs, ip, m.a);
      // W_k [in][outP] and W_kᵀ [out][inP] from θ.
      const base = at.blockOffsets[kk] as number;
      f32.fill(0, m.w / 4, m.w / 4 + l.inputs * op);
      f32.fill(0, m.wT / 4, m.wT / 4 + l.outputs * ip);
      for (let i = 0; i < l.inputs; i++)
        for (let j = 0; j < l.outputs; j++) {
          const w = point[base + i * l.outputs + j] as number;
          f32[m.w / 4 + i * op + j] = w;
          f32[m.wT / 4 + j * ip + i] = w;
        }
    }
    if (kk < L - 1) writePaddedRows(k, fw.derivs[kk] as Float32Array, N, l.outputs, op, m.d);
    i32.set([l.inputs, op / 16, ip / 16, m.a, m.d, m.w, m.wT, l.outputs], 16 + 8 * kk);
    i32[80 + kk] = m.v;
    i32[88 + kk] = at.g32 + (at.gOffsets[kk] as number);
  });
  if (softmax) writePaddedRows(k, fw.loss, N, layers[L - 1]?.outputs ?? 0, at.outP[L - 1] as number, at.loss);
  else f32.set(fw.loss, at.loss / 4);
  i32.set(
    [
      at.rowStart,
      at.idx,
      at.val,
      softmax ? 0 : 1,
      at.loss,
      at.bufA,
      at.bufB,
      at.g32,
      at.g64,
      at.g32Bytes / 16,
    ],
    0,
  );
}

/**
 * The products at θ = `point` (θ's layout: per layer W [in, out] row-major, then b) of the fast
 * path's network, after one read of its forward pass there. The caller checks
 * `fisherKernelSupports` first.
 */
export async function fisherKernelProduct(
  fast: DenseFastPath,
  point: readonly number[],
): Promise<FisherKernelProduct> {
  const k = loadKernel();
  if (!k || !fisherKernelSupports(fast)) throw new Error('no Fisher-product kernel for this network here');
  const layers = fast.layers;
  const L = layers.length;
  const N = fast.basis.x.shape[0] as number;
  const sparse = await sparseInput(fast);
  const fw = await readForwardPass(fast, point);
  const softmax = fast.basis.likelihood.kind === 'softmax' && fast.head === 'identity';
  const at = layoutOf(layers, N, sparse, softmax);
  const mine = {};
  return {
    apply(v) {
      if (owner !== mine) {
        upload(k, at, layers, N, sparse, fw, point, softmax);
        owner = mine;
      }
      const f32 = new Float32Array(k.memory.buffer);
      layers.forEach((l, kk) => {
        const p = (at.layer[kk] as Layout['layer'][number]).v / 4;
        const op = at.outP[kk] as number;
        const base = at.blockOffsets[kk] as number;
        if (op !== l.outputs) f32.fill(0, p, p + (l.inputs + 1) * op);
        for (let r = 0; r <= l.inputs; r++)
          for (let j = 0; j < l.outputs; j++) f32[p + r * op + j] = v[base + r * l.outputs + j] as number;
      });
      f32.fill(0, at.g32 / 4, (at.g64 + 2 * at.g32Bytes) / 4);
      k.fvp(N, L, 0);
      const g64 = new Float64Array(k.memory.buffer, at.g64, at.g32Bytes / 4);
      const out = new Array<number>(v.length);
      layers.forEach((l, kk) => {
        const op = at.outP[kk] as number;
        const g = (at.gOffsets[kk] as number) / 4;
        const base = at.blockOffsets[kk] as number;
        for (let r = 0; r <= l.inputs; r++)
          for (let j = 0; j < l.outputs; j++)
            out[base + r * l.outputs + j] = (g64[g + r * op + j] as number) / N;
      });
      return out;
    },
  };
}

/**
 * K-FAC's factor G of a softmax network's hidden layer under the exact Fisher, from the
 * read-back probabilities, act' and output weights by one WebAssembly SIMD kernel
 * (hidden-fisher.wat):
 *   G = (1/N) Σ_n Σ_c r_{n,c} r_{n,c}ᵀ,  r_{n,c} = √p_{n,c} · d_n ⊙ (W_c − W p_n)
 * the same rows δ the tensor path backpropagates from the softmax Fisher's square root
 * √p_c (e_c − p) (problems/dense-grad.ts `kfacFactors`; docs/theory.md §7), without
 * forming them: each example's C rows stay in the cache and only G's upper half is summed.
 * Also each example's Σ_c ‖r_{n,c}‖², whose zeros say which examples count in the layer's A.
 *
 * The tensor path wrote N·C rows to memory and took their Gram matrix, about two thirds
 * of a K-FAC step on digits; measured in docs/performance.md (2026-12-07, evening:
 * "K-FAC's hidden G").
 */
import { hiddenFisherBase64 } from './hidden-fisher-wasm';
import { alignV128, ensureMemory, lazyKernel, writePaddedRows, type KernelExports } from '../../wasm-kernel';
import type { Mat } from '../../linalg/dense';

/** One hidden layer's inputs, read back from the fast path (dense-grad.ts `HiddenFisherInputs`). */
export interface HiddenFisherData {
  /** Softmax probabilities [N, C], row-major. */
  probs: Float32Array;
  /** act'(z) of the hidden layer [N, H], row-major. */
  derivs: Float32Array;
  /** The output layer's W [H, C] as θ holds it, row-major. */
  weights: Float32Array;
  N: number;
  C: number;
  H: number;
}

interface Kernel extends KernelExports {
  gram: (
    N: number,
    C: number,
    H4: number,
    pP: number,
    pD: number,
    pW: number,
    pG32: number,
    pG64: number,
    pMask: number,
    pR: number,
    pM: number,
  ) => void;
}

const compiled = lazyKernel<Kernel>(hiddenFisherBase64);
const loadKernel = (): Kernel | null => compiled.get();

/** Whether the kernel runs here (WebAssembly with SIMD). */
export function hiddenFisherAvailable(): boolean {
  return loadKernel() !== null;
}

/**
 * G [H, H] (already divided by N, exactly symmetric) and each example's Σ_c ‖r_{n,c}‖² [N]
 * (zero where the example has no sensitivity in this layer). Throws where the kernel is not
 * available: ask `hiddenFisherAvailable` first.
 */
export function hiddenFisher(data: HiddenFisherData): { G: Mat; sensitivity: Float32Array } {
  const k = loadKernel();
  if (!k) throw new Error('the hidden-layer Fisher kernel needs WebAssembly SIMD');
  const { N, C, H } = data;
  const H4 = Math.ceil(H / 4);
  const Hp = 4 * H4;
  const row = 4 * Hp;
  const pP = 0;
  const pD = alignV128(pP + 4 * N * C);
  const pW = pD + N * row;
  const pG32 = pW + C * row;
  const pG64 = pG32 + Hp * row;
  const pMask = pG64 + 2 * Hp * row;
  const pR = alignV128(pMask + 4 * N);
  const pM = pR + C * row;
  const end = pM + row;
  ensureMemory(k, end);
  const f32 = new Float32Array(k.memory.buffer);
  f32.set(data.probs, pP / 4);
  writePaddedRows(k, data.derivs, N, H, Hp, pD);
  // W_c, the weights into class c, as a row: θ's W [H, C] transposed, padded.
  f32.fill(0, pW / 4, pG32 / 4);
  for (let c = 0; c < C; c++)
    for (let h = 0; h < H; h++) f32[(pW + c * row) / 4 + h] = data.weights[h * C + c] as number;
  f32.fill(0, pG32 / 4, pMask / 4); // g32 and g64 (float64 zero is all zero bits)
  k.gram(N, C, H4, pP, pD, pW, pG32, pG64, pMask, pR, pM);
  const f64 = new Float64Array(k.memory.buffer, pG64, Hp * Hp);
  const G: Mat = Array.from({ length: H }, () => new Array<number>(H));
  for (let i = 0; i < H; i++)
    for (let j = i; j < H; j++) {
      const v = (f64[i * Hp + j] as number) / N;
      (G[i] as number[])[j] = v;
      (G[j] as number[])[i] = v;
    }
  return { G, sensitivity: new Float32Array(k.memory.buffer.slice(pMask, pMask + 4 * N)) };
}

/**
 * A dense network's mean loss at many points of a 2-D plane θ = c + α·d1 + β·d2, by one
 * fused WebAssembly SIMD kernel (plane-kernel.wat): four points go through the network side
 * by side, one example at a time, so the activations stay in the cache; the tensor path
 * (problems/dense-grad.ts `planeLoss`) writes each layer's activations for every point and
 * example to memory and reads them back. Float32 throughout, as there; the per-point
 * weights are formed here in float64 and rounded once.
 *
 * Used for slices on the CPU backends (wasm, cpu); the GPU backends keep the tensor path.
 * Measured in docs/performance.md ("the digits slice by a fused kernel").
 */
import type { DenseLayer } from '../problems/problem';
import { layerParamBlocks } from '../problems/blocks';
import type { Likelihood } from '../problems/likelihood';
import type { DenseFastPath, DenseHead } from '../problems/dense-grad';
import { planeKernelBase64 } from './plane-kernel-wasm';
import { alignV128, ensureMemory, lazyKernel, type KernelExports } from '../wasm-kernel';

/** The network and data the kernel evaluates: plain arrays, read once from the problem. */
export interface PlaneNetwork {
  layers: readonly DenseLayer[];
  head: DenseHead;
  likelihood: Likelihood;
  /** Inputs [N, layers[0].inputs], row-major. */
  x: Float32Array;
  /** Targets [N, T], row-major. */
  y: Float32Array;
  N: number;
}

/** Mean losses at the points of one plane. */
export interface PlaneEvaluator {
  /** The mean loss at each point (α, β) of `ab` ([count, 2], row-major): [count]. */
  values(ab: Float32Array): Float32Array;
}

/** Each fast path's network as plain arrays, read once (x and y do not change). */
const networks = new WeakMap<DenseFastPath, PlaneNetwork>();

/**
 * The fast path's network with its data read into arrays, or null when the kernel cannot
 * evaluate it here. Reads x and y synchronously: call it on a CPU backend (wasm, cpu) only.
 */
export function planeNetworkOf(fast: DenseFastPath): PlaneNetwork | null {
  const known = networks.get(fast);
  if (known) return known;
  const { likelihood, x, y } = fast.basis;
  if (!planeKernelSupports({ layers: fast.layers, head: fast.head, likelihood })) return null;
  const net: PlaneNetwork = {
    layers: fast.layers,
    head: fast.head,
    likelihood,
    x: Float32Array.from(x.dataSync()),
    y: Float32Array.from(y.dataSync()),
    N: x.shape[0] as number,
  };
  networks.set(fast, net);
  return net;
}

const ACT: Record<DenseLayer['activation'], number> = { tanh: 0, relu: 1, linear: 2, softplus: 3 };
const LOSS = { softmax: 0, binary: 1, gaussian: 2 } as const;

/** Layers the descriptor can hold (plane-kernel.wat's layout: 16 + 8(L − 1) words in 256 bytes). */
const MAX_LAYERS = 7;

interface Kernel extends KernelExports {
  plane: (G4: number, N: number, desc: number) => void;
}

const compiled = lazyKernel<Kernel>(planeKernelBase64);
/** The evaluator whose constant part (q, y, Σy) is in the kernel's memory now. */
let owner: object | null = null;

/** The compiled kernel, or null where WebAssembly SIMD is not available. */
const loadKernel = (): Kernel | null => compiled.get();

/** The kernel's code for the network's loss, or null when it has none. */
function lossKind(net: Pick<PlaneNetwork, 'head' | 'likelihood'>): { kind: number; scale: number } | null {
  const lik = net.likelihood;
  if (lik.kind === 'softmax') return { kind: net.head === 'binary' ? LOSS.binary : LOSS.softmax, scale: 0 };
  if (lik.kind === 'gaussian' && net.head === 'identity')
    return { kind: LOSS.gaussian, scale: 0.5 / (lik.sigma * lik.sigma) };
  return null;
}

/** Whether the kernel can evaluate this network here. */
export function planeKernelSupports(net: Pick<PlaneNetwork, 'layers' | 'head' | 'likelihood'>): boolean {
  return (
    net.layers.length >= 1 &&
    net.layers.length <= MAX_LAYERS &&
    lossKind(net) !== null &&
    loadKernel() !== null
  );
}

/**
 * The evaluator for the plane c + α·d1 + β·d2 (c, d1, d2 in θ's layout: per layer W [in, out]
 * row-major, then b [out]), or null when the kernel cannot evaluate this network here (no
 * WebAssembly SIMD, more than seven layers, a likelihood it has no form for).
 */
export function planeEvaluator(
  net: PlaneNetwork,
  centre: Float64Array,
  d1: Float64Array,
  d2: Float64Array,
): PlaneEvaluator | null {
  const k = loadKernel();
  const loss = lossKind(net);
  if (!k || !loss || !planeKernelSupports(net)) return null;
  const { layers, N } = net;
  const first = layers[0] as DenseLayer;
  const T = net.y.length / N;
  const blocks = layerParamBlocks(layers, centre.length);
  if (!blocks) throw new Error(`a plane of ${centre.length} coordinates is not this network's parameters`);
  const later = layers.slice(1);
  const widest = Math.max(...layers.map((l) => l.outputs));

  // Layer 0: q_t[n, j] = x[n]·W_t[:, j] + b_t[j] for t = c, 1, 2, in float64, stored [N][H][3].
  const H = first.outputs;
  const din = first.inputs;
  const q = new Float32Array(N * H * 3);
  const planes = [centre, d1, d2];
  const acc = new Float64Array(H);
  for (let t = 0; t < 3; t++) {
    const v = planes[t] as Float64Array;
    for (let n = 0; n < N; n++) {
      acc.set(v.subarray(din * H, din * H + H)); // the bias
      for (let i = 0; i < din; i++) {
        const xi = net.x[n * din + i] as number;
        if (xi === 0) continue;
        const row = i * H;
        for (let j = 0; j < H; j++) acc[j] = (acc[j] as number) + xi * (v[row + j] as number);
      }
      for (let j = 0; j < H; j++) q[(n * H + j) * 3 + t] = acc[j] as number;
    }
  }
  const ySum = new Float32Array(N);
  for (let n = 0; n < N; n++) {
    let s = 0;
    for (let c = 0; c < T; c++) s += net.y[n * T + c] as number;
    ySum[n] = s;
  }

  // Memory: the descriptor, the constant part (q, y, Σy), two scratch rows, then per call
  // the points, their sums and each later layer's per-point weights.
  const desc = 0;
  const pQ = 256;
  const pY = alignV128(pQ + 4 * q.length);
  const pYSum = alignV128(pY + 4 * net.y.length);
  const pBufA = alignV128(pYSum + 4 * N);
  const pBufB = pBufA + 16 * widest;
  const pCall = pBufB + 16 * widest;
  const mine = {};

  return {
    values(ab) {
      const count = ab.length / 2;
      if (count === 0) return new Float32Array(0);
      const G4 = Math.ceil(count / 4);
      const pAB = pCall;
      const pOut = pAB + 32 * G4;
      let end = pOut + 16 * G4;
      const layerAt = later.map((l) => {
        const w = end;
        const b = w + 16 * G4 * l.inputs * l.outputs;
        end = b + 16 * G4 * l.outputs;
        return { w, b };
      });
      ensureMemory(k, end);
      const f32 = new Float32Array(k.memory.buffer);
      const i32 = new Int32Array(k.memory.buffer);
      if (owner !== mine) {
        f32.set(q, pQ / 4);
        f32.set(net.y, pY / 4);
        f32.set(ySum, pYSum / 4);
        owner = mine;
      }
      // The points, four to a block (the last block repeats the last point).
      const alpha = new Float64Array(4 * G4);
      const beta = new Float64Array(4 * G4);
      for (let p = 0; p < 4 * G4; p++) {
        const s = Math.min(p, count - 1);
        alpha[p] = ab[2 * s] as number;
        beta[p] = ab[2 * s + 1] as number;
        const g = p >> 2;
        const lane = p & 3;
        f32[pAB / 4 + g * 8 + lane] = alpha[p] as number;
        f32[pAB / 4 + g * 8 + 4 + lane] = beta[p] as number;
      }
      // Each later layer's weights at every point: W[k][j] (transposed from θ's [in, out]) and b[k].
      later.forEach((l, i) => {
        const { w, b } = layerAt[i] as { w: number; b: number };
        const base = (blocks[i + 1] as { offset: number }).offset;
        const [din, dout] = [l.inputs, l.outputs];
        for (let p = 0; p < 4 * G4; p++) {
          const [a, bb] = [alpha[p] as number, beta[p] as number];
          const g = p >> 2;
          const lane = p & 3;
          const wBlock = w / 4 + g * 4 * din * dout;
          for (let kk = 0; kk < dout; kk++)
            for (let j = 0; j < din; j++) {
              const at = base + j * dout + kk;
              f32[wBlock + (kk * din + j) * 4 + lane] =
                (centre[at] as number) + a * (d1[at] as number) + bb * (d2[at] as number);
            }
          const bBlock = b / 4 + g * 4 * dout;
          for (let kk = 0; kk < dout; kk++) {
            const at = base + din * dout + kk;
            f32[bBlock + kk * 4 + lane] =
              (centre[at] as number) + a * (d1[at] as number) + bb * (d2[at] as number);
          }
        }
      });
      const words = [
        layers.length,
        H,
        ACT[first.activation],
        pQ,
        pAB,
        pOut,
        pBufA,
        pBufB,
        loss.kind,
        pY,
        T,
        pYSum,
      ];
      i32.set(words, desc / 4);
      f32[desc / 4 + 12] = loss.scale;
      later.forEach((l, i) => {
        const { w, b } = layerAt[i] as { w: number; b: number };
        i32.set(
          [l.inputs, l.outputs, ACT[l.activation], w, b, 16 * l.inputs * l.outputs, 16 * l.outputs],
          desc / 4 + 16 + 8 * i,
        );
      });
      k.plane(G4, N, desc);
      const out = new Float32Array(count);
      for (let p = 0; p < count; p++) out[p] = (f32[pOut / 4 + p] as number) / N;
      return out;
    },
  };
}

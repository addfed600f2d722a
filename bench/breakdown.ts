/**
 * (e) Where a batched `gd` step's time goes on wasm: the tensor kernels of one session step
 * (optimizer step and telemetry pass) for R runs of the MLP, from tf.profile (each kernel's
 * wall time), grouped as the per-run products (depthwise convolutions, matMuls), the large
 * passes (elementwise kernels, transposes, reductions over tensors of at least N·R numbers)
 * and the small kernels (mostly dispatch). Sums per profiled step, medians over steps. It
 * shows what a ratio target would leave for everything but the products.
 */
import { tf } from '../src/engine/tf';
import { createSession } from '../src/engine/experiment';
import { batchExperiment, mlpProblem } from './problems';
import { median } from './stats';

export interface BreakdownRow {
  runs: number;
  /** Kernels per step. */
  kernels: number;
  /** Median kernel milliseconds per step, by group. */
  productsMs: number;
  largeMs: number;
  smallMs: number;
  totalMs: number;
}

const PRODUCTS = new Set([
  'DepthwiseConv2dNative',
  'FusedDepthwiseConv2D',
  'BatchMatMul',
  '_FusedMatMul',
  'Conv2D',
  'FusedConv2D',
]);

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

export async function stepBreakdown(runs: number, steps: number): Promise<BreakdownRow> {
  const session = createSession(batchExperiment(mlpProblem, { id: 'gd', lr: 0.1 }, runs).experiment);
  const N = (mlpProblem as { n: number }).n;
  try {
    await session.advance(10);
    const per: { kernels: number; products: number; large: number; small: number }[] = [];
    for (let i = 0; i < steps; i++) {
      const info = await tf.profile(async () => {
        await session.advance(1);
      });
      const sums = { kernels: info.kernels.length, products: 0, large: 0, small: 0 };
      for (const k of info.kernels) {
        const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        const biggest = Math.max(0, ...k.inputShapes.map((s) => (s ? size(s) : 0)));
        if (PRODUCTS.has(k.name)) sums.products += ms;
        else if (biggest >= N * runs) sums.large += ms;
        else sums.small += ms;
      }
      per.push(sums);
    }
    const m = (f: (s: (typeof per)[number]) => number): number => median(per.map(f));
    return {
      runs,
      kernels: m((s) => s.kernels),
      productsMs: m((s) => s.products),
      largeMs: m((s) => s.large),
      smallMs: m((s) => s.small),
      totalMs: m((s) => s.products + s.large + s.small),
    };
  } finally {
    session.dispose();
  }
}

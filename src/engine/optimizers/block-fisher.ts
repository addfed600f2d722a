/**
 * `block-fisher`: the exact Fisher restricted to blocks on its diagonal,
 * p' = p − η blockdiag(F)⁻¹ g (docs/theory.md §9.1). Blocks (problems/blocks.ts): one per
 * layer of a network, its weights and bias together; one block otherwise (then it is
 * `ngd`). `blocks: "one"` forces the single block, `"layers"` demands layers.
 *
 * Natural for every map whose Jacobian is block-diagonal in the same blocks (θ_b = A_b φ_b):
 * blockdiag(AᵀFA) = Aᵀ blockdiag(F) A when A is block-diagonal. Not for maps that mix
 * coordinates of different blocks.
 *
 * Each block is solved in float64 as ngd solves F (Cholesky of F_b + λI; a singular
 * undamped block takes its pseudo-inverse step, `info()` 'pinv'). Default η = 0.1 (shared).
 */
import { type Mat, type Vec } from '../linalg/dense';
import { solveSymmetric, type SolveMethod } from '../linalg/solve';
import { paramBlocks, type ParamBlock } from '../problems/blocks';
import { fisherFactor, type Factor } from './curvature/fisher';
import type { Metric } from './curvature/metric';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

/** F_b = U_bᵀU_b/N: the Fisher block of coordinates [offset, offset + size). */
export function fisherBlock(f: Factor, b: ParamBlock): Mat {
  const { offset: o, size: n } = b;
  const F: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const row of f.U) {
    for (let i = 0; i < n; i++) {
      const ri = row[o + i] as number;
      if (ri === 0) continue;
      const Fi = F[i] as number[];
      for (let j = i; j < n; j++) Fi[j] = (Fi[j] as number) + ri * (row[o + j] as number);
    }
  }
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const v = ((F[i] as number[])[j] as number) / f.N;
      (F[i] as number[])[j] = v;
      (F[j] as number[])[i] = v;
    }
  return F;
}

/** The block-diagonal Fisher as a Metric: products and solves block by block. */
export function blockFisherMetric(f: Factor, blocks: readonly ParamBlock[]): Metric {
  const Fs = blocks.map((b) => fisherBlock(f, b));
  const slice = (v: Vec, b: ParamBlock): Vec => v.slice(b.offset, b.offset + b.size);
  // The report of a solve: the most telling method over the blocks.
  const rank: SolveMethod[] = ['non-finite', 'pinv', 'indefinite', 'eigen', 'cholesky'];
  return {
    P: f.P,
    apply: (v) => {
      const out = new Array<number>(f.P).fill(0);
      blocks.forEach((b, k) => {
        const vb = slice(v, b);
        (Fs[k] as Mat).forEach((row, i) => {
          let s = 0;
          for (let j = 0; j < b.size; j++) s += (row[j] as number) * (vb[j] as number);
          out[b.offset + i] = s;
        });
      });
      return out;
    },
    solve: (g, lambda) => {
      const x = new Array<number>(f.P).fill(0);
      let method: SolveMethod = 'cholesky';
      blocks.forEach((b, k) => {
        const res = solveSymmetric(Fs[k] as Mat, slice(g, b), {
          damping: lambda,
          fallback: 'pinv',
          rcond: 1e-12,
        });
        res.x.forEach((v, i) => (x[b.offset + i] = v));
        if (rank.indexOf(res.method) < rank.indexOf(method)) method = res.method;
      });
      return { x, method };
    },
  };
}

export const blockFisher = secondOrder({
  ...optimizerCatalog['block-fisher'],
  metric: async (obj, row, { hyper }) =>
    blockFisherMetric(await fisherFactor(obj, row), paramBlocks(obj.problem.layers, obj.P, hyper.blocks)),
});

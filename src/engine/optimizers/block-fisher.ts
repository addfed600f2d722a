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
 * Each block is solved in float64 as ngd solves F (Cholesky of F_b + λI, or Woodbury on
 * the block's factor columns when damped with fewer rows than coordinates; a singular
 * undamped block takes its pseudo-inverse step, `info()` 'pinv'). Default η = 0.1 (shared).
 */
import { allFinite, type Mat, type Vec } from '../linalg/dense';
import { woodburySolve } from '../linalg/woodbury';
import { solveSymmetric, type SolveMethod, type Solved } from '../linalg/solve';
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

/** (F_b + λI)⁻¹ g_b by Woodbury on the block's columns of the factor. */
function woodburyBlock(f: Factor, b: ParamBlock, lambda: number, g: Vec): Solved {
  const Ub = f.U.map((row) => row.slice(b.offset, b.offset + b.size));
  const x = woodburySolve(Ub, f.N, lambda, g);
  return { x, method: allFinite(x) ? 'woodbury' : 'non-finite' };
}

/** The block-diagonal Fisher as a Metric: products and solves block by block. */
export function blockFisherMetric(f: Factor, blocks: readonly ParamBlock[]): Metric {
  // A block's matrix only when a dense solve needs it; products go through the factor.
  const Fs: (Mat | null)[] = blocks.map(() => null);
  const block = (k: number): Mat => (Fs[k] ??= fisherBlock(f, blocks[k] as ParamBlock));
  const slice = (v: Vec, b: ParamBlock): Vec => v.slice(b.offset, b.offset + b.size);
  // The report of a solve: the most telling method over the blocks.
  const rank: SolveMethod[] = ['non-finite', 'pinv', 'indefinite', 'eigen', 'woodbury', 'cholesky'];
  return {
    P: f.P,
    apply: (v) => {
      // F_b v_b = U_bᵀ(U_b v_b)/N for each block.
      const out = new Array<number>(f.P).fill(0);
      for (const row of f.U) {
        for (const b of blocks) {
          let s = 0;
          for (let j = b.offset; j < b.offset + b.size; j++) s += (row[j] as number) * (v[j] as number);
          if (s === 0) continue;
          for (let j = b.offset; j < b.offset + b.size; j++)
            out[j] = (out[j] as number) + (s * (row[j] as number)) / f.N;
        }
      }
      return out;
    },
    solve: (g, lambda) => {
      const x = new Array<number>(f.P).fill(0);
      let method: SolveMethod = 'cholesky';
      blocks.forEach((b, k) => {
        // Damped, with fewer factor rows than block coordinates: Woodbury on the block's
        // columns of U (as ngd's factorMetric), not an n×n Cholesky.
        const res =
          lambda > 0 && f.U.length < b.size
            ? woodburyBlock(f, b, lambda, slice(g, b))
            : solveSymmetric(block(k), slice(g, b), {
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

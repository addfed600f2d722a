/**
 * `block-mixing`: θ = Aφ with A block-diagonal in the problem's parameter blocks
 * (problems/blocks.ts: one per layer of a network, [W; b] together; one block otherwise),
 * each block A_b = U_b diag(s) V_bᵀ a seeded random matrix with κ(A_b) = `cond` exactly
 * (as `random-mixing`). It mixes every coordinate of a block with every other of the same
 * block and none across: the maps `block-fisher` is natural for (docs/theory.md §9.1), and
 * not K-FAC's per-layer Kronecker maps (it mixes the bias row into the weight rows). For a
 * problem with one block it is a general linear map (`linear` with that matrix).
 */
import type { z } from 'zod';
import type { DenseLayer } from '../problems/problem';
import { layerParamBlocks } from '../problems/blocks';
import { makeRng, subSeed } from '../random';
import { affineMap } from './linear';
import { randomConditioned } from './random-mixing';
import type { Reparam } from './reparam';
import { blockMixingParams } from './param-schemas';

export { blockMixingParams };

/** The block-diagonal matrix of `block-mixing` (drawn from makeRng(subSeed(seed, 'reparam'))). */
export function blockMixingMatrix(
  P: number,
  seed: number,
  layers: readonly DenseLayer[] | null | undefined,
  cond: number,
): number[][] {
  const rng = makeRng(subSeed(seed, 'reparam'));
  const A = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  for (const { offset: o, size: n } of layerParamBlocks(layers, P) ?? [{ offset: 0, size: P }]) {
    const B = randomConditioned(n, cond, rng);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) (A[o + i] as number[])[o + j] = (B[i] as number[])[j] as number;
  }
  return A;
}

export function blockMixingMap(
  P: number,
  seed: number,
  layers: readonly DenseLayer[] | null | undefined,
  p: z.output<typeof blockMixingParams>,
): Reparam {
  return affineMap('block-mixing', blockMixingMatrix(P, seed, layers, p.cond));
}

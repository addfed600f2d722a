/**
 * Network-shaped linear maps for MLP problems, whose θ is laid out layer by layer as
 * W [inputs, outputs] row-major then b [outputs] (problem.ts). Read together, W and b of
 * a layer are the row-major (inputs+1)×outputs matrix [W; b] (the bias is the last row).
 *
 * - `relu-rescale`: hidden unit j of layer l gets α on its incoming weights and bias and
 *   1/α on its outgoing weights. A ReLU (or linear) network computes the same function,
 *   so the loss does not change; the map is diagonal.
 * - `layer-scale`: W ↦ BWC, b ↦ bC per layer with seeded invertible B (inputs × inputs)
 *   and C (outputs × outputs), i.e. [W; b] ↦ B̄ [W; b] C with B̄ = diag(B, 1) — the class
 *   of maps K-FAC is natural for (docs/theory.md §3). B̄ must keep the bias row out of the weight
 *   rows: K-FAC reads each example's input ā = [a, 1] off the Fisher rows by taking the
 *   bias row as δ (curvature/kfac.ts). Under a dense B̄ the φ-layer's input B̄ᵀā has no
 *   constant coordinate, the per-example split of ā δᵀ is then scaled by (B̄ᵀā)_last, and
 *   K-FAC's factors are no longer B̄ᵀAB̄ and CGCᵀ (defects of order 1–30 on xor).
 */
import type { z } from 'zod';
import type { DenseLayer } from '../problems/problem';
import { layerParamBlocks } from '../problems/blocks';
import { makeRng, subSeed } from '../random';
import { diagonalMap, layerMap, type LayerMapBlock } from './blockwise';
import { diagonalMatrix } from './linear';
import { randomConditioned } from './random-mixing';
import { ReparamError, type Reparam } from './reparam';
import { reluRescaleParams, layerScaleParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { reluRescaleParams, layerScaleParams };

/** Offset of each layer's block in θ (problems/blocks.ts); throws unless the blocks fill exactly P. */
function offsets(id: string, P: number, layers: readonly DenseLayer[] | null | undefined): number[] {
  if (!layers || layers.length === 0) throw new ReparamError(`${id}: needs a network problem (with layers)`);
  const blocks = layerParamBlocks(layers, P);
  if (!blocks) {
    const held = layers.reduce((s, l) => s + (l.inputs + 1) * l.outputs, 0);
    throw new ReparamError(`${id}: the layers hold ${held} parameters, the problem has ${P}`);
  }
  return blocks.map((b) => b.offset);
}

/** `relu-rescale`'s α of every hidden unit, layer by layer (the seeded draws, in order). */
function reluRescaleAlphas(layers: readonly DenseLayer[], spread: number, seed: number): number[][] {
  const rng = makeRng(subSeed(seed, 'reparam'));
  return layers
    .slice(0, -1)
    .map((l) =>
      Array.from({ length: l.outputs }, () => Math.exp(rng.uniform(-Math.log(spread), Math.log(spread)))),
    );
}

/**
 * `relu-rescale` per layer as [W; b] ↦ B̄ [W; b] C: B̄ = diag(1/α of the layer's inputs, 1),
 * C = diag(α of its outputs) (1 for the network's inputs and outputs); the map's diagonal
 * is their product, d[r·n + k] = B̄[r][r]·C[k][k].
 */
export function reluRescaleLayerFactors(
  layers: readonly DenseLayer[],
  P: number,
  spread: number,
  seed: number,
): LayerMapBlock[] {
  const at = offsets('relu-rescale', P, layers);
  const alphas = reluRescaleAlphas(layers, spread, seed);
  return layers.map((l, li) => {
    const into =
      li > 0 ? (alphas[li - 1] as number[]).map((a) => 1 / a) : new Array<number>(l.inputs).fill(1);
    const out = alphas[li] ?? new Array<number>(l.outputs).fill(1);
    return { offset: at[li] as number, left: diagonalMatrix([...into, 1]), right: diagonalMatrix(out) };
  });
}

export function reluRescaleMap(
  P: number,
  seed: number,
  layers: readonly DenseLayer[] | null | undefined,
  p: z.output<typeof reluRescaleParams>,
): Reparam {
  const layerFactors = reluRescaleLayerFactors(layers ?? [], P, p.spread, seed);
  // The map's diagonal, d[offset + r·n + k] = B̄[r][r]·C[k][k] block by block.
  const d = new Array<number>(P).fill(1);
  for (const { offset, left, right } of layerFactors)
    left.forEach((Lr, r) =>
      right.forEach((Ck, k) => (d[offset + r * right.length + k] = (Lr[r] as number) * (Ck[k] as number))),
    );
  return { ...diagonalMap('relu-rescale', d), layerFactors };
}

export function layerScaleMap(
  P: number,
  seed: number,
  layers: readonly DenseLayer[] | null | undefined,
  p: z.output<typeof layerScaleParams>,
): Reparam {
  const at = offsets('layer-scale', P, layers);
  const rng = makeRng(subSeed(seed, 'reparam'));
  const blocks = (layers ?? []).map((l, li): LayerMapBlock => {
    const m = l.inputs + 1;
    // B̄ = diag(B, 1): the bias row is never mixed into the weight rows (see the header).
    const B = randomConditioned(l.inputs, p.cond, rng);
    const left = Array.from({ length: m }, (_, r) =>
      Array.from({ length: m }, (__, s) =>
        r < l.inputs && s < l.inputs ? ((B[r] as number[])[s] as number) : r === s ? 1 : 0,
      ),
    );
    return { offset: at[li] as number, left, right: randomConditioned(l.outputs, p.cond, rng) };
  });
  return layerMap('layer-scale', P, blocks);
}

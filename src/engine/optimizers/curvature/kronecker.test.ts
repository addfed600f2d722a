import { describe, expect, it } from 'vitest';
import { makeRng } from '../../random';
import type { Mat } from '../../linalg/dense';
import { decomposeFactors, kroneckerMetric } from './kronecker';
import type { KroneckerFactors, LayerBlock } from './kfac';

/** A random symmetric PSD n×n matrix of rank `rank` (BBᵀ, B n×rank). */
function psd(n: number, rank: number, seed: number): Mat {
  const rng = makeRng(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: rank }, () => rng.normal(0, 1)));
  return B.map((bi) => B.map((bj) => bi.reduce((s, v, k) => s + v * (bj[k] as number), 0)));
}

const blocks: LayerBlock[] = [
  { offset: 0, rows: 4, cols: 3 },
  { offset: 12, rows: 4, cols: 1 },
];
const P = 16;

function maxRel(a: number[], b: number[]): number {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number)))) / scale;
}

describe('K-FAC solve without decomposed factors', () => {
  const factors: KroneckerFactors[] = [
    { A: psd(4, 4, 1), G: psd(3, 3, 2) },
    { A: psd(4, 2, 3), G: psd(1, 1, 4) }, // A singular: only damping makes it invertible
  ];
  const rng = makeRng(5);
  const g = Array.from({ length: P }, () => rng.normal(0, 1));

  it('damped: the Cholesky solve equals the eigen-decomposition solve to round-off', () => {
    for (const lambda of [1e-4, 1e-2, 1]) {
      const chol = kroneckerMetric(P, blocks, factors, null).solve(g, lambda);
      const eig = kroneckerMetric(P, blocks, factors, decomposeFactors(factors)).solve(g, lambda);
      expect(chol.method).toBe('kronecker');
      expect(maxRel(chol.x, eig.x)).toBeLessThan(1e-9);
    }
  });

  it('undamped: decomposes after all (pseudo-inverse of the singular factor)', () => {
    const lazy = kroneckerMetric(P, blocks, factors, null).solve(g, 0);
    const eig = kroneckerMetric(P, blocks, factors, decomposeFactors(factors)).solve(g, 0);
    expect(lazy.method).toBe('pinv');
    expect(lazy.x).toEqual(eig.x);
  });

  it('non-finite factors give a non-finite direction, not a throw', () => {
    const bad: KroneckerFactors[] = [{ A: [[Number.NaN]], G: [[1]] }];
    const res = kroneckerMetric(1, [{ offset: 0, rows: 1, cols: 1 }], bad, null).solve([1], 0.1);
    expect(res.method).toBe('non-finite');
  });
});

import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { gram, matTVec, matVec, type Mat } from './dense';
import { solveSymmetric } from './solve';
import { choleskyFactor, choleskySolveFactor, type CholeskyFactor } from './cholesky';
import { rowMajor, rowsOf, rowsTimes, rowsTransposeTimes, woodburySolve, type RowMajor } from './woodbury';

/** m×P rows with column scales spread over `spread` decades (an ill-conditioned Gram). */
function rowsWithSpread(m: number, P: number, seed: number, spread: number): Mat {
  const rng = makeRng(seed);
  const scale = Array.from({ length: P }, (_, j) => 10 ** ((-spread * j) / P));
  return Array.from({ length: m }, () =>
    Array.from({ length: P }, (_, j) => rng.normal() * (scale[j] as number)),
  );
}

/** U rounded to float32 and its UUᵀ computed in float32 arithmetic, as the backend returns them. */
function backendLike(U: Mat): { U32: RowMajor; gram32: RowMajor } {
  const m = U.length;
  const P = U[0]?.length ?? 0;
  const u = Float32Array.from(U.flat());
  const k = new Float32Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < P; p++)
        s = Math.fround(s + Math.fround((u[i * P + p] as number) * (u[j * P + p] as number)));
      k[i * m + j] = s;
    }
  return { U32: { rows: m, cols: P, data: u }, gram32: { rows: m, cols: m, data: k } };
}

const relErr = (got: readonly number[], want: readonly number[]): number =>
  Math.max(...got.map((v, i) => Math.abs(v - (want[i] as number)))) / Math.max(...want.map(Math.abs));

describe('flat row-major products', () => {
  it.each([1, 3, 4, 7])('A v and Aᵀ z equal the nested-row products (m = %i rows)', (m) => {
    const A = rowsWithSpread(m, 9, m, 0);
    const flat = rowMajor(A, 9);
    const rng = makeRng(40 + m);
    const v = Array.from({ length: 9 }, () => rng.normal());
    const z = Array.from({ length: m }, () => rng.normal());
    expect(relErr(Array.from(rowsTimes(flat, v)), matVec(A, v))).toBeLessThan(1e-14);
    expect(relErr(Array.from(rowsTransposeTimes(flat, z)), matTVec(A, z, 9))).toBeLessThan(1e-14);
    expect(rowsOf(flat)).toEqual(A);
  });
});

describe('Woodbury from the backend’s flat float32 arrays', () => {
  // The MLP's shape class: fewer rows than parameters, a Gram spread over four decades, so
  // that refinement has real work to do (the float32 factor alone is good to ~1e-5).
  const [m, P, N] = [48, 70, 48];
  const U = rowsWithSpread(m, P, 7, 2);
  const { U32, gram32 } = backendLike(U);
  const Uexact = rowsOf(U32); // the float32 values, exactly, as float64 rows
  const rng = makeRng(8);
  const g = Array.from({ length: P }, () => rng.normal());

  it.each([1e-1, 1e-2, 1e-3])('λ = %s: equals the dense float64 damped solve to 1e-12', (lambda) => {
    const dense = solveSymmetric(gram(Uexact, P, 1 / N), g, { damping: lambda }).x;
    const flat = woodburySolve(U32, N, lambda, g, gram32);
    expect(relErr(flat, dense)).toBeLessThan(1e-12);
    // The float32 Gram's Cholesky alone (no refinement) is far from that: the refinement
    // against U is what makes the answer exact.
    const K = rowsOf(gram32).map((row, i) => row.map((v, j) => v / N + (i === j ? lambda : 0)));
    const Vg = matVec(Uexact, g).map((v) => v / Math.sqrt(N));
    const z = Array.from(choleskySolveFactor(choleskyFactor(K) as CholeskyFactor, Vg));
    const unrefined = g.map((v, j) => (v - (matTVec(Uexact, z, P)[j] as number) / Math.sqrt(N)) / lambda);
    expect(relErr(unrefined, dense)).toBeGreaterThan(1e-9);
  });

  it('λ = 1e-7 (κ ≈ 1e8, beyond the float32 factor): still the dense solve to float64 accuracy', () => {
    const lambda = 1e-7;
    const dense = solveSymmetric(gram(Uexact, P, 1 / N), g, { damping: lambda }).x;
    expect(relErr(woodburySolve(U32, N, lambda, g, gram32), dense)).toBeLessThan(1e-10);
  });

  it('rows or flat arrays, float32 Gram or none: the same answer', () => {
    const lambda = 1e-2;
    const fromRows = woodburySolve(Uexact, N, lambda, g);
    expect(relErr(woodburySolve(U32, N, lambda, g), fromRows)).toBeLessThan(1e-12);
    expect(relErr(woodburySolve(U32, N, lambda, g, gram32), fromRows)).toBeLessThan(1e-11);
    expect(relErr(woodburySolve(Uexact, N, lambda, g, rowsOf(gram32)), fromRows)).toBeLessThan(1e-11);
  });

  it('a non-finite entry anywhere in U gives NaN, not a wrong answer', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const data = Float32Array.from(U32.data);
      data[17 * P + 55] = bad;
      expect(woodburySolve({ ...U32, data }, N, 1e-2, g, gram32).every(Number.isNaN)).toBe(true);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { gram, matVec, type Mat } from './dense';
import { choleskySolve, solveSymmetric } from './solve';
import { eigh } from './eigen';

/** A random m×P matrix with standard normal entries. */
function randn(m: number, P: number, seed: number): Mat {
  const rng = makeRng(seed);
  return Array.from({ length: m }, () => Array.from({ length: P }, () => rng.normal()));
}

describe('dense symmetric solves', () => {
  it('Cholesky solves an SPD system; damping solves (A + λI)x = b', () => {
    const A = gram(randn(12, 6, 1), 6, 1 / 12);
    const b = randn(1, 6, 2)[0] as number[];
    const plain = solveSymmetric(A, b);
    expect(plain.method).toBe('cholesky');
    matVec(A, plain.x).forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 10));
    const damped = solveSymmetric(A, b, { damping: 0.5 });
    matVec(A, damped.x).forEach((v, i) =>
      expect(v + 0.5 * (damped.x[i] as number)).toBeCloseTo(b[i] as number, 10),
    );
  });

  it('a singular PSD matrix falls back to the minimum-norm pseudo-inverse solution', () => {
    // Rank 3 in R^5: the Gram of 3 rows.
    const U = randn(3, 5, 3);
    const A = gram(U, 5);
    const b = matVec(A, randn(1, 5, 4)[0] as number[]); // in the range of A
    const res = solveSymmetric(A, b);
    expect(res.method).toBe('pinv');
    matVec(A, res.x).forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 8));
    // Minimum norm: x lies in the row space of U (orthogonal to the null space of A).
    const { values, vectors } = eigh(A);
    values.forEach((lam, i) => {
      if (Math.abs(lam) < 1e-9) {
        const v = vectors[i] as number[];
        expect(Math.abs(v.reduce((s, vj, j) => s + vj * (res.x[j] as number), 0))).toBeLessThan(1e-9);
      }
    });
    // The plain d > 0 Cholesky test alone would have accepted near-zero pivots.
    expect(choleskySolve(A, b)).toBeNull();
  });

  it('an indefinite matrix: pinv solves exactly (and says so), abs divides by |λ|', () => {
    const A = [
      [2, 0],
      [0, -0.5],
    ];
    const b = [1, 1];
    const p = solveSymmetric(A, b, { fallback: 'pinv' });
    const s = solveSymmetric(A, b, { fallback: 'abs' });
    expect(p.method).toBe('indefinite');
    expect(s.method).toBe('abs-eigen');
    expect(p.x[0]).toBeCloseTo(0.5, 12);
    expect(p.x[1]).toBeCloseTo(-2, 12);
    expect(s.x[1]).toBeCloseTo(2, 12);
  });

  it('non-finite input gives NaN, never throws', () => {
    const res = solveSymmetric(
      [
        [1, Number.NaN],
        [Number.NaN, 1],
      ],
      [1, 1],
    );
    expect(res.method).toBe('non-finite');
    expect(res.x.every(Number.isNaN)).toBe(true);
  });
});

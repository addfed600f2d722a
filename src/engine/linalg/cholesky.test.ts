import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { gram, matVec, type Mat } from './dense';
import { choleskyFactor, choleskyInPlace, choleskySolveColumns, choleskySolveFactor } from './cholesky';

function spd(n: number, seed: number): Mat {
  const rng = makeRng(seed);
  const U = Array.from({ length: n + 10 }, () => Array.from({ length: n }, () => rng.normal()));
  return gram(U, n, 1 / (n + 10));
}

describe('flat Cholesky', () => {
  // Odd and even sizes: the factorization works on pairs of rows, with a tail for odd n.
  it.each([1, 2, 3, 8, 21])('n = %i: L Lᵀ = A to 1e-12 and A x = b to 1e-10', (n) => {
    const A = spd(n, 5 + n);
    const f = choleskyFactor(A);
    expect(f).not.toBeNull();
    const { L } = f as NonNullable<typeof f>;
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += (L[i * n + k] as number) * (L[j * n + k] as number);
        expect(Math.abs(s - (A[i]?.[j] as number))).toBeLessThan(1e-12);
      }
    const rng = makeRng(n);
    const b = Array.from({ length: n }, () => rng.normal());
    const x = Array.from(choleskySolveFactor(f as NonNullable<typeof f>, b));
    matVec(A, x).forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 10));
  });

  it('k right-hand sides at once equal k single solves', () => {
    const n = 7;
    const k = 3;
    const f = choleskyFactor(spd(n, 2));
    if (!f) throw new Error('spd matrix refused');
    const rng = makeRng(4);
    const B = Array.from({ length: n }, () => Array.from({ length: k }, () => rng.normal()));
    const X = choleskySolveColumns(f, Float64Array.from(B.flat()), k);
    for (let c = 0; c < k; c++) {
      const x = choleskySolveFactor(
        f,
        B.map((r) => r[c] as number),
      );
      x.forEach((v, i) => expect(X[i * k + c]).toBeCloseTo(v, 12));
    }
  });

  it('in place reads only the lower triangle', () => {
    const n = 6;
    const A = spd(n, 9);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) a[i * n + j] = j <= i ? (A[i]?.[j] as number) : 1e9;
    const f = choleskyInPlace(a, n);
    const g = choleskyFactor(A);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) expect(f?.L[i * n + j]).toBeCloseTo(g?.L[i * n + j] as number, 14);
  });

  it('refuses an indefinite or singular matrix, at an even or an odd pivot', () => {
    expect(
      choleskyFactor([
        [1, 0],
        [0, -1],
      ]),
    ).toBeNull();
    expect(
      choleskyFactor([
        [1, 1],
        [1, 1],
      ]),
    ).toBeNull();
    expect(
      choleskyFactor([
        [-1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]),
    ).toBeNull();
    expect(
      choleskyFactor([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 0],
      ]),
    ).toBeNull();
  });
});

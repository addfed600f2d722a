import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { gram, matVec } from './dense';
import { choleskyFactor, choleskySolveFactor } from './cholesky';

describe('flat Cholesky', () => {
  it('solves an SPD system: A x = b to 1e-10', () => {
    const rng = makeRng(5);
    const n = 20;
    const U = Array.from({ length: 30 }, () => Array.from({ length: n }, () => rng.normal()));
    const A = gram(U, n, 1 / 30);
    const b = Array.from({ length: n }, () => rng.normal());
    const f = choleskyFactor(A);
    expect(f).not.toBeNull();
    const x = choleskySolveFactor(f as NonNullable<typeof f>, b);
    matVec(A, x).forEach((v, i) => expect(v).toBeCloseTo(b[i] as number, 10));
  });
  it('refuses an indefinite or singular matrix', () => {
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
  });
});

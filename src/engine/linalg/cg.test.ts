import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { gram, matVec, type Mat } from './dense';
import { conjugateGradient, conjugateGradientAsync } from './cg';
import { solveSymmetric } from './solve';
import { woodburySolve } from './woodbury';

function randn(m: number, P: number, seed: number): Mat {
  const rng = makeRng(seed);
  return Array.from({ length: m }, () => Array.from({ length: P }, () => rng.normal()));
}

describe('conjugate gradient', () => {
  it('P iterations on an SPD system reach the dense solve', () => {
    const P = 8;
    const A = gram(randn(20, P, 11), P, 1 / 20);
    const b = randn(1, P, 12)[0] as number[];
    const dense = solveSymmetric(A, b).x;
    const res = conjugateGradient((v) => matVec(A, v), b, { maxIters: 3 * P, tol: 1e-13 });
    expect(res.iters).toBeLessThanOrEqual(3 * P);
    expect(res.residual).toBeLessThan(1e-10);
    res.x.forEach((v, i) => expect(v).toBeCloseTo(dense[i] as number, 8));
  });

  it('on a singular PSD system with b in the range it finds the minimum-norm solution', () => {
    const P = 6;
    const A = gram(randn(3, P, 13), P);
    const b = matVec(A, randn(1, P, 14)[0] as number[]);
    const pinv = solveSymmetric(A, b).x;
    const res = conjugateGradient((v) => matVec(A, v), b, { maxIters: 20, tol: 1e-12 });
    res.x.forEach((v, i) => expect(v).toBeCloseTo(pinv[i] as number, 6));
  });

  it('on a singular system with b just off the range (round-off), `stall` keeps the smallest-residual iterate', () => {
    const P = 60;
    const A = gram(randn(12, P, 21), P);
    const b = matVec(A, randn(1, P, 22)[0] as number[]).map(
      (v, i) => v + 1e-4 * (randn(1, P, 23)[0]?.[i] ?? 0),
    );
    // Each product off by a relative 1e-6, as a float32 Fisher-vector product is.
    const solve = (stall?: number) => {
      const rng = makeRng(24);
      const noisy = (v: number[]) => matVec(A, v).map((x) => x * (1 + 1e-6 * rng.normal()));
      return conjugateGradient(noisy, b, { maxIters: 10 * P, tol: 1e-6, ...(stall ? { stall } : {}) });
    };
    const trueResidual = (x: number[]) =>
      Math.hypot(...matVec(A, x).map((v, i) => (b[i] as number) - v)) / Math.hypot(...b);
    // Plain CG ends far from any solution: its residual is above that of x = 0.
    const plain = solve();
    expect(trueResidual(plain.x)).toBeGreaterThan(1);
    const kept = solve(25);
    expect(kept.iters).toBeLessThan(10 * P);
    expect(trueResidual(kept.x)).toBeLessThan(1e-4);
    expect(Math.abs(trueResidual(kept.x) - kept.residual)).toBeLessThan(1e-5);
    expect(Math.hypot(...kept.x)).toBeLessThan(10);
  });

  it('`stall` changes nothing on a system CG solves to its tolerance', () => {
    const P = 30;
    const A = gram(randn(40, P, 31), P, 1 / 40);
    const b = randn(1, P, 32)[0] as number[];
    const plain = conjugateGradient((v) => matVec(A, v), b, { maxIters: 3 * P, tol: 1e-6 });
    const kept = conjugateGradient((v) => matVec(A, v), b, { maxIters: 3 * P, tol: 1e-6, stall: 25 });
    expect(plain.residual).toBeLessThan(1e-6);
    expect(kept).toEqual(plain);
  });

  it('a warm start at the answer needs no iteration', () => {
    const A = [
      [3, 1],
      [1, 2],
    ];
    const b = [1, -1];
    const x = solveSymmetric(A, b).x;
    const res = conjugateGradient((v) => matVec(A, v), b, { maxIters: 5, x0: x });
    expect(res.iters).toBe(0);
    res.x.forEach((v, i) => expect(v).toBeCloseTo(x[i] as number, 12));
  });

  it('a scaled warm start begins at the best multiple of x0 (A-norm error never above a start at zero)', () => {
    const P = 10;
    const A = gram(randn(30, P, 15), P, 1 / 30);
    const b = randn(1, P, 16)[0] as number[];
    const x = solveSymmetric(A, b).x;
    const energy = (y: number[]) => {
      const e = y.map((v, i) => v - (x[i] as number));
      return e.reduce((s, v, i) => s + v * (matVec(A, e)[i] as number), 0);
    };
    const dot = (u: number[], v: number[]) => u.reduce((s, w, i) => s + w * (v[i] as number), 0);
    // A start pointing the wrong way: unscaled it is worse than zero, scaled it is not.
    for (const x0 of [x.map((v) => -3 * v), x.map((v, i) => 2 * v + (i % 2 ? 0.5 : -0.5))]) {
      const start = conjugateGradient((v) => matVec(A, v), b, { maxIters: 0, x0, scaleX0: true });
      const s = dot(x0, b) / dot(x0, matVec(A, x0));
      start.x.forEach((v, i) => expect(v).toBeCloseTo(s * (x0[i] as number), 12));
      expect(energy(start.x)).toBeLessThanOrEqual(energy(new Array<number>(P).fill(0)));
      // And it ends at the same answer.
      const res = conjugateGradient((v) => matVec(A, v), b, {
        maxIters: 3 * P,
        tol: 1e-13,
        x0,
        scaleX0: true,
      });
      res.x.forEach((v, i) => expect(v).toBeCloseTo(x[i] as number, 8));
    }
  });
});

describe('Woodbury', () => {
  it('(UᵀU/N + λI)⁻¹g with m < P equals the dense damped solve', () => {
    const [m, P, N, lambda] = [5, 40, 4, 1e-2];
    const U = randn(m, P, 21);
    const g = randn(1, P, 22)[0] as number[];
    const dense = solveSymmetric(gram(U, P, 1 / N), g, { damping: lambda });
    const wood = woodburySolve(U, N, lambda, g);
    const scale = Math.max(...dense.x.map(Math.abs));
    wood.forEach((v, i) => expect(Math.abs(v - (dense.x[i] as number)) / scale).toBeLessThan(1e-10));
  });

  it('from a float32 Gram, refined against U, it equals the float64 dense solve to 1e-10', () => {
    const [m, P, N, lambda] = [30, 50, 30, 1e-3];
    const U = randn(m, P, 23);
    const g = randn(1, P, 24)[0] as number[];
    // UUᵀ rounded to float32, as the backend returns it.
    const gram32 = U.map((a) =>
      U.map((b) => Math.fround(a.reduce((s, v, j) => s + v * (b[j] as number), 0))),
    );
    const dense = solveSymmetric(gram(U, P, 1 / N), g, { damping: lambda });
    const wood = woodburySolve(U, N, lambda, g, gram32);
    const scale = Math.max(...dense.x.map(Math.abs));
    wood.forEach((v, i) => expect(Math.abs(v - (dense.x[i] as number)) / scale).toBeLessThan(1e-10));
  });
  it('a wrong or non-finite Gram cannot change the answer: it falls back to the float64 Gram', () => {
    const [m, P, N, lambda] = [6, 12, 6, 1e-2];
    const U = randn(m, P, 25);
    const g = randn(1, P, 26)[0] as number[];
    const want = woodburySolve(U, N, lambda, g);
    for (const bad of [
      U.map(() => new Array<number>(m).fill(Number.NaN)),
      U.map(() => new Array<number>(m).fill(0)),
    ]) {
      const got = woodburySolve(U, N, lambda, g, bad);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 10));
    }
  });
  it('refuses λ = 0 with NaN rather than a wrong answer', () => {
    expect(woodburySolve([[1, 2]], 1, 0, [1, 1]).every(Number.isNaN)).toBe(true);
  });
});

describe('conjugate gradient, asynchronous product', () => {
  it('takes the same steps as the synchronous driver and reports iterations and residual', async () => {
    const P = 12;
    const A = gram(randn(30, P, 21), P, 1 / 30);
    const b = randn(1, P, 22)[0] as number[];
    for (const maxIters of [1, 3, 40]) {
      const sync = conjugateGradient((v) => matVec(A, v), b, { maxIters, tol: 1e-9 });
      const got = await conjugateGradientAsync(async (v) => Promise.resolve(matVec(A, v)), b, {
        maxIters,
        tol: 1e-9,
      });
      expect(got.iters).toBe(sync.iters);
      expect(got.residual).toBe(sync.residual);
      expect(got.x).toEqual(sync.x);
    }
    const full = await conjugateGradientAsync((v) => matVec(A, v), b, { maxIters: 40, tol: 1e-9 });
    expect(full.residual).toBeLessThanOrEqual(1e-9);
    expect(full.iters).toBeGreaterThan(1);
    const r = matVec(A, full.x).map((v, i) => (b[i] as number) - v);
    expect(Math.hypot(...r) / Math.hypot(...b)).toBeCloseTo(full.residual, 12);
  });

  it('stops at the iteration budget with the residual it reached; a non-finite product gives NaN', async () => {
    const A = gram(randn(40, 10, 23), 10, 1 / 40);
    const b = randn(1, 10, 24)[0] as number[];
    const two = await conjugateGradientAsync((v) => matVec(A, v), b, { maxIters: 2, tol: 1e-14 });
    expect(two.iters).toBe(2);
    expect(two.residual).toBeGreaterThan(1e-6);
    const bad = await conjugateGradientAsync((v) => v.map(() => Number.NaN), b, { maxIters: 5 });
    expect(bad.x.every(Number.isNaN)).toBe(true);
  });
});

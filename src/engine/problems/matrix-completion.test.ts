import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import {
  matrixCompletion,
  matrixCompletionParams,
  asMatrixCompletion,
  type MatrixCompletionProblem,
} from './matrix-completion';
import { product64, singularValues, unobservedError } from './matrix-completion-report';
import { fdGradient, gradRows, lossRows, relErr } from './problem-testkit';

const make = (p: object, seed = 1): MatrixCompletionProblem =>
  matrixCompletion(matrixCompletionParams.parse(p), seed);

/** Float64 reference: mean over observed entries of ½ (W_ij − T_ij)². */
function loss64(p: MatrixCompletionProblem, theta: number[]): number {
  const w = product64(p, theta);
  const sq = p.observedEntries.reduce((s, [i, j]) => s + (w.get(i, j) - (p.target[i]?.[j] ?? 0)) ** 2, 0);
  return (0.5 * sq) / p.observedEntries.length;
}

/** Parameter row for depth-L factors given as n×n arrays, W_1 first. */
const rowOf = (factors: number[][][]): number[] => factors.flatMap((f) => f.flat());
const eye = (n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));

describe('matrix-completion', () => {
  const problem = make({});

  it('defaults: 10×10, depth 3 (P = 300), 40 observed entries, rank-1 target with ‖T‖_F = 10, init std 1e-2', () => {
    expect([problem.P, problem.N, problem.C, problem.size, problem.depth]).toEqual([300, 40, 1, 10, 3]);
    const sv = singularValues(problem, rowOf([problem.target as number[][], eye(10), eye(10)]));
    expect(sv[0]).toBeCloseTo(10, 8);
    expect(sv[1]).toBeLessThan(1e-10);
    const std = Math.sqrt(problem.init.reduce((s, v) => s + v * v, 0) / problem.P);
    expect(std).toBeGreaterThan(0.008);
    expect(std).toBeLessThan(0.012);
  });

  it('target, mask and init are identical for the same seed and differ for another', () => {
    const [again, other] = [make({}, 1), make({}, 2)];
    expect(again.target).toEqual(problem.target);
    expect(again.observedEntries).toEqual(problem.observedEntries);
    expect(again.init).toEqual(problem.init);
    expect(other.target).not.toEqual(problem.target);
    expect(other.observedEntries).not.toEqual(problem.observedEntries);
    expect(other.init).not.toEqual(problem.init);
    again.dispose();
    other.dispose();
  });

  it('loss and gradient match the float64 product and its central differences', () => {
    const small = make({ size: 4, depth: 3, initStd: 0.5 }, 3);
    const rows = [small.init as number[], small.init.map((v, i) => v + 0.1 * Math.cos(i))];
    const l = lossRows(small, rows);
    const g = gradRows(small, rows);
    rows.forEach((r, i) => {
      expect(l[i]).toBeCloseTo(loss64(small, r), 5);
      expect(
        relErr(
          g[i] ?? [],
          fdGradient((t) => loss64(small, t), r),
        ),
      ).toBeLessThan(1e-5);
    });
    small.dispose();
  });

  it('helpers: W = T gives unobserved error 0; W = 0 gives 1; W = T + E on one unobserved entry', () => {
    const n = problem.size;
    const t = problem.target as number[][];
    expect(unobservedError(problem, rowOf([t, eye(n), eye(n)]))).toBeLessThan(1e-12);
    expect(unobservedError(problem, new Array<number>(problem.P).fill(0))).toBe(1);
    const seen = new Set(problem.observedEntries.map(([i, j]) => i * n + j));
    const k = Array.from({ length: n * n }, (_, q) => q).find((q) => !seen.has(q)) ?? 0;
    const off = t.map((row, i) => row.map((v, j) => v + (i * n + j === k ? 0.5 : 0)));
    let den = 0;
    t.forEach((row, i) => row.forEach((v, j) => (den += seen.has(i * n + j) ? 0 : v * v)));
    expect(unobservedError(problem, rowOf([off, eye(n), eye(n)]))).toBeCloseTo(0.5 / Math.sqrt(den), 12);
    // Singular values of a product: diag(3, 2) · diag(1, 4) = diag(3, 8) -> [8, 3].
    const tiny = make({
      size: 2,
      depth: 2,
      data: {
        target: [
          [1, 0],
          [0, 1],
        ],
      },
    });
    expect(singularValues(tiny, [3, 0, 0, 2, 1, 0, 0, 4])).toEqual([8, 3]);
    tiny.dispose();
  });

  it('inline target with a bad row is rejected naming the row; asMatrixCompletion narrows', () => {
    const bad = matrixCompletionParams.safeParse({
      data: {
        target: [
          [1, 2],
          [3, 'x'],
        ],
      },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("row 2: 'x' is not a number (column 2)");
    expect(asMatrixCompletion(problem)).toBe(problem);
    const before = tf.memory().numTensors;
    make({ size: 3 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

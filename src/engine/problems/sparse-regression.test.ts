import { describe, expect, it } from 'vitest';
import { sparseRegression, sparseRegressionParams, type SparseRegressionProblem } from './sparse-regression';
import { sortedAbsWeights, testAccuracy64, weights64 } from './sparse-regression-report';
import { fdGradient, gradRows, lossRows, relErr, softmaxNll64, testMetricsRows } from './problem-testkit';

const make = (p: object, seed = 1): SparseRegressionProblem =>
  sparseRegression(sparseRegressionParams.parse(p), seed);

/** Float64 reference loss: softmax cross-entropy of [0, wᵀx] on the training set. */
function loss64(p: SparseRegressionProblem, theta: number[]): number {
  const w = weights64(p, theta);
  const xs = p.x.arraySync();
  return softmaxNll64(
    xs.map((x) => [0, x.reduce((s, v, i) => s + v * (w[i] ?? 0), 0)]),
    p.y.arraySync(),
  );
}

describe('sparse-regression', () => {
  const diag = make({});
  const lin = make({ param: 'linear' });

  it('defaults: d = 40, N = 15, 1000 test points, P = 80 (diagonal) or 40 (linear), labels 1[x₁ > 0]', () => {
    expect([diag.P, diag.N, diag.test?.x.shape[0], lin.P]).toEqual([80, 15, 1000, 40]);
    const xs = diag.x.arraySync();
    diag.y.arraySync().forEach((y, n) => expect(y[1]).toBe((xs[n]?.[0] ?? 0) > 0 ? 1 : 0));
    expect(diag.init.every((v) => v === 1e-3)).toBe(true);
    expect(weights64(diag, diag.init as number[]).every((v) => v === 0)).toBe(true);
  });

  it('data, test set and init are identical for the same seed and differ for another', () => {
    const [again, other] = [make({ param: 'linear' }, 1), make({ param: 'linear' }, 2)];
    expect(again.x.arraySync()).toEqual(lin.x.arraySync());
    expect(again.testSet).toEqual(lin.testSet);
    expect(again.init).toEqual(lin.init);
    expect(other.x.arraySync()).not.toEqual(lin.x.arraySync());
    expect(other.testSet).not.toEqual(lin.testSet);
    expect(other.init).not.toEqual(lin.init);
    // Both parameterizations see the same data for a seed.
    expect(diag.x.arraySync()).toEqual(lin.x.arraySync());
    again.dispose();
    other.dispose();
  });

  it('loss and gradient match float64 central differences in both parameterizations', () => {
    for (const p of [diag, lin]) {
      const theta = p.init.map((_, i) => 0.3 * Math.sin(1.7 * i + 0.4));
      expect(lossRows(p, [theta])[0]).toBeCloseTo(loss64(p, theta), 5);
      expect(
        relErr(
          gradRows(p, [theta])[0] ?? [],
          fdGradient((t) => loss64(p, t), theta),
        ),
      ).toBeLessThan(1e-5);
    }
  });

  it('helpers: w* = e₁ classifies the test set perfectly; sorted |w|; float64 and tensor accuracy agree', async () => {
    const d = 40;
    const e1 = Array.from({ length: d }, (_, i) => (i === 0 ? 1 : 0));
    const u = [...e1, ...new Array<number>(d).fill(0)];
    expect(testAccuracy64(lin, e1)).toBe(1);
    expect(testAccuracy64(diag, u)).toBe(1);
    const mixed = [0.5, -2, 0, 0.1, ...new Array<number>(d - 4).fill(0)];
    expect(sortedAbsWeights(lin, mixed).slice(0, 4)).toEqual([2, 0.5, 0.1, 0]);
    // u = (1, 0, ...), v = (0, 2, 0, ...): w = (1, −4, 0, ...).
    const uv = [1, ...new Array<number>(d - 1).fill(0), 0, 2, ...new Array<number>(d - 2).fill(0)];
    expect(weights64(diag, uv).slice(0, 3)).toEqual([1, -4, 0]);
    const rows = [mixed, e1, lin.init as number[]];
    const m = await testMetricsRows(lin, rows);
    rows.forEach((r, i) => expect(m?.accuracy?.[i]).toBeCloseTo(testAccuracy64(lin, r) ?? NaN, 6));
    expect(m?.accuracy?.[0]).toBeLessThan(0.9);
  });

  it('inline data of the wrong width is rejected naming the row; good data has no test set', () => {
    const points = [new Array<number>(3).fill(0.5), [1, 2]];
    const bad = sparseRegressionParams.safeParse({ d: 3, data: { points, labels: [0, 1] } });
    expect(bad.error?.issues[0]?.message).toBe('row 2: expected a point of 3 numbers, got [1,2]');
    const p = make({
      d: 2,
      data: {
        points: [
          [1, 0],
          [-1, 0],
          [0, 1],
        ],
        labels: [1, 0, 1],
      },
    });
    expect([p.N, p.test, p.testSet, p.window]).toEqual([3, undefined, null, null]);
    p.dispose();
  });
});

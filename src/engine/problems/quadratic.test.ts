import { describe, expect, it } from 'vitest';
import { quadratic, quadraticParams } from './quadratic';
import { fdGradient, gradRows, lossRows, relErr } from './problem-testkit';

/** Float64 reference: ½ (θ − θ*)ᵀ A (θ − θ*), A = Rᵀ diag(cond, 1) R, stiff axis at `angle`. */
function loss64(cond: number, angleDeg: number, center: number[], t: number[]): number {
  const a = (angleDeg * Math.PI) / 180;
  const d = [(t[0] ?? 0) - (center[0] ?? 0), (t[1] ?? 0) - (center[1] ?? 0)];
  const along = Math.cos(a) * (d[0] ?? 0) + Math.sin(a) * (d[1] ?? 0);
  const across = -Math.sin(a) * (d[0] ?? 0) + Math.cos(a) * (d[1] ?? 0);
  return 0.5 * (cond * along * along + across * across);
}

describe('quadratic', () => {
  const params = quadraticParams.parse({ cond: 25, angle: 40, center: [1, -0.5] });
  const problem = quadratic(params, 3);
  const rows = [
    [0.2, 0.7],
    [-1.5, 2],
    [1, -0.5],
  ];

  it('loss of several rows matches the float64 quadratic form', () => {
    const got = lossRows(problem, rows);
    rows.forEach((t, i) => expect(got[i]).toBeCloseTo(loss64(25, 40, [1, -0.5], t), 4));
  });

  it('gradient matches central differences of the float64 loss', () => {
    const g = gradRows(problem, rows);
    rows.forEach((t, i) => {
      const fd = fdGradient((x) => loss64(25, 40, [1, -0.5], x), t);
      expect(relErr(g[i] ?? [], fd)).toBeLessThan(1e-5);
    });
  });

  it('the stiff direction (cos angle, sin angle) has curvature cond, the other 1', () => {
    const a = (40 * Math.PI) / 180;
    const step = (dir: number[]): number => lossRows(problem, [[1 + dir[0]!, -0.5 + dir[1]!]])[0]! * 2;
    expect(step([Math.cos(a), Math.sin(a)])).toBeCloseTo(25, 3);
    expect(step([-Math.sin(a), Math.cos(a)])).toBeCloseTo(1, 4);
  });

  it('init is seeded: same seed same point, another seed another, always at distance 2', () => {
    const again = quadratic(params, 3);
    const other = quadratic(params, 4);
    expect(again.init).toEqual(problem.init);
    expect(other.init).not.toEqual(problem.init);
    for (const p of [problem, other]) {
      expect(Math.hypot(p.init[0]! - 1, p.init[1]! + 0.5)).toBeCloseTo(2, 10);
    }
    expect(problem.window).toEqual([
      [-2, 4],
      [-3.5, 2.5],
    ]);
    again.dispose();
    other.dispose();
  });
});

/**
 * docs/theory.md §4, order of naturality on a nonlinear map: tiny-net with θᵢ = φᵢ + 0.3φᵢ³
 * (cubicMap(2, 0.3)), start (a, b) = (0.4, 0.6), fixed horizon T = 0.5 and
 * η ∈ {T/10, T/20, T/40, T/80}. The fitted slope of log D_K on log η is ≈ 1 for NGD
 * Euler, ≈ 2 for NGD midpoint; Newton's and GD's defects do not vanish as η shrinks.
 * (The defect of these runs peaks before t = 0.5, so a longer T measures the same D.)
 * The smallest midpoint defect (~4e-5) stays far above float32 round-off (~1e-6).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { cubicMap } from '../reparam/cubic';
import { parameterDefect } from '../measure/defect';
import { logLogSlope } from '../measure/slope';
import { baseHyper, type Hyper, type OptimizerDef } from './optimizer';
import { pairedRun } from './paired-run';
import { ngd } from './ngd';
import { newton } from './newton';
import { gd } from './gd';

const T = 0.5;
const STEPS = [10, 20, 40, 80];

describe('order of naturality under θ = φ + 0.3φ³ (docs/theory.md §4)', () => {
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  const map = cubicMap(2, 0.3);
  afterAll(() => tiny.dispose());

  /** D_K for each η = T/K, and the fitted slope. */
  async function sweep(
    def: OptimizerDef,
    over: Partial<Hyper> = {},
  ): Promise<{ eta: number[]; D: number[]; slope: number }> {
    const eta = STEPS.map((k) => T / k);
    const D: number[] = [];
    for (const k of STEPS) {
      const run = await pairedRun(
        def,
        { ...baseHyper, ...def.defaults, ...over, lr: T / k },
        tiny,
        map,
        [0.4, 0.6],
        k,
      );
      D.push(parameterDefect(run.theta, run.pushed));
    }
    return { eta, D, slope: logLogSlope(eta, D).slope };
  }

  it('ngd Euler: slope within 0.2 of 1', async () => {
    const { D, slope } = await sweep(ngd);
    expect(slope, `D = ${D.join(', ')}`).toBeGreaterThan(0.8);
    expect(slope, `D = ${D.join(', ')}`).toBeLessThan(1.2);
  });

  it('ngd midpoint: slope within 0.3 of 2, and a smaller defect than Euler at every η', async () => {
    const mid = await sweep(ngd, { integrator: 'midpoint' });
    const euler = await sweep(ngd);
    expect(mid.slope, `D = ${mid.D.join(', ')}`).toBeGreaterThan(1.7);
    expect(mid.slope, `D = ${mid.D.join(', ')}`).toBeLessThan(2.3);
    mid.D.forEach((d, i) => expect(d).toBeLessThan(euler.D[i]!));
    expect(Math.min(...mid.D)).toBeGreaterThan(1e-5);
  });

  it('newton: the defect levels off above 1e-2 as η shrinks', async () => {
    const { D, slope } = await sweep(newton);
    expect(Math.min(...D), `D = ${D.join(', ')}`).toBeGreaterThan(1e-2);
    // Levelling: halving η changes D by far less than the factor 2 of an O(η) defect.
    expect(D[3]! / D[2]!).toBeGreaterThan(0.9);
    expect(Math.abs(slope)).toBeLessThan(0.3);
  });

  it('gd: slope below 0.3 with a defect of order 0.1', async () => {
    const { D, slope } = await sweep(gd);
    expect(Math.abs(slope), `D = ${D.join(', ')}`).toBeLessThan(0.3);
    expect(Math.min(...D)).toBeGreaterThan(0.03);
  });
});

import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { tf } from '../tf';
import { createSession } from '../experiment';
import { parseExperiment } from '../schema';
import { cubicMap } from './cubic';
import { compileCustom, customMap } from './custom';
import { createReparam, checkInvertible, type ReparamEntry } from './index';
import { ReparamError } from './reparam';
import { jacobianError, nestedGradError, roundTripError, samplePoints, tensorForwardError } from './testkit';

const custom = (expr: string[], extra: Partial<ReparamEntry> = {}): ReparamEntry =>
  ({ id: 'custom', expr, ...extra }) as ReparamEntry;

describe('custom maps', () => {
  it('p1 + 0.3*p1^3 equals cubicMap(…, 0.3) exactly in forward64 and the Jacobian', () => {
    const map = createReparam(custom(['p1 + 0.3*p1^3', 'p2 + 0.3*p2^3']), 2, 0);
    const ref = cubicMap(2, 0.3);
    for (const phi of samplePoints(3, 50, 2, -3, 3)) {
      expect(map.forward64(phi)).toEqual(ref.forward64(phi));
      expect(map.jacobian64(phi)).toEqual(ref.jacobian64(phi));
    }
    expect(map.affine).toBe(false);
    expect(createReparam(custom(['2*p1 - p2', 'p1 + p2/2 + 1']), 2, 0).affine).toBe(true);
  });

  it.each([
    ['sin/tanh/cubic', ['p1 + 0.5*sin(p2)', 'p2 + 0.3*p2^3 + 0.2*tanh(p1)'], 2],
    ['exp/softplus/sigmoid', ['exp(p1)', 'p2 + softplus(p1) - 0.5*sigmoid(p1)'], 2],
    [
      'sinh/cosh/sqrt/division/power',
      ['p1 + sinh(p1)/2', 'p2*(1 + 0.5/cosh(p1)) + sqrt(1 + p1^2) + 2^(p1/4)'],
      2,
    ],
    ['three coordinates, pi and e', ['p1 + 0.1*p2*p3', 'p2', '-p3 + e*p1 - pi'], 3],
  ])('%s: Newton inverse, symbolic J against finite differences, tensor = float64', (_n, expr, P) => {
    const map = createReparam(custom(expr), P, 1);
    const points = samplePoints(8, 12, P);
    expect(roundTripError(map, points)).toBeLessThan(1e-10);
    expect(jacobianError(map, points)).toBeLessThan(1e-6);
    expect(tensorForwardError(map, points)).toBeLessThan(2e-6);
  });

  it('nested tf.grad works through a custom forward (sqrt, power, division, tanh)', () => {
    const map = createReparam(
      custom(['p1 + sinh(p1)/2 + 0.3*tanh(p2)', 'p2*(1 + 0.5/cosh(p1)) + sqrt(1 + p1^2) + 2^(p1/4)']),
      2,
      0,
    );
    for (const phi of samplePoints(4, 3, 2, -1.5, 1.5)) {
      expect(nestedGradError(map, phi, [0.7, 1.1], [-0.4, 0.9])).toBeLessThan(1e-5);
    }
  });

  it('the tensor forward leaks no tensors', () => {
    const map = compileCustom(['p1 + 0.5*sin(p2)', '3'], 2); // a constant coordinate still gives [B, 1]
    const x = tf.tensor2d(samplePoints(1, 5, 2));
    map.forward(x).dispose();
    const before = tf.memory().numTensors;
    const y = map.forward(x);
    expect(y.shape).toEqual([5, 2]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('custom maps in a session', () => {
  it('a custom expression equal to cubic gives the same GD trajectories as the library map', async () => {
    const run = async (reparam: ReparamEntry): Promise<number[][]> => {
      const parsed = parseExperiment({
        version: 1,
        problem: { id: 'tiny-net' },
        reparam,
        optimizers: [{ id: 'gd', lr: 0.05 }],
        steps: 20,
        init: [0.4, 0.6],
      });
      if (!parsed.ok) throw new Error(parsed.error);
      const session = createSession(parsed.experiment);
      await session.advance(20);
      const phiRun = session.runs.find((r) => r.space === 'phi');
      session.dispose();
      return phiRun ? toRows(phiRun.theta) : [];
    };
    const lib = await run({ id: 'cubic', a: 0.3 });
    const cus = await run(custom(['p1 + 0.3*p1^3', 'p2 + 0.3*p2^3']));
    expect(lib).toHaveLength(21);
    const gap = Math.max(
      ...lib.flatMap((row, k) => row.map((v, i) => Math.abs(v - (cus[k]?.[i] as number)))),
    );
    expect(gap).toBeLessThan(1e-5);
    const moved = Math.hypot(...(lib[20] as number[]).map((v, i) => v - (lib[0]?.[i] as number)));
    expect(moved).toBeGreaterThan(0.01);
  });
});

describe('custom maps: bad input', () => {
  it.each([
    [
      ['p1^2', 'p2'],
      /^custom: not invertible: det J ≈ 0 at φ = \(0, -3\)|^custom: not invertible: det J changes sign/,
    ],
    [['p1*p2', 'p2'], /^custom: not invertible: det J (≈ 0|changes sign)/],
    [['p1 + p2', '2*p1 + 2*p2'], /^custom: not invertible: det J ≈ 0/],
    [
      ['exp(p1)*cos(2*p2)', 'exp(p1)*sin(2*p2)'],
      /^custom: not one-to-one on the window: φ = \(.*\) and φ = \(.*\) both give θ/,
    ],
    [['log(p1)', 'p2'], /^custom: θ1 is not defined at φ = \(-3, -3\)/],
    [['p1', 'p1*q'], /^θ2 = p1\*q: unknown name 'q'/],
    [['p1', 'abs(p2)'], /^θ2 = abs\(p2\): abs is not smooth/],
    [['p1'], /^custom\.expr: expected 2 expressions/],
  ])('%j is rejected', (expr, message) => {
    expect(() => createReparam(custom(expr), 2, 0)).toThrow(ReparamError);
    expect(() => createReparam(custom(expr), 2, 0)).toThrow(message);
  });

  it('the checked window is a parameter: log(p1) is fine on p1 ∈ [0.1, 3]', () => {
    const map = createReparam(
      custom(['log(p1)', 'p2'], {
        window: [
          [0.1, 3],
          [-3, 3],
        ],
      }),
      2,
      0,
    );
    expect(map.inverse64([0, 1])[0]).toBeCloseTo(1, 12);
    // Log-polar with angle p2 ∈ [−3, 3] (less than 2π) is one-to-one on the default window.
    expect(createReparam(custom(['exp(p1)*cos(p2)', 'exp(p1)*sin(p2)']), 2, 0).P).toBe(2);
  });

  it('schema errors name the field', () => {
    expect(() => createReparam(custom(['p1', 'p2'], { windw: 1 } as Partial<ReparamEntry>), 2, 0)).toThrow(
      /^custom: unknown key 'windw'$/,
    );
    expect(() => createReparam({ id: 'custom', expr: 'p1' } as ReparamEntry, 2, 0)).toThrow(
      /^custom\.expr: expected an array/,
    );
  });

  it('θ outside the image: inverse64 throws a ReparamError and domainError says why', () => {
    const map = createReparam(custom(['exp(p1)', 'p2']), 2, 0);
    expect(() => map.inverse64([-1, 0])).toThrow(/custom: no φ found with f\(φ\) = \(-1, 0\)/);
    expect(map.domainError([-1, 0])).toMatch(/Newton did not converge/);
    expect(map.domainError([2, 0])).toBeNull();
  });

  it('P ≠ 2: det J is checked at seeded points', () => {
    expect(() => customMap(3, 0, { expr: ['p1', 'p2*p3', 'p3'] })).toThrow(/not invertible/);
    expect(customMap(3, 0, { expr: ['p1', 'p2 + p3^3', 'p3'] }).P).toBe(3);
  });

  it('checkInvertible accepts library diffeomorphisms on the default window', () => {
    for (const entry of [{ id: 'cubic' }, { id: 'swirl', strength: 3 }, { id: 'sinh' }] as ReparamEntry[]) {
      expect(
        checkInvertible(
          createReparam(entry, 2, 0),
          [
            [-3, 3],
            [-3, 3],
          ],
          21,
        ),
      ).toBeNull();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { SingularValueDecomposition } from 'ml-matrix';
import { tf } from '../tf';
import type { DenseLayer } from '../problems/problem';
import { createReparam, type ReparamEntry } from './index';
import { jacobianError, nestedGradError, roundTripError, samplePoints, tensorForwardError } from './testkit';
import { defaultLinearMatrix } from './param-schemas';

/** A 2-3-2-1 ReLU network layout: P = 9 + 8 + 3 = 20. */
const layers: DenseLayer[] = [
  { inputs: 2, outputs: 3, activation: 'relu' },
  { inputs: 3, outputs: 2, activation: 'relu' },
  { inputs: 2, outputs: 1, activation: 'linear' },
];

const cases: [string, ReparamEntry, number][] = [
  ['identity', { id: 'identity' }, 3],
  ['scale', { id: 'scale', factors: [10, 0.1, 3] }, 3],
  ['scale (default factors)', { id: 'scale' }, 2],
  ['rotation on (0, 2)', { id: 'rotation', angle: 0.7, coords: [0, 2] }, 3],
  ['shear', { id: 'shear', k: 2 }, 2],
  ['signed-permutation', { id: 'signed-permutation', perm: [2, 0, 1], signs: [1, -1, 1] }, 3],
  [
    'linear',
    {
      id: 'linear',
      matrix: [
        [2, 1],
        [0.5, -3],
      ],
    },
    2,
  ],
  ['random-mixing', { id: 'random-mixing', cond: 100 }, 4],
  ['cubic', { id: 'cubic', a: 0.3 }, 2],
  ['cubic on coordinate 1', { id: 'cubic', a: 1, coords: [1] }, 3],
  ['sinh', { id: 'sinh' }, 2],
  ['exp on coordinate 1', { id: 'exp', coords: [1] }, 2],
  ['softplus', { id: 'softplus' }, 3],
  ['polar', { id: 'polar' }, 2],
  ['polar on (2, 1)', { id: 'polar', coords: [2, 1] }, 3],
  ['swirl', { id: 'swirl', strength: 2 }, 2],
  ['swirl on (2, 0)', { id: 'swirl', coords: [2, 0] }, 3],
  ['relu-rescale', { id: 'relu-rescale', spread: 4 }, 20],
  ['layer-scale', { id: 'layer-scale', cond: 4 }, 20],
];

describe('library maps on seeded random points', () => {
  it.each(cases)('%s: inverse∘forward = id, J = finite differences, tensor = float64', (_n, entry, P) => {
    const map = createReparam(entry, P, 11, layers);
    const points = samplePoints(5, 12, P);
    expect(roundTripError(map, points)).toBeLessThan(1e-10);
    expect(jacobianError(map, points)).toBeLessThan(1e-6);
    expect(tensorForwardError(map, points)).toBeLessThan(2e-6);
    expect(map.P).toBe(P);
    expect(map.Q).toBe(P);
  });

  it.each(cases)('%s: the tensor forward leaks no tensors', (_n, entry, P) => {
    const map = createReparam(entry, P, 11, layers);
    const x = tf.tensor2d(samplePoints(6, 4, P));
    map.forward(x).dispose();
    const before = tf.memory().numTensors;
    map.forward(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it.each([
    ['swirl', { id: 'swirl', strength: 2 } as ReparamEntry, 2],
    ['polar', { id: 'polar' } as ReparamEntry, 2],
    ['softplus', { id: 'softplus' } as ReparamEntry, 2],
    ['exp', { id: 'exp' } as ReparamEntry, 2],
    ['sinh', { id: 'sinh' } as ReparamEntry, 2],
    ['cubic', { id: 'cubic', a: 0.3 } as ReparamEntry, 2],
  ])(
    '%s: nested tf.grad through forward matches finite differences of the first derivative',
    (_n, entry, P) => {
      const map = createReparam(entry, P, 0);
      for (const phi of samplePoints(9, 3, P, -1.5, 1.5)) {
        expect(nestedGradError(map, phi, [0.8, -1.3], [0.6, 0.9])).toBeLessThan(1e-5);
      }
    },
  );

  it('affine flags: linear maps are affine, nonlinear ones are not', () => {
    const affine = cases.filter(([, e, P]) => createReparam(e, P, 0, layers).affine).map(([n]) => n);
    expect(affine).toEqual([
      'identity',
      'scale',
      'scale (default factors)',
      'rotation on (0, 2)',
      'shear',
      'signed-permutation',
      'linear',
      'random-mixing',
      'relu-rescale',
      'layer-scale',
    ]);
  });
});

describe('map specifics', () => {
  it('random-mixing has condition number cond, and the seed decides the matrix', () => {
    const a = createReparam({ id: 'random-mixing', cond: 50 }, 5, 3);
    const s = new SingularValueDecomposition(a.jacobian64([0, 0, 0, 0, 0])).diagonal;
    expect(Math.max(...s) / Math.min(...s)).toBeCloseTo(50, 8);
    const again = createReparam({ id: 'random-mixing', cond: 50 }, 5, 3).jacobian64([0, 0, 0, 0, 0]);
    const other = createReparam({ id: 'random-mixing', cond: 50 }, 5, 4).jacobian64([0, 0, 0, 0, 0]);
    expect(again).toEqual(a.jacobian64([0, 0, 0, 0, 0]));
    expect(other).not.toEqual(again);
  });

  it('a well-conditioned diagonal with P = 400 is accepted (|det| = 10^400 would overflow)', () => {
    const map = createReparam({ id: 'scale', factors: new Array<number>(400).fill(10) }, 400, 0);
    expect(map.inverse64(new Array<number>(400).fill(20))[399]).toBeCloseTo(2, 12);
  });

  it('swirl preserves the radius and has det J = 1', () => {
    const map = createReparam({ id: 'swirl', strength: 3 }, 2, 0);
    for (const phi of samplePoints(2, 10, 2)) {
      const th = map.forward64(phi);
      expect(Math.hypot(th[0] as number, th[1] as number)).toBeCloseTo(
        Math.hypot(phi[0] as number, phi[1] as number),
        12,
      );
      const [[a, b], [c, d]] = map.jacobian64(phi) as [[number, number], [number, number]];
      expect(a * d - b * c).toBeCloseTo(1, 12);
    }
  });

  it('polar: det J = e^{2ρ} > 0, and a φ-run past a = π still pushes forward continuously', () => {
    const map = createReparam({ id: 'polar' }, 2, 0);
    const [[a, b], [c, d]] = map.jacobian64([0.4, 2]) as [[number, number], [number, number]];
    expect(a * d - b * c).toBeCloseTo(Math.exp(0.8), 12);
    const justBelow = map.forward64([0, Math.PI - 1e-9]);
    const justAbove = map.forward64([0, Math.PI + 1e-9]);
    expect(
      Math.hypot(
        (justBelow[0] as number) - (justAbove[0] as number),
        (justBelow[1] as number) - (justAbove[1] as number),
      ),
    ).toBeLessThan(1e-8);
  });

  it('relu-rescale leaves a ReLU network’s outputs unchanged', () => {
    const P = 20;
    const map = createReparam({ id: 'relu-rescale', spread: 8 }, P, 2, layers);
    const mlp = (theta: readonly number[], x: readonly number[]): number[] => {
      let a = [...x];
      let o = 0;
      for (const l of layers) {
        const z = Array.from({ length: l.outputs }, (_, j) => {
          let s = theta[o + l.inputs * l.outputs + j] as number;
          for (let r = 0; r < l.inputs; r++) s += (a[r] as number) * (theta[o + r * l.outputs + j] as number);
          return l.activation === 'relu' ? Math.max(0, s) : s;
        });
        o += (l.inputs + 1) * l.outputs;
        a = z;
      }
      return a;
    };
    const theta = samplePoints(3, 1, P)[0] as number[];
    const moved = map.forward64(theta);
    expect(Math.max(...moved.map((v, i) => Math.abs(v - (theta[i] as number))))).toBeGreaterThan(0.1);
    for (const x of samplePoints(4, 8, 2)) {
      expect(mlp(moved, x)[0]).toBeCloseTo(mlp(theta, x)[0] as number, 12);
    }
  });

  it('domains: exp and softplus need θ > 0 on their coordinates, polar excludes the origin', () => {
    const ex = createReparam({ id: 'exp', coords: [1] }, 2, 0);
    expect(ex.domainError([-4, 0.5])).toBeNull();
    expect(ex.domainError([1, -0.5])).toMatch(/^exp: θ\[1\] = -0.5 must be > 0/);
    expect(() => ex.inverse64([1, 0])).toThrow(/must be > 0/);
    const sp = createReparam({ id: 'softplus' }, 2, 0);
    expect(sp.domainError([0.1, 0])).toMatch(/θ\[1\] = 0 must be > 0/);
    expect(sp.inverse64(sp.forward64([-30, 30]))[0]).toBeCloseTo(-30, 9);
    const po = createReparam({ id: 'polar' }, 2, 0);
    expect(po.domainError([0, 0])).toMatch(/origin/);
    expect(po.domainError([-1, 0])).toBeNull();
  });
});

describe('bad parameters name the field and the reason', () => {
  it.each([
    [{ id: 'rotation', angle: 'a' }, 2, /^rotation\.angle: expected a number \(got string\)$/],
    [{ id: 'scale', factors: [1, 0] }, 2, /^scale\.factors\[1\]: a factor must be nonzero$/],
    [{ id: 'scale', factors: [1, 2, 3] }, 2, /^scale\.factors: expected 2 numbers/],
    [{ id: 'exp', coords: [5] }, 2, /^exp\.coords\[0\]: 5 is not a coordinate \(0\.\.1\)$/],
    [{ id: 'rotation', coords: [1, 1] }, 3, /^rotation\.coords\[1\]: coordinate 1 is repeated$/],
    [{ id: 'shear', foo: 1 }, 2, /^shear: unknown key 'foo'$/],
    [{ id: 'signed-permutation', perm: [0, 0] }, 2, /^signed-permutation\.perm: not a permutation/],
    [{ id: 'signed-permutation', signs: [1, 2] }, 2, /^signed-permutation\.signs\[1\]: /],
    [
      {
        id: 'linear',
        matrix: [
          [1, 2],
          [2, 4],
        ],
      },
      2,
      /^linear: the matrix is not invertible$/,
    ],
    [{ id: 'linear', matrix: 'x' }, 2, /^linear\.matrix: expected an array/],
    [{ id: 'linear', matrix: [[1, 2]] }, 2, /^linear\.matrix: expected 2×2 numbers$/],
    [{ id: 'random-mixing', cond: 0.5 }, 2, /^random-mixing\.cond: /],
    [{ id: 'cubic', a: -1 }, 2, /^cubic\.a: /],
    [{ id: 'polar' }, 1, /^polar: needs at least 2 parameters/],
    [{ id: 'relu-rescale' }, 4, /^relu-rescale: needs a network problem/],
    [{ id: 'weight-norm' }, 4, /^weight-norm: needs a network problem/],
  ] as [ReparamEntry, number, RegExp][])('%o (P = %i)', (entry, P, message) => {
    expect(() => createReparam(entry, P, 0)).toThrow(message);
    try {
      createReparam(entry, P, 0);
    } catch (err) {
      expect((err as Error).name).toBe('ReparamError');
    }
  });
});

describe('linear without a matrix', () => {
  it('uses the fixed tridiagonal matrix, invertible with κ ≤ 7 for every P', () => {
    for (const P of [2, 3, 10, 40]) {
      const A = defaultLinearMatrix(P);
      const sv = new SingularValueDecomposition(A).diagonal;
      const cond = Math.max(...sv) / Math.min(...sv);
      expect(cond).toBeLessThanOrEqual(7);
      const map = createReparam({ id: 'linear' }, P, 0);
      const phi = Array.from({ length: P }, (_, i) => i / P - 0.3);
      const theta = map.forward64(phi);
      theta.forEach((t, r) =>
        expect(t).toBeCloseTo(A[r]?.reduce((acc, a, c) => acc + a * (phi[c] ?? 0), 0) ?? NaN, 12),
      );
    }
  });
});

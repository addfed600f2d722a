import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import type { DenseLayer } from '../problems/problem';
import { mlpLayers, paramCount } from '../problems/dense';
import { filterIndices, filterNormalizedDirections } from './filter-directions';
import { pcaDirections } from './pca-directions';
import { endpointDirections } from './slice';

const norm = (v: ArrayLike<number>, idx: readonly number[]): number =>
  Math.sqrt(idx.reduce((s, i) => s + (v[i] as number) ** 2, 0));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

/** A centre with nonzero weights and biases in the dense layout. */
function centreFor(layers: readonly DenseLayer[], seed: number): number[] {
  const rng = makeRng(seed);
  return Array.from({ length: paramCount(layers) }, () => rng.normal(0, 0.7));
}

describe('filter-normalized random directions (Li et al. 2018)', () => {
  const layers = mlpLayers(2, [5, 3], 1, 'tanh');
  const P = paramCount(layers);
  const centre = centreFor(layers, 4);

  it('each filter (a unit’s column of W with its bias) has the norm of the centre’s filter', () => {
    const s = filterNormalizedDirections(centre, layers, 7);
    const filters = filterIndices(P, layers, 'filter');
    // One filter per output unit: 5 + 3 + 1, each with inputs + 1 entries.
    expect(filters.map((f) => f.length)).toEqual([3, 3, 3, 3, 3, 6, 6, 6, 4]);
    expect(new Set(filters.flat()).size).toBe(P);
    for (const d of [s.d1, s.d2]) {
      for (const f of filters) expect(norm(d, f)).toBeCloseTo(norm(centre, f), 12);
    }
    expect(Array.from(s.centre)).toEqual(centre);
    // Two different random directions, not a copy of the centre.
    const cos = dot(s.d1, s.d2) / Math.sqrt(dot(s.d1, s.d1) * dot(s.d2, s.d2));
    expect(Math.abs(cos)).toBeLessThan(0.9);
  });

  it("with bias 'zero' the bias entries stay fixed and each W column keeps its norm", () => {
    const s = filterNormalizedDirections(centre, layers, 7, { bias: 'zero' });
    const filters = filterIndices(P, layers, 'zero');
    expect(filters.map((f) => f.length)).toEqual([2, 2, 2, 2, 2, 5, 5, 5, 3]);
    const covered = new Set(filters.flat());
    for (let i = 0; i < P; i++) if (!covered.has(i)) expect(s.d1[i]).toBe(0);
    for (const f of filters) expect(norm(s.d2, f)).toBeCloseTo(norm(centre, f), 12);
  });

  it('is reproducible from the seed and changes with it', () => {
    const a = filterNormalizedDirections(centre, layers, 11);
    const b = filterNormalizedDirections(centre, layers, 11);
    const c = filterNormalizedDirections(centre, layers, 12);
    expect(Array.from(a.d1)).toEqual(Array.from(b.d1));
    expect(Array.from(a.d1)).not.toEqual(Array.from(c.d1));
  });

  it('without layers the whole vector is one filter; a zero centre is refused', () => {
    const c = [3, -4, 0, 12];
    const s = filterNormalizedDirections(c, null, 1);
    expect(norm(s.d1, [0, 1, 2, 3])).toBeCloseTo(13, 12);
    expect(() => filterNormalizedDirections([0, 0, 0], null, 1)).toThrow(/zero/);
    expect(() => filterNormalizedDirections([1, 2], layers, 1)).toThrow(/parameters/);
  });
});

describe('principal directions of trajectories', () => {
  it('points on a known plane through the centre give directions spanning that plane', () => {
    const P = 20;
    const rng = makeRng(3);
    const centre = Array.from({ length: P }, () => rng.normal());
    const u = Array.from({ length: P }, () => rng.normal());
    const v = u.map((x) => 0.5 * x + rng.normal()); // not orthogonal to u
    const runs = [0, 1].map((r) =>
      Array.from({ length: 25 }, (_, k) => {
        const s = (r ? -1 : 1) * 0.1 * k;
        const t = Math.sin(0.3 * k + r);
        return centre.map((c, i) => c + s * (u[i] as number) + t * (v[i] as number));
      }),
    );
    const { slice, explained } = pcaDirections(runs.flat(), centre);
    // Orthonormal…
    expect(dot(slice.d1, slice.d1)).toBeCloseTo(1, 12);
    expect(dot(slice.d2, slice.d2)).toBeCloseTo(1, 12);
    expect(Math.abs(dot(slice.d1, slice.d2))).toBeLessThan(1e-12);
    // …and spanning the plane: u and v have no component outside span{d1, d2}.
    for (const w of [u, v]) {
      const a = dot(w, slice.d1);
      const b = dot(w, slice.d2);
      const rest = w.map((x, i) => x - a * (slice.d1[i] as number) - b * (slice.d2[i] as number));
      expect(Math.sqrt(dot(rest, rest)) / Math.sqrt(dot(w, w))).toBeLessThan(1e-10);
    }
    expect(explained[0]).toBeGreaterThanOrEqual(explained[1]);
    expect(explained[0] + explained[1]).toBeCloseTo(1, 10);
    expect(slice.kind).toBe('pca');
  });

  it('a trajectory on a line (one dimension) is refused, not given an arbitrary second direction', () => {
    const line = Array.from({ length: 5 }, (_, k) => [k, 2 * k, 0]);
    expect(() => pcaDirections(line, [0, 0, 0])).toThrow(/two dimensions/);
  });
});

describe('directions to two end points', () => {
  it('puts the end points at (1, 0) and (0, 1); collinear end points are refused', () => {
    const s = endpointDirections([1, 1, 1], [2, 1, 1], [1, 3, 1]);
    expect(Array.from(s.d1)).toEqual([1, 0, 0]);
    expect(Array.from(s.d2)).toEqual([0, 2, 0]);
    expect(() => endpointDirections([0, 0], [1, 1], [2, 2])).toThrow(/collinear/);
  });
});

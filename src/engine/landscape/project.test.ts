import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { makeProjector, maxRelativeError } from './project';
import type { Slice } from './slice';

function randomSlice(P: number, seed: number): Slice {
  const rng = makeRng(seed);
  const vec = (): Float64Array => Float64Array.from({ length: P }, () => rng.normal());
  const d1 = vec();
  // Deliberately not orthogonal to d1 (and of a different length).
  const d2 = d1.map((x) => 0.8 * x + 3 * rng.normal());
  return { kind: 'random', label: 'test', centre: vec(), d1, d2 };
}

const at = (s: Slice, a: number, b: number): number[] =>
  Array.from(s.centre, (c, i) => c + a * (s.d1[i] as number) + b * (s.d2[i] as number));

describe('projection of trajectories onto a slice', () => {
  it('a trajectory lying in the slice projects exactly, with zero error', () => {
    const s = randomSlice(50, 1);
    const ab = Array.from({ length: 30 }, (_, k) => [Math.cos(k / 5) * k * 0.1, -0.7 + 0.05 * k]);
    const p = makeProjector(s)(ab.map(([a, b]) => at(s, a as number, b as number)));
    ab.forEach(([a, b], k) => {
      expect(p.coords[2 * k]).toBeCloseTo(a as number, 10);
      expect(p.coords[2 * k + 1]).toBeCloseTo(b as number, 10);
      expect(p.distance[k]).toBeLessThan(1e-10);
      expect(p.relative[k]).toBeLessThan(1e-10);
    });
    expect(maxRelativeError(p)).toBeLessThan(1e-10);
  });

  it('a point off the plane keeps its in-plane coordinates and reports its distance', () => {
    const s = randomSlice(6, 2);
    // A unit vector orthogonal to d1 and d2 (Gram–Schmidt against both).
    const rng = makeRng(9);
    let w = Array.from({ length: 6 }, () => rng.normal());
    const q1 = Array.from(s.d1);
    const n1 = Math.hypot(...q1);
    const e1 = q1.map((x) => x / n1);
    let q2 = Array.from(s.d2);
    const c12 = q2.reduce((t, x, i) => t + x * (e1[i] as number), 0);
    q2 = q2.map((x, i) => x - c12 * (e1[i] as number));
    const e2 = q2.map((x) => x / Math.hypot(...q2));
    for (const e of [e1, e2]) {
      const c = w.reduce((t, x, i) => t + x * (e[i] as number), 0);
      w = w.map((x, i) => x - c * (e[i] as number));
    }
    const wn = Math.hypot(...w);
    const offset = 0.25;
    const inPlane = at(s, 0.3, -0.2);
    const point = inPlane.map((x, i) => x + (offset * (w[i] as number)) / wn);
    const p = makeProjector(s)([point, [...s.centre]]);
    expect(p.coords[0]).toBeCloseTo(0.3, 10);
    expect(p.coords[1]).toBeCloseTo(-0.2, 10);
    expect(p.distance[0]).toBeCloseTo(offset, 10);
    const dist = Math.hypot(...point.map((x, i) => x - (s.centre[i] as number)));
    expect(p.relative[0]).toBeCloseTo(offset / dist, 10);
    // The centre itself: coordinates (0, 0), no error.
    expect([p.coords[2], p.coords[3], p.relative[1]]).toEqual([0, 0, 0]);
  });

  it('refuses degenerate directions and points of the wrong length', () => {
    const s: Slice = {
      kind: 'endpoints',
      label: 'bad',
      centre: new Float64Array(3),
      d1: Float64Array.from([1, 2, 3]),
      d2: Float64Array.from([2, 4, 6]),
    };
    expect(() => makeProjector(s)).toThrow(/independent/);
    expect(() => makeProjector(randomSlice(4, 3))([[1, 2]])).toThrow(/4/);
  });
});

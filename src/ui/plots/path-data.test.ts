import { describe, expect, it } from 'vitest';
import { traj } from '../../engine/page';
import { columnPath, emptyPath, EXACT_POINTS, growPath } from './path-data';

const vertices = (d: string): string[] => d.match(/[ML][^ML]*/g) ?? [];

describe('columnPath', () => {
  it('keeps one vertex per point while there are at most two per pixel column', () => {
    const d = columnPath(
      50,
      (i) => 10 * i,
      (i) => i * i,
    );
    expect(vertices(d)).toHaveLength(50);
    expect(d.startsWith('M0,0L10,1')).toBe(true);
  });

  it('thins a long series to first, lowest, highest and last of each column, in order', () => {
    // 1000 points over 10 pixels: a saw tooth in each column.
    const d = columnPath(
      1000,
      (i) => i / 100,
      (i) => (i % 7) - 3,
    );
    const vs = vertices(d);
    expect(vs.length).toBeLessThanOrEqual(4 * 11);
    expect(vs.length).toBeGreaterThanOrEqual(2 * 10);
    const ys = vs.map((v) => Number(v.split(',')[1]));
    expect(Math.min(...ys)).toBe(-3);
    expect(Math.max(...ys)).toBe(3);
    // x never goes backwards: the thinned vertices keep the series' order.
    const xs = vs.map((v) => Number(v.slice(1).split(',')[0]));
    expect(xs.every((x, k) => k === 0 || x >= (xs[k - 1] as number))).toBe(true);
  });

  it('lifts the pen at undefined and non-finite points', () => {
    const v = [1, 2, NaN, 4, 5];
    const d = columnPath(
      v.length,
      (i) => 10 * i,
      (i) => v[i] as number,
    );
    expect(vertices(d).map((s) => s[0])).toEqual(['M', 'L', 'M', 'L']);
    const e = columnPath(
      4,
      (i) => 10 * i,
      (i) => i,
      (i) => i !== 0,
    );
    expect(vertices(e).map((s) => s[0])).toEqual(['M', 'L', 'L']);
  });
});

describe('growPath', () => {
  const id = (v: number): number => v;

  it('appends only new points and equals a rebuild from scratch', () => {
    const pts = traj.emptyTrajectory(2);
    const path = emptyPath();
    const key = {};
    let d = '';
    for (let i = 0; i < 30; i++) {
      traj.appendPoint(pts, [i, 2 * i]);
      d = growPath(path, pts, key, id, id);
    }
    expect(d).toBe(growPath(emptyPath(), pts, key, id, id));
    expect(vertices(d)).toHaveLength(30);
  });

  it('rebuilds when the scales change or the points are replaced', () => {
    const pts = traj.fromRows([
      [0, 0],
      [1, 1],
    ]);
    const path = emptyPath();
    growPath(path, pts, 'a', id, id);
    expect(growPath(path, pts, 'b', (v) => 2 * v, id)).toBe('M0,0L2,1');
    const replaced = traj.fromRows([
      [5, 5],
      [6, 6],
    ]);
    expect(growPath(path, replaced, 'b', id, id)).toBe('M5,5L6,6');
    expect(growPath(path, traj.prefix(replaced, 1), 'b', id, id)).toBe('M5,5');
  });

  it('thins long trajectories but always ends at the newest point', () => {
    const pts = traj.fromRows(Array.from({ length: EXACT_POINTS + 500 }, (_, i) => [i * 1e-3, 0]));
    const d = growPath(emptyPath(), pts, 'k', id, id);
    expect(vertices(d).length).toBeLessThan(10);
    expect(d.endsWith(`L${Math.round((EXACT_POINTS + 499) * 1e-3 * 10) / 10},0`)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  appendFlat,
  appendPoint,
  copyTrajectory,
  emptyTrajectory,
  finiteAt,
  fromRows,
  lastRow,
  point,
  prefix,
  row,
  toRows,
  truncate,
  values,
  withRows,
} from './trajectory';

describe('Trajectory', () => {
  it('appends across growth: the capacity at least doubles and every point survives', () => {
    const t = emptyTrajectory(3);
    const want: number[][] = [];
    let grows = 0;
    let buffer = t.data;
    for (let k = 0; k < 1000; k++) {
      const p = [k, -k, k * 0.5];
      want.push(p);
      if (k % 2 === 0) appendPoint(t, p);
      else appendFlat(t, Float64Array.from(p));
      if (t.data !== buffer) {
        grows++;
        // Amortized doubling: after a grow there is room for at least twice the points.
        expect(t.data.length / t.dim).toBeGreaterThanOrEqual(Math.min(2 * (buffer.length / 3), 8));
        buffer = t.data;
      }
      expect(t.data.length).toBeGreaterThanOrEqual(t.length * t.dim);
    }
    expect(t.length).toBe(1000);
    expect(grows).toBeLessThanOrEqual(Math.ceil(Math.log2(1000 / 8)) + 1);
    expect(toRows(t)).toEqual(want);
  });

  it('appends several points flat at once, from a Float32Array or a plain array', () => {
    const t = emptyTrajectory(2);
    appendFlat(t, new Float32Array([1, 2, 3, 4]));
    appendFlat(t, [5, 6, 7, 8, 9, 10]);
    expect(t.length).toBe(5);
    expect(Array.from(values(t))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(() => appendFlat(t, [1, 2, 3])).toThrow(/whole points/);
    expect(() => appendPoint(t, [1])).toThrow(/expected 2/);
  });

  it('reads points through views, not copies', () => {
    const t = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const r = row(t, 1)!;
    expect(Array.from(r)).toEqual([3, 4]);
    expect(r.buffer).toBe(t.data.buffer);
    expect(point(t, 0, 1)).toBe(2);
    expect(point(t, 2, 0)).toBeUndefined();
    expect(point(t, 0, 2)).toBeUndefined();
    expect(row(t, -1)).toBeUndefined();
    expect(row(t, 2)).toBeUndefined();
    expect(Array.from(lastRow(t)!)).toEqual([3, 4]);
    const p = prefix(t, 1);
    expect(p.data).toBe(t.data);
    expect(toRows(p)).toEqual([[1, 2]]);
    expect(prefix(t, 9).length).toBe(2);
  });

  it('round-trips rows, including NaN and ±Infinity', () => {
    const rows = [
      [0.1, -2, 3e-300],
      [NaN, Infinity, -Infinity],
    ];
    const t = fromRows(rows);
    expect(t.dim).toBe(3);
    expect(toRows(t)).toEqual(rows);
    expect(toRows(t, 1)).toEqual(rows.slice(1));
    expect(toRows(t, 0, 1)).toEqual(rows.slice(0, 1));
    expect(toRows(t, 1, 9)).toEqual(rows.slice(1));
    expect(finiteAt(t, 0)).toBe(true);
    expect(finiteAt(t, 1)).toBe(false);
    expect(() => fromRows([[1, 2], [3]])).toThrow(/point 1 has 1/);
  });

  it('truncates into a new buffer, so a reader of the old points never sees them rewritten', () => {
    const t = fromRows([[1], [2], [3]]);
    const old = t.data;
    truncate(t, 5);
    expect(t.data).toBe(old);
    truncate(t, 1);
    expect(t.data).not.toBe(old);
    appendPoint(t, [9]);
    expect(toRows(t)).toEqual([[1], [9]]);
    expect(Array.from(old)).toEqual([1, 2, 3]);
    const c = copyTrajectory(t);
    appendPoint(c, [7]);
    expect(t.length).toBe(2);
  });

  it('handles the empty trajectory and dims 0 and 1', () => {
    const e = fromRows([]);
    expect(e).toMatchObject({ dim: 0, length: 0 });
    expect(toRows(e)).toEqual([]);
    expect(lastRow(e)).toBeUndefined();
    expect(toRows(emptyTrajectory(4))).toEqual([]);
    const zero = emptyTrajectory(0);
    appendFlat(zero, [], 3);
    appendPoint(zero, []);
    expect(zero.length).toBe(4);
    expect(toRows(zero)).toEqual([[], [], [], []]);
    expect(Array.from(row(zero, 3)!)).toEqual([]);
    const one = emptyTrajectory(1);
    for (let k = 0; k < 20; k++) appendPoint(one, [k * k]);
    expect(toRows(one).map((p) => p[0])).toEqual(Array.from({ length: 20 }, (_, k) => k * k));
    expect(() => emptyTrajectory(-1)).toThrow(/dim/);
    expect(() => emptyTrajectory(1.5)).toThrow(/dim/);
  });

  it('writes a record with rows in its own key order, without φ when it has none', () => {
    const theta = fromRows([[1, 2]]);
    const a = withRows({ id: 'a', theta, phi: fromRows([[3]]), loss: [0] });
    expect(a).toEqual({ id: 'a', theta: [[1, 2]], phi: [[3]], loss: [0] });
    expect(Object.keys(a)).toEqual(['id', 'theta', 'phi', 'loss']);
    const b = withRows({ id: 'b', theta, loss: [0] });
    expect(Object.keys(b)).toEqual(['id', 'theta', 'loss']);
    expect(Object.keys(withRows({ theta, phi: null }))).toEqual(['theta']);
  });
});

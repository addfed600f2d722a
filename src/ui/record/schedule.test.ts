import { describe, expect, it } from 'vitest';
import {
  FPS,
  defaultFrames,
  describePlan,
  framesFor,
  gifDelays,
  planFrames,
  type FramePlan,
} from './schedule';
import { keptUpTo, segmentsUpTo, thinPath } from './thin-path';

const plan = (stored: number, from: number, to: number, frames: number): FramePlan => {
  const p = planFrames(stored, from, to, frames);
  if (typeof p === 'string') throw new Error(p);
  return p;
};

describe('planFrames', () => {
  it('subsamples a 100,000-step run to the chosen length, first and last step kept, evenly spaced', () => {
    const p = plan(100_000, 0, 100_000, 300);
    expect(p.steps).toHaveLength(300);
    expect(p.steps[0]).toBe(0);
    expect(p.steps.at(-1)).toBe(100_000);
    expect(p.subsampled).toBe(true);
    const gaps = p.steps.slice(1).map((s, i) => s - (p.steps[i] as number));
    // Every gap is the mean gap rounded one way or the other.
    const mean = 100_000 / 299;
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(mean));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(mean));
    expect(describePlan(p)).toMatch(
      /^steps 0–100,000 \(100,001 steps\) are subsampled to 300 frames \(10\.0 s at 30 fps\): one frame every ~334 steps\.$/,
    );
  });

  it('shows every step once when the range has as many steps as frames', () => {
    const p = plan(200, 0, 200, 201);
    expect(p.steps).toEqual(Array.from({ length: 201 }, (_, i) => i));
    expect(p.subsampled).toBe(false);
    expect(describePlan(p)).toMatch(/one frame per step/);
  });

  it('holds each step of a short range for several frames, in order', () => {
    const p = plan(40, 10, 20, 60);
    expect(p.steps).toHaveLength(60);
    expect(p.steps[0]).toBe(10);
    expect(p.steps.at(-1)).toBe(20);
    for (let i = 1; i < 60; i++) expect(p.steps[i]).toBeGreaterThanOrEqual(p.steps[i - 1] as number);
    // Every step of the range appears, each for 5–7 frames (60 frames over 11 steps).
    const counts = new Map<number, number>();
    for (const s of p.steps) counts.set(s, (counts.get(s) ?? 0) + 1);
    expect([...counts.keys()]).toEqual(Array.from({ length: 11 }, (_, i) => 10 + i));
    for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(3);
    expect(describePlan(p)).toMatch(/held/);
  });

  it('is the same plan every time', () => {
    expect(plan(12_345, 17, 9_999, 211)).toEqual(plan(12_345, 17, 9_999, 211));
  });

  it('explains a range or length it cannot use', () => {
    expect(planFrames(0, 0, 0, 10)).toMatch(/Nothing to record/);
    expect(planFrames(50, 0, 51, 10)).toMatch(/between 0 and 50/);
    expect(planFrames(50, -1, 20, 10)).toMatch(/between 0 and 50/);
    expect(planFrames(50, 20, 20, 10)).toMatch(/before the last/);
    expect(planFrames(50, 1.5, 20, 10)).toMatch(/whole numbers/);
    expect(planFrames(50, 0, 50, 1)).toMatch(/at least 2 frames/);
    expect(planFrames(50, 0, 50, 121 * FPS)).toMatch(/at most 120 s/);
  });

  it('picks one frame per step between 2 and 10 seconds by default', () => {
    expect(defaultFrames(200)).toBe(201);
    expect(defaultFrames(20)).toBe(2 * FPS);
    expect(defaultFrames(100_000)).toBe(10 * FPS);
    expect(framesFor(1)).toBe(30);
    expect(framesFor(0.01)).toBe(2);
  });
});

describe('gifDelays', () => {
  it('puts frame i at round(i·100/30) hundredths: 3 or 4 each, exact in total', () => {
    for (const n of [1, 2, 3, 10, 300, 301]) {
      const d = gifDelays(n);
      expect(d).toHaveLength(n);
      expect(d.every((v) => v === 3 || v === 4)).toBe(true);
      expect(d.reduce((a, b) => a + b, 0)).toBe(Math.round((n * 100) / 30));
    }
  });
});

describe('thinPath', () => {
  it('keeps a 100,000-point path to what a frame shows and ends each frame at its step', () => {
    const n = 100_001;
    // A spiral into the origin, 400 px across.
    const px = (i: number): number => 200 + 200 * Math.exp(-i / 20_000) * Math.cos(i / 500);
    const py = (i: number): number => 200 + 200 * Math.exp(-i / 20_000) * Math.sin(i / 500);
    const path = thinPath(n, px, py, 0.75);
    // At most one kept point per 0.75 px of arc length (about 8,000 px here), far fewer than the points.
    let arc = 0;
    for (let i = 1; i < n; i++) arc += Math.hypot(px(i) - px(i - 1), py(i) - py(i - 1));
    expect(path.kept.length).toBeLessThanOrEqual(arc / 0.75 + 1);
    expect(path.kept.length).toBeLessThan(n / 8);
    // Consecutive kept points are at least 0.75 px apart.
    for (let j = 1; j < path.kept.length; j++) {
      const a = path.kept[j - 1] as number;
      const b = path.kept[j] as number;
      expect(Math.hypot(px(b) - px(a), py(b) - py(a))).toBeGreaterThanOrEqual(0.75);
    }
    expect(path.kept[0]).toBe(0);
    for (const k of [0, 1, 999, 50_000, 100_000]) {
      const segs = segmentsUpTo(path, k);
      expect(segs).toHaveLength(1);
      const s = segs[0] as number[];
      expect(s.at(-2)).toBeCloseTo(px(k), 9);
      expect(s.at(-1)).toBeCloseTo(py(k), 9);
      // The vertices drawn are the kept points up to k, then point k.
      const kept = keptUpTo(path, k);
      expect(s.length / 2).toBe(path.kept[kept - 1] === k ? kept : kept + 1);
    }
    // Every drawn vertex is a point of the path, in step order.
    const all = segmentsUpTo(path, n - 1)[0] as number[];
    expect(all.length / 2).toBeGreaterThanOrEqual(path.kept.length);
  });

  it('lifts the pen over non-finite points (a switch run before its switch step)', () => {
    const pts = [
      [NaN, NaN],
      [NaN, NaN],
      [0, 0],
      [10, 0],
      [10, 10],
      [NaN, 1],
      [20, 20],
      [30, 20],
    ];
    const path = thinPath(
      pts.length,
      (i) => pts[i]?.[0] ?? NaN,
      (i) => pts[i]?.[1] ?? NaN,
    );
    expect(segmentsUpTo(path, 1)).toEqual([]);
    expect(segmentsUpTo(path, 3)).toEqual([[0, 0, 10, 0]]);
    expect(segmentsUpTo(path, 7)).toEqual([
      [0, 0, 10, 0, 10, 10],
      [20, 20, 30, 20],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { traj, type Trajectory } from '../../engine/page';
import { sliceSummary } from './slice-summary';

/** A run of `n` points in 5 dimensions with off-plane shares; arrays grow in place as the store's do. */
function run(id: string, n: number) {
  const r = {
    id,
    optimizer: 0,
    space: 'theta',
    theta: traj.emptyTrajectory(5),
    slice: traj.emptyTrajectory(2),
    sliceError: [] as number[],
  };
  grow(r, n);
  return r;
}
function grow(
  r: ReturnType<typeof run> | { theta: Trajectory; slice: Trajectory; sliceError: number[] },
  n: number,
) {
  for (let i = 0; i < n; i++) {
    const k = r.theta.length;
    traj.appendPoint(r.theta, [k, 0.5 * k, Math.sin(k), 0, 1]);
    traj.appendPoint(r.slice, [0.1 * k, 0.05 * k]);
    r.sliceError.push(k === 3 ? Number.NaN : (k % 7) / 10);
  }
}
const input = (runs: ReturnType<typeof run>[]) => ({
  experiment: null,
  slice: { kind: 'pca', explained: 0.8 },
  windows: {
    theta: [
      [-1, 1],
      [-1, 1],
    ] as [[number, number], [number, number]],
  },
  runs,
});
const fresh = (r: ReturnType<typeof run>) => ({
  ...r,
  theta: traj.copyTrajectory(r.theta),
  slice: traj.copyTrajectory(r.slice),
  sliceError: [...r.sliceError],
});

describe('sliceSummary', () => {
  it('sums appended points incrementally to the same result as from scratch', () => {
    const a = run('a', 12);
    const b = run('b', 5);
    sliceSummary(input([a, b]));
    grow(a, 9);
    grow(b, 30);
    const incremental = sliceSummary(input([a, b]));
    const scratch = sliceSummary(input([fresh(a), fresh(b)]));
    expect(incremental).toEqual(scratch);
    expect(incremental?.off).toBeGreaterThan(0);
  });

  it('starts over when the points it summed were replaced (a truncated and refilled array)', () => {
    const a = run('a', 20);
    const before = sliceSummary(input([a]));
    a.sliceError.length = 10;
    traj.truncate(a.theta, 10);
    traj.truncate(a.slice, 10);
    for (let k = 10; k < 20; k++) {
      traj.appendPoint(a.theta, [k, 0.5 * k, Math.sin(k), 0, 1]);
      traj.appendPoint(a.slice, [0.1 * k, 0.05 * k]);
      a.sliceError.push(0.9);
    }
    const after = sliceSummary(input([a]));
    expect(after).toEqual(sliceSummary(input([fresh(a)])));
    expect(after?.off).not.toBeCloseTo(before?.off ?? 0, 6);
  });
});

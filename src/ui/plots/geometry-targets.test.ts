import { describe, expect, it } from 'vitest';
import { createLabStore, type LabState } from '../../state/store';
import { parseExperiment } from '../../engine/schema';
import { traj, type Trajectory } from '../../engine/page';
import { fisherLevel } from './geometry-overlay';
import { overlayTargets } from './geometry-targets';

function state(cursor: number | null): LabState {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'gaussian-fit' },
    reparam: { id: 'exp', coords: [1] },
    optimizers: [{ id: 'gd', lr: 0.1 }],
    steps: 12,
    switchAt: { step: 4 },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const s = createLabStore().getState();
  const line = (n: number): Trajectory => traj.fromRows(Array.from({ length: n }, (_, i) => [i, 1 + i]));
  return {
    ...s,
    experiment: parsed.experiment,
    cursor,
    windows: {
      theta: [
        [-1, 1],
        [0.5, 2],
      ],
      phi: [
        [-1, 1],
        [-1, 1],
      ],
    },
    runs: [
      {
        id: 'gd-0-theta',
        optimizer: 0,
        space: 'theta',
        theta: line(8),
        phi: null,
        loss: [],
        status: 'ok',
        divergedAt: null,
        slice: traj.emptyTrajectory(2),
        sliceError: [],
      },
      {
        id: 'gd-0-phi',
        optimizer: 0,
        space: 'phi',
        theta: line(8),
        phi: line(8),
        loss: [],
        status: 'ok',
        divergedAt: null,
        slice: traj.emptyTrajectory(2),
        sliceError: [],
      },
      {
        id: 'gd-0-switch',
        optimizer: 0,
        space: 'switch',
        theta: line(8),
        phi: line(8),
        loss: [],
        status: 'ok',
        divergedAt: null,
        slice: traj.emptyTrajectory(2),
        sliceError: [],
      },
    ],
  };
}

describe('overlay targets', () => {
  it('θ-runs in θ, φ-runs in φ, no switch runs; the latest step and the step before it', () => {
    const t = overlayTargets(state(null));
    expect(t.map((x) => [x.runId, x.space])).toEqual([
      ['gd-0-theta', 'theta'],
      ['gd-0-phi', 'phi'],
    ]);
    // 12 steps, 6 path points: every 2nd step before the current one.
    expect(t[0]?.k).toBe(7);
    expect(t[0]?.path).toEqual([0, 2, 4, 6]);
    expect(t[0]?.implied).toBe(6);
  });

  it('at the timeline cursor: that step, and its step to the next point', () => {
    const t = overlayTargets(state(3));
    expect(t[0]?.k).toBe(3);
    expect(t[0]?.path).toEqual([0, 2]);
    expect(t[0]?.implied).toBe(3);
  });

  it('no φ plot, no φ targets; on a network slice every θ- and φ-run by its full θ points', () => {
    const s = state(null);
    expect(
      overlayTargets({ ...s, windows: { theta: s.windows!.theta, phi: null } }).map((x) => x.space),
    ).toEqual(['theta']);
    const sliced = overlayTargets({ ...s, slice: { kind: 'random', label: 'random' } });
    expect(sliced.map((x) => [x.runId, x.space])).toEqual([
      ['gd-0-theta', 'theta'],
      ['gd-0-phi', 'theta'],
    ]);
    expect(sliced[1]?.points).toBe(s.runs[1]?.theta);
    // Fewer points along the paths (SLICE_PATH_POINTS over 12 steps: every 3rd).
    expect(sliced[0]?.path).toEqual([0, 3, 6]);
  });
});

describe('the Fisher ellipses’ level', () => {
  it('makes the largest grid ellipse fill 42% of its cell', () => {
    const at = (x: number, y: number, s: number) => ({
      space: 'theta' as const,
      at: [x, y],
      fisher: [
        [1 / s ** 2, 0],
        [0, 4 / s ** 2],
      ],
      gradient: null,
      natural: null,
    });
    const grid = {
      window: [
        [0, 4],
        [0, 2],
      ] as [[number, number], [number, number]],
      n: 2,
      theta: [at(1, 0.5, 1), at(3, 1.5, 2)],
      phi: [],
    };
    const c = fisherLevel(grid)!;
    // Largest: s = 2, half-extents 2 along x (cell 2) and 1 along y (cell 1) at c = 1: both fill the cell.
    expect(Math.sqrt(c)).toBeCloseTo(0.42, 12);
    expect(fisherLevel(null)).toBeNull();
  });
});

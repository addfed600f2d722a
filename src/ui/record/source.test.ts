import { describe, expect, it } from 'vitest';
import { traj } from '../../engine/page';
import { createLabStore, type LabState, type RunView } from '../../state/store';
import { recordSource } from './source';

const run = (
  id: string,
  optimizer: number,
  space: RunView['space'],
  n: number,
  extra: Partial<RunView> = {},
): RunView => ({
  id,
  optimizer,
  space,
  theta: traj.fromRows(
    Array.from({ length: n }, (_, k) => [k, -k]),
    2,
  ),
  phi:
    space === 'theta'
      ? null
      : traj.fromRows(
          Array.from({ length: n }, (_, k) => (space === 'switch' && k < 3 ? [NaN, NaN] : [k, 2 * k])),
          2,
        ),
  loss: Array.from({ length: n }, () => 1),
  status: 'ok',
  divergedAt: null,
  slice: traj.emptyTrajectory(2),
  sliceError: [],
  ...extra,
});

function state(runs: RunView[]): LabState {
  const s = createLabStore().getState();
  return {
    ...s,
    runs,
    paramNames: ['μ', 'σ'],
    windows: {
      theta: [
        [-1, 1],
        [-1, 1],
      ],
      phi: [
        [-2, 2],
        [-2, 2],
      ],
    },
    experiment: {
      version: 1,
      problem: { id: 'gaussian-fit' },
      reparam: { id: 'exp', coords: [1] },
      optimizers: [
        { id: 'gd', lr: 0.1 },
        { id: 'ngd', lr: 0.1 },
      ],
      steps: 200,
    } as unknown as LabState['experiment'],
  };
}

describe('recordSource', () => {
  it('draws θ-runs solid, φ-runs dashed and switch runs dotted in θ; only φ and switch runs in φ', () => {
    const src = recordSource(
      state([
        run('gd-0-theta', 0, 'theta', 6),
        run('gd-0-phi', 0, 'phi', 6),
        run('ngd-1-switch', 1, 'switch', 6, { switchAt: 3 }),
      ]),
      'T',
      'C',
    );
    if (!src) throw new Error('no source');
    const [theta, phi] = src.panels;
    expect(theta?.runs.map((r) => [r.id, r.style])).toEqual([
      ['gd-0-theta', 'solid'],
      ['gd-0-phi', 'dashed'],
      ['ngd-1-switch', 'dotted'],
    ]);
    expect(phi?.runs.map((r) => [r.id, r.style])).toEqual([
      ['gd-0-phi', 'solid'],
      ['ngd-1-switch', 'dotted'],
    ]);
    expect(phi?.axisNames).toEqual(['μ', 'log σ']);
    expect(theta?.runs[2]?.switchAt).toBe(3);
    expect(theta?.runs[0]?.optimizerLabel).toBe('gd #0');
    expect(src.lastStep).toBe(5);
    expect(src.totalSteps).toBe(200);
    expect(src.missingLandscapes).toEqual(['theta', 'phi']);
  });

  it('copies the steps stored so far: a run that keeps playing does not change it', () => {
    const r = run('gd-0-theta', 0, 'theta', 4);
    const s = state([r]);
    const src = recordSource(s, 'T', 'C');
    traj.appendPoint(r.theta, [99, 99]);
    r.theta.data[0] = 42;
    expect(traj.toRows(src!.panels[0]!.runs[0]!.points)).toEqual([
      [0, -0],
      [1, -1],
      [2, -2],
      [3, -3],
    ]);
    expect(src?.lastStep).toBe(3);
  });

  it('has nothing to record before an experiment is loaded', () => {
    expect(recordSource(createLabStore().getState(), 'T', 'C')).toBeNull();
  });
});

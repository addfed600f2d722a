/**
 * What a recording draws, copied out of the page's state once when it starts: the caption,
 * the θ and φ landscapes (grid, window, axis names) and every run's points up to the last
 * step stored then. The page's run arrays keep growing while a run plays; the copy does
 * not, so every frame of a recording comes from the same data.
 */
import { traj, type LossGrid, type Trajectory, type Window } from '../../engine/page';
import type { LabState } from '../../state/store';
import { optimizerColor } from '../plots/colors';
import { optimizerLabel } from '../panels/optimizer-label';
import { phiAxisNames } from '../plots/phi-names';

export type LineStyle = 'solid' | 'dashed' | 'dotted';

export interface RecordRun {
  id: string;
  optimizer: number;
  optimizerLabel: string;
  color: string;
  style: LineStyle;
  /** Points in the panel's coordinates (a copy), index = step; NaN points are not drawn. */
  points: Trajectory;
  /** The step the run diverged at, or null. */
  divergedAt: number | null;
  /** Switch runs: the step of the change θ → φ. */
  switchAt?: number;
}

export interface RecordPanel {
  space: 'theta' | 'phi';
  title: string;
  grid: LossGrid | null;
  window: Window;
  axisNames: [string, string];
  runs: RecordRun[];
  /** The common start point in this panel's coordinates. */
  start: number[] | null;
}

export interface RecordSource {
  title: string;
  caption: string;
  panels: RecordPanel[];
  /** The last step stored for any run (steps 0…lastStep exist). */
  lastStep: number;
  /** The experiment's total steps (what a finished run would have). */
  totalSteps: number;
  /** Landscapes still being computed when the recording started (drawn blank). */
  missingLandscapes: ('theta' | 'phi')[];
}

/** A snapshot of the page's runs and landscapes for recording, with this title and caption. */
export function recordSource(s: LabState, title: string, caption: string): RecordSource | null {
  if (!s.windows || s.runs.length === 0) return null;
  const lengths = s.runs.map((r) => r.theta.length);
  const stored = Math.max(0, ...lengths);
  const sliced = s.slice !== null;
  const panels: RecordPanel[] = [];
  for (const space of ['theta', 'phi'] as const) {
    const window = s.windows[space];
    if (!window) continue;
    const names =
      space === 'theta'
        ? sliced
          ? ['a (along d₁)', 'b (along d₂)']
          : s.paramNames
        : phiAxisNames(s.experiment, s.paramNames);
    const runs: RecordRun[] = [];
    for (const r of s.runs) {
      const n = r.theta.length;
      let rows: Trajectory;
      let style: LineStyle;
      if (space === 'theta') {
        rows = sliced ? r.slice : r.theta;
        style = r.space === 'switch' ? 'dotted' : r.space === 'phi' ? 'dashed' : 'solid';
      } else {
        // The φ plot: φ-runs solid, switch runs dotted from their switch step on (NaN before).
        if (r.space === 'theta' || !r.phi) continue;
        rows = r.phi;
        style = r.space === 'switch' ? 'dotted' : 'solid';
      }
      runs.push({
        id: r.id,
        optimizer: r.optimizer,
        optimizerLabel: optimizerLabel(s.experiment, r.optimizer),
        color: optimizerColor(s.experiment, r.optimizer),
        style,
        points: traj.copyTrajectory(rows, n),
        divergedAt: r.divergedAt,
        ...(r.space === 'switch' && r.switchAt !== undefined ? { switchAt: r.switchAt } : {}),
      });
    }
    const first = s.runs.find((r) => (space === 'theta' ? true : r.space === 'phi'));
    const from = first && (space === 'theta' ? first.theta : first.phi);
    const row0 = from ? traj.row(from, 0) : undefined;
    const start = sliced && space === 'theta' ? [0, 0] : row0 ? Array.from(row0) : null;
    panels.push({
      space,
      title: space === 'theta' ? (sliced ? 'θ-space (2-D slice)' : 'θ-space') : 'φ-space',
      grid: s.landscapes[space],
      window,
      axisNames: [names[0] ?? 'x', names[1] ?? 'y'],
      runs,
      start: start ? start.slice() : null,
    });
  }
  return {
    title,
    caption,
    panels,
    lastStep: Math.max(0, stored - 1),
    totalSteps: s.experiment?.steps ?? stored - 1,
    missingLandscapes: panels.filter((p) => p.grid === null).map((p) => p.space),
  };
}

/**
 * A session checkpoint (engine/checkpoint.ts) for the trip to the page and back: its
 * arrays of numbers move into one Float64Array (transferred, not cloned number by number;
 * exact for the float32 parameters and float64 state alike, NaN and ±∞ included) and the
 * rest — a few ids, counters and kinds — stays as a small JSON skeleton. The page keeps it
 * as it is and hands it back to a new worker on a restore; only the worker reads it.
 */
import {
  traj,
  type RunTrajectory,
  type SessionCheckpoint,
  type StepMetrics,
  type Trajectory,
} from '../engine';
import type { PackedCheckpoint, ResumeData } from '../protocol/messages';

/** Where an array of numbers went: `n` numbers from offset `at` of `numbers`. */
interface Slot {
  at: number;
  n: number;
}

const isSlot = (v: unknown): v is Slot =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.keys(v).length === 2 &&
  typeof (v as Slot).at === 'number' &&
  typeof (v as Slot).n === 'number';

/** Pack a checkpoint: number arrays into `numbers`, the rest into `json`. */
export function packCheckpoint(cp: SessionCheckpoint): PackedCheckpoint {
  const numbers: number[] = [];
  const json = JSON.stringify(cp, (_key, value: unknown) => {
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) {
      const slot: Slot = { at: numbers.length, n: value.length };
      for (const v of value as number[]) numbers.push(v);
      return slot;
    }
    return value;
  });
  return { step: cp.step, json, numbers: Float64Array.from(numbers) };
}

/** The checkpoint a `packCheckpoint` made (throws on a malformed one). */
export function unpackCheckpoint(packed: PackedCheckpoint): SessionCheckpoint {
  const { numbers } = packed;
  const cp = JSON.parse(packed.json, (_key, value: unknown) => {
    if (!isSlot(value)) return value;
    if (value.at < 0 || value.at + value.n > numbers.length)
      throw new Error('checkpoint: numbers out of range');
    return Array.from(numbers.subarray(value.at, value.at + value.n));
  }) as SessionCheckpoint;
  if (typeof cp.step !== 'number' || !Array.isArray(cp.groups) || !Array.isArray(cp.runs)) {
    throw new Error('checkpoint: malformed');
  }
  return cp;
}

/** The page's trajectories of a resume request, as the engine's `Session.restore` takes them. */
export function resumeTrajectories(data: ResumeData): RunTrajectory[] {
  const points = (flat: Float64Array, dim: number): Trajectory => {
    const t = traj.emptyTrajectory(dim);
    // Whole points only, as the page packed them.
    traj.appendFlat(t, flat.subarray(0, dim > 0 ? Math.floor(flat.length / dim) * dim : 0));
    return t;
  };
  return data.runs.map((r) => ({
    id: r.id,
    theta: points(r.theta, data.P),
    phi: r.phi ? points(r.phi, data.Q) : null,
    loss: Array.from(r.loss),
  }));
}

/** The page's step metrics of a resume request, as the tracker takes them (NaN κ*: none). */
export function resumeMetrics(data: ResumeData): Record<string, StepMetrics> {
  return Object.fromEntries(
    (data.metrics ?? []).map((m) => [
      m.id,
      { kappa: Array.from(m.kappa, (v) => (Number.isNaN(v) ? null : v)), cond: Array.from(m.cond) },
    ]),
  );
}

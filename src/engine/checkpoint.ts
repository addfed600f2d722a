/**
 * A session's checkpoint (docs/reliability.md: restore after a worker fault without replaying every
 * step): the step, each run's status and each run group's snapshot (batch/checkpoint.ts).
 * Plain data — it survives JSON and structured clone. The recorded trajectories are not in
 * it (the page already has them): `Session.restore(checkpoint, trajectories)` takes them
 * beside it, checks that they belong to it, and the session continues exactly as the one
 * that took the checkpoint.
 */
import { runsKey, type Experiment } from './schema';
import type { RunResult, RunStatus } from './run';
import type { GroupCheckpoint } from './batch/checkpoint';
import { copyTrajectory, row, type Trajectory } from './trajectory';

export type { GroupCheckpoint } from './batch/checkpoint';

export interface SessionCheckpoint {
  /** The experiment's runs as JSON, view settings left out: a checkpoint fits only them. */
  experiment: string;
  /** Steps taken when it was taken. */
  step: number;
  runs: { id: string; status: RunStatus; divergedAt: number | null; note?: string; failure?: string }[];
  /** Per run group, in the session's batch order. */
  groups: GroupCheckpoint[];
}

/** A run's recorded points from step 0 on (at least up to the checkpoint's step), flat. */
export interface RunTrajectory {
  id: string;
  theta: Trajectory;
  phi?: Trajectory | null;
  loss: readonly number[];
}

export { runsKey } from './schema';

const sameRow = (a: ArrayLike<number> | undefined, b: readonly number[]): boolean =>
  a !== undefined && a.length === b.length && b.every((v, i) => v === a[i]);

/**
 * The run records a restored session starts from: each run's trajectory cut to the
 * checkpoint's step (or to its divergence), with the checkpoint's status. Throws when the
 * checkpoint is not of this experiment or the trajectories do not reach it or do not pass
 * through its parameter rows (e.g. they are of another experiment).
 */
export function restoredRecords(
  experiment: Experiment,
  runs: readonly RunResult[],
  cp: SessionCheckpoint,
  trajectories: readonly RunTrajectory[],
): Pick<RunResult, 'theta' | 'phi' | 'loss' | 'status' | 'divergedAt' | 'note' | 'failure'>[] {
  if (cp.experiment !== runsKey(experiment)) throw new Error('checkpoint: of another experiment');
  if (cp.step > experiment.steps) throw new Error('checkpoint: beyond the experiment steps');
  const byId = new Map(trajectories.map((t) => [t.id, t]));
  const statusOf = new Map(cp.runs.map((r) => [r.id, r]));
  // Each live run's parameter row at the checkpoint, to check the trajectory against.
  const rowOf = new Map<string, { row: number[]; inPhi: boolean }>();
  for (const g of cp.groups) {
    g.members.forEach((id, i) => {
      const row = g.snapshot?.params[i];
      if (row) rowOf.set(id, { row, inPhi: g.snapshot?.phase?.switched ?? false });
    });
  }
  return runs.map((run) => {
    const t = byId.get(run.id);
    const s = statusOf.get(run.id);
    if (!t || !s) throw new Error(`checkpoint: no record of run ${run.id}`);
    const diverged = s.status === 'diverged';
    // θ points 0..k (k = the checkpoint's step), or 0..d−1 for a run that diverged at d.
    const n = diverged ? (s.divergedAt ?? 0) : cp.step + 1;
    const phi = run.phi ? t.phi : undefined;
    if (t.theta.length < n || t.loss.length < n || (run.phi && (!phi || phi.length < n))) {
      throw new Error(`checkpoint: the trajectory of ${run.id} does not reach step ${n - 1}`);
    }
    if (!diverged) {
      const at = rowOf.get(run.id);
      if (!at) throw new Error(`checkpoint: run ${run.id} is in no group`);
      const recorded =
        run.space === 'phi'
          ? phi
            ? row(phi, cp.step)
            : undefined
          : at.inPhi
            ? at.row
            : row(t.theta, cp.step);
      if (!sameRow(recorded, at.row)) {
        throw new Error(`checkpoint: the trajectory of ${run.id} does not pass through its parameters`);
      }
    }
    return {
      theta: copyTrajectory(t.theta, n),
      ...(run.phi && phi ? { phi: copyTrajectory(phi, n) } : {}),
      loss: t.loss.slice(0, n),
      status: s.status,
      divergedAt: s.divergedAt,
      ...(s.note !== undefined ? { note: s.note } : {}),
      ...(s.failure !== undefined ? { failure: s.failure } : {}),
    };
  });
}

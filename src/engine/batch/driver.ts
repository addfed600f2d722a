/**
 * Advances a session's run groups together and records them: one optimizer step per
 * group, then one packed read of every live run's θ, loss (and φ) for telemetry and the
 * divergence check, whatever the number of groups. A run whose step produced a
 * non-finite value is marked diverged at that step and leaves its group; the others go on.
 */
import { tf, type Tensor } from '../tf';
import { lossPrimingGradient, lossValues } from '../objective';
import type { RunResult } from '../run';
import { appendPoint } from '../trajectory';
import type { BatchEntry, RunGroup } from './group';

export type { BatchEntry };
import { restoreEntries, snapshotEntries, type GroupCheckpoint } from './checkpoint';

export interface BatchedRuns {
  /** Runs still going. */
  readonly live: number;
  /**
   * Advance every live run by one step: synchronously when every group steps
   * synchronously (first-order optimizers), else a promise (the groups step in turn).
   */
  step(): void | Promise<void>;
  /**
   * Read every live run's state after step k (k = 0: the start; only the loss is appended
   * then) and append it to its record; runs that went non-finite at k > 0 are marked
   * diverged at k and leave their group.
   */
  record(k: number): Promise<void>;
  /** Every group's checkpoint, in batch order (batch/checkpoint.ts). */
  snapshot(): Promise<GroupCheckpoint[]>;
  /** Continue from a checkpoint of a driver over the same batches (nothing stepped yet). */
  restore(groups: readonly GroupCheckpoint[]): void;
  dispose(): void;
}

/** Flattened [θ rows (R·P) | loss (R) | φ rows (R·Q), φ-groups only]; Q = P but for `weight-norm`. */
function readout(group: RunGroup): Tensor[] {
  const p = group.params;
  if (!p) return [];
  const obj = group.objective;
  const theta = obj.theta(p).reshape([-1]);
  // The fast forward where the problem has one (θ-runs of networks): telemetry only reads
  // it — with the next step's gradient from the same pass when the optimizer will ask for
  // it at these very rows.
  const loss = group.primesGradient ? lossPrimingGradient(obj, p) : lossValues(obj, p);
  return obj.reparam ? [theta, loss, p.reshape([-1])] : [theta, loss];
}

function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i] as number)) return false;
  return true;
}

/** Step `groups` in turn; synchronous until the first group that answers with a promise. */
function stepGroups(groups: readonly RunGroup[], from = 0): void | Promise<void> {
  for (let i = from; i < groups.length; i++) {
    const out = (groups[i] as RunGroup).step();
    if (out) return out.then(() => stepGroups(groups, i + 1));
  }
}

/** Drive `entries` (every group non-empty at the start). */
export function batchRuns(batches: readonly BatchEntry[]): BatchedRuns {
  // Own copies: members shrink as runs leave.
  const entries = batches.map((b) => ({ group: b.group, members: [...b.members] }));
  const active = (): BatchEntry[] => entries.filter((e) => e.group.size > 0);

  async function record(k: number): Promise<void> {
    const now = active();
    if (now.length === 0) return;
    const packed = tf.tidy(() => tf.concat(now.flatMap((e) => readout(e.group))));
    const data = await packed.data();
    packed.dispose();
    let o = 0;
    for (const e of now) {
      const R = e.group.size;
      // θ rows have the problem's P numbers, φ rows the map's Q (= objective.P).
      const P = e.group.objective.problem.P;
      const Q = e.group.objective.P;
      const hasPhi = e.group.objective.reparam !== null;
      const survivors: number[] = [];
      const solves = k > 0 ? (e.group.solves?.() ?? []) : [];
      e.members.forEach((run, r) => {
        const theta = data.subarray(o + r * P, o + (r + 1) * P);
        const loss = data[o + R * P + r] as number;
        const phi = hasPhi ? data.subarray(o + R * (P + 1) + r * Q, o + R * (P + 1) + (r + 1) * Q) : null;
        const finite = Number.isFinite(loss) && allFinite(theta) && (!phi || allFinite(phi));
        if (k === 0) {
          run.loss.push(loss);
        } else if (!finite) {
          run.status = 'diverged';
          run.divergedAt = k;
          return;
        } else {
          appendPoint(run.theta, theta);
          if (phi && run.phi) appendPoint(run.phi, phi);
          run.loss.push(loss);
          const cg = solves[r];
          if (cg) run.cg = { iters: cg.iters, residual: cg.residual };
        }
        survivors.push(r);
      });
      o += R * (P + 1 + (hasPhi ? Q : 0));
      if (survivors.length < R) {
        e.members = survivors.map((r) => e.members[r] as RunResult);
        e.group.keep(survivors);
      }
    }
  }

  return {
    get live() {
      return entries.reduce((s, e) => s + e.group.size, 0);
    },
    step: () => stepGroups(active().map((e) => e.group)),
    record,
    snapshot: () => snapshotEntries(entries),
    restore: (groups) => restoreEntries(entries, groups),
    dispose() {
      for (const e of entries) e.group.dispose();
    },
  };
}

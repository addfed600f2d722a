/**
 * Advances a session's run groups together and records them: one optimizer step per
 * group, then one packed read of every live run's θ, loss (and φ) for telemetry and the
 * divergence check, whatever the number of groups. A run whose step produced a
 * non-finite value is marked diverged at that step and leaves its group; the others go on.
 */
import { tf, type Tensor } from '../tf';
import type { RunResult } from '../run';
import type { RunGroup } from './group';

/** A group with its runs' records, in row order. */
export interface BatchEntry {
  group: RunGroup;
  members: RunResult[];
}

export interface BatchedRuns {
  /** Runs still going. */
  readonly live: number;
  /** Advance every live run by one step. */
  step(): void;
  /**
   * Read every live run's state after step k (k = 0: the start; only the loss is appended
   * then) and append it to its record; runs that went non-finite at k > 0 are marked
   * diverged at k and leave their group.
   */
  record(k: number): Promise<void>;
  dispose(): void;
}

/** Flattened [θ rows (R·P) | loss (R) | φ rows (R·P), φ-groups only]. */
function readout(group: RunGroup): Tensor[] {
  const p = group.params;
  if (!p) return [];
  const obj = group.objective;
  const theta = obj.theta(p).reshape([-1]);
  const loss = obj.loss(p);
  return obj.reparam ? [theta, loss, p.reshape([-1])] : [theta, loss];
}

function allFinite(xs: ArrayLike<number>): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i] as number)) return false;
  return true;
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
      const P = e.group.objective.P;
      const hasPhi = e.group.objective.reparam !== null;
      const survivors: number[] = [];
      e.members.forEach((run, r) => {
        const theta = data.subarray(o + r * P, o + (r + 1) * P);
        const loss = data[o + R * P + r] as number;
        const phi = hasPhi ? data.subarray(o + R * (P + 1) + r * P, o + R * (P + 1) + (r + 1) * P) : null;
        const finite = Number.isFinite(loss) && allFinite(theta) && (!phi || allFinite(phi));
        if (k === 0) {
          run.loss.push(loss);
        } else if (!finite) {
          run.status = 'diverged';
          run.divergedAt = k;
          return;
        } else {
          run.theta.push(Array.from(theta));
          if (phi) run.phi?.push(Array.from(phi));
          run.loss.push(loss);
        }
        survivors.push(r);
      });
      o += R * (hasPhi ? 2 * P + 1 : P + 1);
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
    step() {
      for (const e of active()) e.group.step();
    },
    record,
    dispose() {
      for (const e of entries) e.group.dispose();
    },
  };
}

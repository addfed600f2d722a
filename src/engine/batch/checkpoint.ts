/**
 * Checkpoints of a session's run groups (batch/driver.ts): per group, which runs are still
 * in it (ids, in row order) and the group's snapshot — parameter rows, optimizer state and,
 * for a switch run, its phase. Restoring them into a fresh driver over the same batches
 * makes it step exactly as the one that took them (experiment.test.ts checks bit for bit).
 */
import type { RunResult } from '../run';
import type { BatchEntry, GroupSnapshot } from './group';

/** One group of a checkpoint; `snapshot` is null once every run has left the group. */
export interface GroupCheckpoint {
  /** Ids of the runs still in the group, in row order. */
  members: string[];
  snapshot: GroupSnapshot | null;
}

/**
 * Every group's checkpoint, in entry order (plain data: survives JSON). The reads are
 * asynchronous; every one starts before the first await, so all groups are at one step.
 */
export function snapshotEntries(entries: readonly BatchEntry[]): Promise<GroupCheckpoint[]> {
  return Promise.all(
    entries.map(async (e) => {
      const members = e.group.size > 0 ? e.members.map((r) => r.id) : [];
      return { members, snapshot: e.group.size > 0 ? await e.group.snapshot() : null };
    }),
  );
}

/** The rows (ascending) of `entry` that the checkpoint keeps; throws if they do not fit. */
function keptRows(entry: BatchEntry, cp: GroupCheckpoint, at: number): number[] {
  const ids = entry.members.map((r) => r.id);
  const rows = cp.members.map((id) => ids.indexOf(id));
  if (rows.some((r, i) => r < 0 || (i > 0 && r <= (rows[i - 1] as number)))) {
    throw new Error(
      `checkpoint: group ${at} holds runs [${cp.members.join(', ')}], not among [${ids.join(', ')}]`,
    );
  }
  if (rows.length > 0 && cp.snapshot?.params.length !== rows.length) {
    throw new Error(`checkpoint: group ${at} has ${rows.length} runs but a snapshot of another size`);
  }
  return rows;
}

/**
 * Restore `groups` into `entries` (a driver freshly built over the same batches, nothing
 * stepped): runs absent from a group's checkpoint leave it, the rest continue from the
 * snapshot. Everything is checked before anything changes, except the optimizer state's
 * fit (checked by its import): after a throw there the entries are unusable; dispose them.
 */
export function restoreEntries(entries: BatchEntry[], groups: readonly GroupCheckpoint[]): void {
  if (groups.length !== entries.length) {
    throw new Error(`checkpoint: ${groups.length} groups for ${entries.length} batches`);
  }
  const plans = entries.map((e, i) => keptRows(e, groups[i] as GroupCheckpoint, i));
  entries.forEach((e, i) => {
    const rows = plans[i] as number[];
    const snapshot = (groups[i] as GroupCheckpoint).snapshot;
    e.group.keep(rows);
    e.members = rows.map((r) => e.members[r] as RunResult);
    if (rows.length > 0 && snapshot) e.group.restore(snapshot);
  });
}

/**
 * Test support for batched runs (imported by `*.test.ts` only): run a group from given
 * starts and read every iterate, blank run records, and a closeness check.
 */
import { fromRows } from '../trajectory';
import { expect } from 'vitest';
import type { RunResult } from '../experiment';
import type { Objective } from '../objective';
import { optimizerDef } from '../optimizers';
import type { OptimizerId } from '../optimizers/ids';
import { resolveHyper } from '../optimizers/optimizer';
import type { OptimizerEntry } from '../schema';
import { createRunGroup, type RunGroup } from './group';

/** A group of optimizer `entry` on `obj` from `starts`. */
export function groupOf(obj: Objective, entry: OptimizerEntry, starts: number[][]): RunGroup {
  const def = optimizerDef(entry.id);
  return createRunGroup(obj, def, resolveHyper(def, entry), starts);
}

/** The current rows of a group as numbers. */
export function rowsOf(g: RunGroup): number[][] {
  return (g.params?.arraySync() ?? []) as number[][];
}

/**
 * Step a group k times from `starts`; before step `leaveAt` (if given) only rows `keep`
 * stay. Returns the final rows of the group, in its row order.
 */
export async function runGroup(
  obj: Objective,
  entry: OptimizerEntry,
  starts: number[][],
  k: number,
  leave?: { at: number; keep: number[] },
): Promise<number[][]> {
  const g = groupOf(obj, entry, starts);
  for (let i = 0; i < k; i++) {
    if (leave && i === leave.at) g.keep(leave.keep);
    await g.step();
  }
  const out = rowsOf(g);
  g.dispose();
  return out;
}

/** A fresh record of a θ-run starting at `start`. */
export function blankResult(id: OptimizerId, index: number, start: number[]): RunResult {
  return {
    optimizer: index,
    id: `${id}-${index}-theta`,
    space: 'theta',
    theta: fromRows([[...start]]),
    loss: [],
    status: 'ok',
    divergedAt: null,
  };
}

/** Rows equal to float32 round-off: |a − b| ≤ tol·(1 + |b|) entrywise. */
export function expectRowsClose(got: number[][], want: number[][], tol = 1e-5, what = ''): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((row, i) =>
    row.forEach((w, j) => {
      const g = got[i]?.[j] ?? Number.NaN;
      expect(Math.abs(g - w), `${what} row ${i} entry ${j}: ${g} vs ${w}`).toBeLessThanOrEqual(
        tol * (1 + Math.abs(w)),
      );
    }),
  );
}

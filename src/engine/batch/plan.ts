/**
 * Which runs of a session advance together. Runs batch when one optimizer instance can
 * serve them all as stacked rows: same objective (space θ or φ), same optimizer id and
 * identical resolved hyper-parameters. Display-only settings (colour) never enter the key,
 * so two entries that differ only in colour still share a batch.
 */
import type { OptimizerId } from '../optimizers/ids';
import type { Hyper } from '../optimizers/optimizer';

/** What decides a run's batch. */
export interface BatchSpec {
  space: string;
  optimizer: OptimizerId;
  hyper: Hyper;
}

/** JSON with object keys sorted, so equal values give equal strings whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The batch key of a run: equal keys may share one optimizer instance. */
export function batchKey(spec: BatchSpec): string {
  return `${spec.space}|${spec.optimizer}|${canonical(spec.hyper)}`;
}

/**
 * Partition runs (by index) into batches: batches in order of their first run, members
 * in run order. Every index appears exactly once.
 */
export function planBatches(specs: readonly BatchSpec[]): number[][] {
  const byKey = new Map<string, number[]>();
  specs.forEach((spec, i) => {
    const key = batchKey(spec);
    const members = byKey.get(key);
    if (members) members.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey.values()];
}

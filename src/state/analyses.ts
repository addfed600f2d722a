/**
 * Store reducers for the worker's analyses (the learning-rate sweep, the naturality
 * table) and the per-step metrics telemetry (κ*, κ(F)). Pure functions of the previous
 * slice and an event, so the store only wires them in.
 */
import type { Experiment } from '../engine/page';
import type { AnalysisEvent, AnalysisStatus, MetricDelta } from '../protocol/messages';

/** One analysis as the page shows it. */
export interface AnalysisView<R> {
  /** The worker's request number; older requests' late events are ignored. */
  id: number;
  status: AnalysisStatus;
  /** 0 … 1. */
  progress: number;
  /** The last finished result (kept while a new request runs, so the chart does not flash). */
  result: R | null;
  message: string | null;
}

/** Per-step κ* (null: not a descent step) and κ(F) per point of one run. */
export interface RunMetrics {
  kappa: (number | null)[];
  cond: number[];
}

/** Fold one `sweep` / `table` event into the slice. */
export function applyAnalysis<R>(prev: AnalysisView<R> | null, event: AnalysisEvent<R>): AnalysisView<R> {
  if (prev && event.id < prev.id) return prev;
  return {
    id: event.id,
    status: event.status,
    progress: event.progress,
    result: event.result ?? prev?.result ?? null,
    message: event.message ?? null,
  };
}

const runKey = (e: Experiment | null): string => JSON.stringify(e ? { ...e, view: null } : null);

/**
 * On a `loaded` event: results of another experiment are dropped; for the same one (a
 * worker restart) they are kept, but a request in flight died with the old worker, and
 * the new worker counts requests from 1 again.
 */
export function carryAnalysis<R>(
  prev: AnalysisView<R> | null,
  before: Experiment | null,
  after: Experiment,
): AnalysisView<R> | null {
  if (!prev || runKey(before) !== runKey(after)) return null;
  const status = prev.status === 'running' ? 'cancelled' : prev.status;
  const message = prev.status === 'running' ? 'the runs were reloaded' : prev.message;
  return { ...prev, id: 0, status, message };
}

/** Append metric deltas in place (by run id); NaN κ* arrives for "not a descent step". */
export function appendMetrics(metrics: Record<string, RunMetrics>, deltas: readonly MetricDelta[]): void {
  for (const d of deltas) {
    const m = (metrics[d.id] ??= { kappa: [], cond: [] });
    m.kappa.length = Math.min(m.kappa.length, d.kappaFrom);
    for (const v of d.kappa) m.kappa.push(Number.isNaN(v) ? null : v);
    m.cond.length = Math.min(m.cond.length, d.condFrom);
    m.cond.push(...d.cond);
  }
}

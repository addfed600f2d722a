/**
 * The analyses slice: the learning-rate sweep (docs/theory.md §4) and the naturality table
 * (§3), computed by the worker on request. Each is replaced on every event (its identity
 * is its change signal).
 */
import type { StateCreator } from 'zustand/vanilla';
import { runsKey, type Experiment, type NaturalityTable, type SweepResult } from '../../engine/page';
import type { AnalysisEvent, AnalysisStatus } from '../../protocol/messages';
import type { Lab } from '../store';

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

export interface AnalysesState {
  sweep: AnalysisView<SweepResult> | null;
  table: AnalysisView<NaturalityTable> | null;
}

/** Fold one `sweep` / `table` event into its analysis. */
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

const runKey = (e: Experiment | null): string => (e ? runsKey(e) : 'null');

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

/** A load of `after` while `before` was loaded: both analyses carried or dropped. */
export function loadAnalyses(s: AnalysesState, before: Experiment | null, after: Experiment): AnalysesState {
  return { sweep: carryAnalysis(s.sweep, before, after), table: carryAnalysis(s.table, before, after) };
}

export const createAnalysesSlice: StateCreator<Lab, [], [], AnalysesState> = () => ({
  sweep: null,
  table: null,
});

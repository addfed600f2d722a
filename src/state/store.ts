/**
 * The page's zustand store (vanilla, so non-React code — the client, the automation
 * handle, the d3 plots — reads it directly), made of four slices (zustand's slices
 * pattern), each in `slices/` with its fields, actions and reducers:
 *
 * - runs (`slices/runs.ts`): the runs' points, losses, defects, κ series and reports, the
 *   step and play state. The only slice changed in place (telemetry appends); its change
 *   signal is `runsVersion`, and the rule is documented there.
 * - view (`slices/view.ts`): the experiment, backend, windows, landscapes, overlays, the
 *   θ plot's 2-D slice, decision regions, the timeline `cursor` and the scene.
 * - analyses (`slices/analyses.ts`): the learning-rate sweep and the naturality table.
 * - messages (`slices/messages.ts`): notices and errors.
 *
 * Outside the runs slice every field is replaced on change, so its identity is its signal:
 * a selector, or `s.field !== prev.field` in a transient subscription. A worker event that
 * touches several slices (`loaded`, `slice-reprojected`) is one store update.
 */
import { createStore } from 'zustand/vanilla';
import type { WorkerEvent } from '../protocol/messages';
import {
  appendReports,
  createRunsSlice,
  loadRuns,
  reprojectRuns,
  type RunsActions,
  type RunsState,
} from './slices/runs';
import {
  createViewSlice,
  loadView,
  reprojectView,
  viewEvent,
  type ViewActions,
  type ViewState,
} from './slices/view';
import { applyAnalysis, createAnalysesSlice, loadAnalyses, type AnalysesState } from './slices/analyses';
import { createMessagesSlice, type MessagesActions, type MessagesState } from './slices/messages';

export type { RunView, RunReportView, RunMetrics } from './slices/runs';
export type { AnalysisView } from './slices/analyses';
export type { Message } from './slices/messages';

export type LabState = RunsState & ViewState & AnalysesState & MessagesState;

export interface LabActions extends RunsActions, ViewActions, MessagesActions {
  /** Fold one worker event into the slices it concerns, in one store update. */
  apply(event: WorkerEvent): void;
}

/** The whole store: what every slice creator's `set` and `get` see. */
export type Lab = LabState & LabActions;

export type LabStore = ReturnType<typeof createLabStore>;

export function createLabStore() {
  return createStore<Lab>()((...a) => {
    const [set, get] = a;
    return {
      ...createRunsSlice(...a),
      ...createViewSlice(...a),
      ...createAnalysesSlice(...a),
      ...createMessagesSlice(...a),
      apply: (event) => {
        const s = get();
        switch (event.type) {
          case 'loaded':
            set({
              ...loadRuns(s, event.info),
              ...loadView(event.info),
              ...loadAnalyses(s, s.experiment, event.info.experiment),
            });
            return;
          case 'telemetry':
            s.applyTelemetry([event]);
            return;
          case 'slice-reprojected':
            set({ ...reprojectRuns(s, event), ...reprojectView(s, event) });
            return;
          case 'report':
            set(appendReports(s, event));
            return;
          case 'play-state':
            set({ playState: event.state, step: event.step });
            return;
          case 'view':
          case 'decision':
          case 'landscape':
          case 'phi-geometry':
          case 'landscape-progress':
          case 'backend':
            set(viewEvent(s, event));
            return;
          case 'sweep':
            set({ sweep: applyAnalysis(s.sweep, event) });
            return;
          case 'table':
            set({ table: applyAnalysis(s.table, event) });
            return;
          case 'error':
            s.notify('error', event.message);
            return;
        }
      },
    };
  });
}

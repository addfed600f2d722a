/**
 * The view slice: what the page shows and how — the loaded experiment and its parameter
 * names, the engine's backend, the plot windows, landscapes and overlays, the θ plot's 2-D
 * slice of parameter space (the `slice` field; not to be confused with the store's slices),
 * the decision regions, the timeline cursor, and the scene on screen.
 *
 * Every field here is replaced, never changed in place: its change signal is its identity
 * (`s.windows !== prev.windows`, a selector). The timeline cursor's signal is `cursor`
 * itself: moving the timeline changes only `cursor`, not the runs slice's `runsVersion`, so
 * a plot that draws the runs up to the cursor wakes on either (ui/plots/LandscapePlot.tsx).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Experiment, LossGrid, Window } from '../../engine/page';
import type { BackendInfo, LoadedInfo, PhiGeometry, SliceInfo, WorkerEvent } from '../../protocol/messages';
import type { Lab } from '../store';

export interface ViewState {
  experiment: Experiment | null;
  backend: BackendInfo | null;
  paramNames: string[];
  windows: { theta: Window; phi: Window | null } | null;
  landscapes: { theta: LossGrid | null; phi: LossGrid | null };
  /** The φ plot's overlay (θ grid lines in φ, det J_f), or null (none yet, or no φ plot). */
  phiGeometry: PhiGeometry | null;
  /** Fraction done of a landscape grid being computed, or null (done / none). */
  landscapeProgress: { theta: number | null; phi: number | null };
  /** Networks (P > 2): the θ plot is this 2-D slice; `windows.theta` is in its (a, b). */
  slice: SliceInfo | null;
  /**
   * `mlp` classification (worker/decision.ts): the latest decision-region grids by run id
   * and the training points/labels; null for other problems or before the first event.
   */
  decision: {
    window: Window;
    n: number;
    points: Float32Array;
    labels: Int32Array;
    runs: Record<string, Float32Array>;
  } | null;
  /** Timeline position: the step the plots show, or null for the latest. View-only. */
  cursor: number | null;
  /**
   * The scene on screen (its id in state/scenes.ts), or null. It stays through view-only
   * changes and through edits (the caption then says "modified"); opening another scene
   * replaces it.
   */
  scene: string | null;
  /** Panels a caption action asked to show even in presentation mode ('sweep', 'table', 'metrics'). */
  revealed: readonly string[];
}

export interface ViewActions {
  setBackend(info: BackendInfo): void;
  setCursor(step: number | null): void;
  setScene(id: string | null): void;
  reveal(panel: string): void;
}

/** The worker events that only concern this slice. */
export type ViewEvent = Extract<
  WorkerEvent,
  { type: 'view' | 'decision' | 'landscape' | 'phi-geometry' | 'landscape-progress' | 'backend' }
>;

/** A load: the new experiment and windows; grids, overlays and the cursor start over. */
export function loadView(info: LoadedInfo): Partial<ViewState> {
  return {
    experiment: info.experiment,
    paramNames: info.paramNames,
    windows: info.windows,
    landscapes: { theta: null, phi: null },
    phiGeometry: null,
    landscapeProgress: { theta: null, phi: null },
    slice: info.slice ?? null,
    cursor: null,
    decision: null,
  };
}

/** A new slice of parameter space: its window, and the old θ grid dropped. */
export function reprojectView(
  s: ViewState,
  event: Extract<WorkerEvent, { type: 'slice-reprojected' }>,
): Partial<ViewState> {
  return {
    slice: event.slice,
    windows: s.windows ? { ...s.windows, theta: event.window } : s.windows,
    landscapes: { ...s.landscapes, theta: null },
  };
}

/** Fold one of this slice's worker events into it. */
export function viewEvent(s: ViewState, event: ViewEvent): Partial<ViewState> {
  switch (event.type) {
    case 'view':
      return { experiment: event.info.experiment, windows: event.info.windows };
    case 'decision': {
      const prev = s.decision;
      const runs = Object.fromEntries(event.runs.map((r) => [r.id, r.values]));
      // The same window object while it does not move: the heatmaps key their redraws on it.
      const same = prev !== null && String(prev.window) === String(event.window);
      return {
        decision: {
          window: same ? prev.window : event.window,
          n: event.n,
          points: event.points ?? prev?.points ?? new Float32Array(0),
          labels: event.labels ?? prev?.labels ?? new Int32Array(0),
          runs: { ...prev?.runs, ...runs },
        },
      };
    }
    case 'landscape':
      return {
        landscapes: { ...s.landscapes, [event.space]: event.grid },
        landscapeProgress: { ...s.landscapeProgress, [event.space]: null },
      };
    case 'phi-geometry': {
      const { type: _type, ...geometry } = event;
      return { phiGeometry: geometry };
    }
    case 'landscape-progress':
      return { landscapeProgress: { ...s.landscapeProgress, [event.space]: event.fraction } };
    case 'backend':
      // The automatic choice made again for an experiment of another size: the header follows.
      return { backend: event.info };
  }
}

export const createViewSlice: StateCreator<Lab, [], [], ViewState & ViewActions> = (set, get) => ({
  experiment: null,
  backend: null,
  paramNames: [],
  windows: null,
  landscapes: { theta: null, phi: null },
  phiGeometry: null,
  landscapeProgress: { theta: null, phi: null },
  slice: null,
  decision: null,
  cursor: null,
  scene: null,
  revealed: [],
  setBackend: (backend) => set({ backend }),
  setCursor: (cursor) => set({ cursor }),
  setScene: (scene) => set({ scene, ...(scene !== get().scene ? { revealed: [] } : {}) }),
  reveal: (panel) => {
    if (!get().revealed.includes(panel)) set({ revealed: [...get().revealed, panel] });
  },
});

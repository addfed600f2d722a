/**
 * Everything the worker computes from the view settings (window, grid, slice directions)
 * rather than from the runs: the loss landscapes in θ and φ and the φ plot's geometry
 * (phi-geometry.ts), the network slice and its refits (slice-landscape.ts), the decision
 * regions (decision.ts) and the geometry overlay (geometry-overlay.ts). A view change
 * (`change`) redraws these and leaves the runs alone; run-loop.ts owns the session.
 */
import { type Session, lossGrid, isCancelledError, type Experiment } from '../engine';
import type { LoadedInfo, WorkerEvent } from '../protocol/messages';
import type { GeometryReply, GeometryRequest } from '../protocol/geometry';
import { decisionSender, decisionTransfer } from './decision';
import { overlayGeometry } from './geometry-overlay';
import { phiGeometry } from './phi-geometry';
import {
  nextSlice,
  reprojection,
  sliceLandscape,
  sliceViewFor,
  sliceWindow,
  type SliceView,
} from './slice-landscape';
import type { Emit } from './telemetry';
import { phiWindow, thetaWindow } from './windows';

type View = Experiment['view'];

/**
 * Networks with at least this many parameters get a coarse slice first (sendSlice). Measured
 * 64×64 slice times on wasm: the 337-parameter MLP 0.24 s, digits (P = 2,410) 2.2 s.
 */
export const PREVIEW_MIN_P = 1000;

export interface ViewsHooks {
  /** The loaded session (a result for an older one is dropped). */
  current(): Session | null;
  /** Resolves when no step is in flight (a refit reads the runs' points). */
  settled(): Promise<void>;
}

export interface Views {
  /**
   * A new session: its view settings and (networks) its first slice. Returns the info the
   * page gets in the `loaded` event, with the plot windows and slice filled in.
   */
  start(s: Session, info: Omit<LoadedInfo, 'windows' | 'slice'>): LoadedInfo;
  /**
   * New view settings for the loaded runs: the page gets a `view` event and, if the window,
   * grid or slice directions changed, new landscapes (a new slice first).
   */
  change(experiment: Experiment): void;
  /** The view settings in force (null before the first load). */
  view(): View | null;
  /** Networks: the θ plot's slice, or null. */
  slice(): SliceView | null;
  /** The landscapes of the loaded session (after a load; errors become `error` events). */
  landscapes(): void;
  /** After steps while playing: the decision regions every ~10 steps. */
  advanced(): void;
  /** The runs stopped (paused, done): refit the slice, send the decision regions now. */
  stopped(): void;
  /** The geometry overlay's numbers at the page's points (geometry-overlay.ts). */
  geometry(request: GeometryRequest): Promise<GeometryReply>;
  /** Drop the landscape grid in flight (a load replaces the session). */
  cancel(): void;
}

export function createViews(emit: Emit, hooks: ViewsHooks): Views {
  const { current } = hooks;
  /** View settings in force: they can change without restarting the runs. */
  let view: View | null = null;
  /** What the page was last told (`loaded` or `view`): kept current as the slice is refitted. */
  let info: LoadedInfo | null = null;
  /** Networks (P > 2): the θ plot's slice; the slice grid in flight (cancelled when superseded). */
  let slice: SliceView | null = null;
  let landscapeJob = { cancelled: false };
  /** mlp classification: decision regions every ~10 steps and when the runs stop (decision.ts). */
  const nextDecision = decisionSender();

  const failed = (what: string) => (err: unknown) =>
    emit({ type: 'error', message: `${what} failed: ${String(err)}` }, []);

  function sendDecision(force: boolean): void {
    const s = current();
    if (!s) return;
    void nextDecision(s, force)
      .then((e) => {
        if (e && current() === s) emit(e, decisionTransfer(e));
      })
      .catch((err: unknown) => {
        // A load or dispose in between disposes the problem's tensors: not an error then.
        if (current() === s) failed('decision regions')(err);
      });
  }

  const windowsOf = (s: Session): LoadedInfo['windows'] => {
    const tw = thetaWindow(s, view);
    return { theta: tw ?? sliceWindow(view, slice), phi: tw ? phiWindow(s, tw) : null };
  };

  /** Networks: the slice landscape in chunks with progress; a superseded job ends quietly. */
  async function sendSlice(s: Session, job: { cancelled: boolean }): Promise<void> {
    if (!slice) return;
    const at = slice;
    const window = sliceWindow(view, at);
    const n = view?.grid ?? 64;
    const progress = (e: WorkerEvent): void => void emit(e, []);
    try {
      // A large network's slice takes seconds (digits: ~2 s for 64²): a half-resolution grid
      // (a quarter of the work) is drawn first, then replaced by the full one.
      if (s.problem.P >= PREVIEW_MIN_P && n >= 8) {
        const coarse = await sliceLandscape(s, at, window, Math.ceil(n / 2), progress, job);
        if (current() !== s || job.cancelled) return;
        emit({ type: 'landscape', space: 'theta', grid: coarse }, [coarse.values.buffer]);
      }
      const grid = await sliceLandscape(s, at, window, n, progress, job);
      if (current() === s && !job.cancelled)
        emit({ type: 'landscape', space: 'theta', grid }, [grid.values.buffer]);
    } catch (err) {
      if (!isCancelledError(err)) throw err;
    }
  }

  async function sendLandscapes(s: Session): Promise<void> {
    landscapeJob.cancelled = true;
    const job = (landscapeJob = { cancelled: false });
    const tw = thetaWindow(s, view);
    if (!tw) return sendSlice(s, job);
    const n = view?.grid ?? 64;
    const grid = await lossGrid(s.objective('theta'), tw, n);
    if (current() !== s) return;
    emit({ type: 'landscape', space: 'theta', grid }, [grid.values.buffer]);
    const pw = phiWindow(s, tw);
    if (!pw) return;
    const pgrid = await lossGrid(s.objective('phi'), pw, n);
    if (current() !== s) return;
    emit({ type: 'landscape', space: 'phi', grid: pgrid }, [pgrid.values.buffer]);
    // The φ plot's overlay: the θ grid's lines in φ and det J_f (worker/phi-geometry.ts).
    const geometry = phiGeometry(s, tw, pw, n);
    emit({ type: 'phi-geometry', ...geometry }, [geometry.detJ.buffer]);
  }

  /**
   * Networks, when the runs stop: refit the slice (slice-landscape.ts `nextSlice`), send
   * every point's new projection, then the new grid. `landscapes`: send the grid anyway.
   */
  async function reslice(landscapes = false): Promise<void> {
    const s = current();
    await hooks.settled();
    if (!s || current() !== s) return;
    const next = nextSlice(s, view, slice);
    if (next) {
      slice = next;
      const window = sliceWindow(view, next);
      if (info) info = { ...info, slice: next.info, windows: { theta: window, phi: null } };
      const { event, transfer } = reprojection(s, next, window);
      emit(event, transfer);
    }
    if (next || landscapes) await sendLandscapes(s).catch(failed('landscape'));
  }

  return {
    start(s, base) {
      view = base.experiment.view;
      slice = null;
      try {
        slice = sliceViewFor(s);
      } catch (err) {
        emit(
          {
            type: 'error',
            message: `no landscape slice: ${err instanceof Error ? err.message : String(err)}`,
          },
          [],
        );
      }
      info = { ...base, windows: windowsOf(s), slice: slice?.info ?? null };
      return info;
    },
    change(experiment) {
      const s = current();
      if (!s || !info) return;
      const before = JSON.stringify([view?.window, view?.grid]);
      const turned = view?.directions !== experiment.view.directions;
      view = experiment.view;
      info = { ...info, experiment, windows: windowsOf(s) };
      emit({ type: 'view', info }, []);
      const moved = before !== JSON.stringify([view.window, view.grid]);
      if (turned) void reslice(moved);
      else if (moved) void sendLandscapes(s).catch(failed('landscape'));
    },
    view: () => view,
    slice: () => slice,
    landscapes() {
      const s = current();
      if (s) void sendLandscapes(s).catch(failed('landscape'));
    },
    advanced: () => sendDecision(false),
    stopped() {
      void reslice();
      sendDecision(true);
    },
    async geometry(request) {
      const s = current();
      if (!s) return { grid: null, points: [], error: 'no experiment is loaded' };
      const tw = thetaWindow(s, view);
      // Networks: the geometry within the θ plot's slice; a new slice supersedes the request.
      const sv = slice;
      const window = tw ?? (sv ? sliceWindow(view, sv) : null);
      const still = (): boolean => current() === s && slice === sv;
      return overlayGeometry(s, request, window, tw ? phiWindow(s, tw) !== null : false, still, sv);
    },
    cancel() {
      landscapeJob.cancelled = true;
    },
  };
}

/**
 * The worker's run loop, free of messaging so it runs in Node tests too: it owns one
 * session, advances it while playing (a fixed number of steps per ~16 ms tick), and
 * emits telemetry deltas (only the points each run gained since the last event; assembled
 * by telemetry.ts and run-deltas.ts), landscapes and decision regions.
 */
import { pace } from './pace';
import { createSession, type Session } from '../engine/experiment';
import { lossGrid } from '../engine/landscape/grid';
import { isCancelledError } from '../engine/landscape/chunks';
import { parseExperiment, type Experiment } from '../engine/schema';
import { decisionSender, decisionTransfer } from './decision';
import { resumeMetrics } from './checkpoint-codec';
import { resumeSession } from './checkpoints';
import { createTelemetry, type Emit } from './telemetry';
import type { LoadedInfo, LoadOptions, LoadReply, PlayState, PushForwardReply } from '../protocol/messages';
import { phiWindow, thetaWindow } from './windows';
import { phiGeometry } from './phi-geometry';
import { overlayGeometry } from './geometry-overlay';
import type { GeometryReply, GeometryRequest } from '../protocol/geometry';
import {
  nextSlice,
  reprojection,
  sliceLandscape,
  sliceViewFor,
  sliceWindow,
  type SliceView,
} from './slice-landscape';

export type { Emit };

/** True when two experiments differ at most in their view settings. */
function sameRuns(a: Experiment, b: Experiment): boolean {
  return JSON.stringify({ ...a, view: null }) === JSON.stringify({ ...b, view: null });
}

export interface RunLoop {
  /** Load an experiment; `advanceTo` replays it to that step first (worker restarts). */
  load(input: unknown, options?: LoadOptions): Promise<LoadReply>;
  play(): void;
  pause(): void;
  step(): Promise<void>;
  reset(): Promise<void>;
  /** Resolves when the loop is idle (no tick in flight); for tests. */
  settled(): Promise<void>;
  /** The loaded experiment (its view settings may be older than the page's), or null. */
  current(): Experiment | null;
  /** θ = f(φ) through the loaded map (for a start point dropped on the φ plot). */
  pushForward(phi: readonly number[]): PushForwardReply;
  /** The geometry overlay's numbers at the page's points and on a sparse θ grid (geometry-overlay.ts). */
  geometry(request: GeometryRequest): Promise<GeometryReply>;
  /** The longest single step (ms) taken while playing or stepping this experiment (the watchdog's allowance). */
  slowestStepMs(): number;
  dispose(): void;
}

/**
 * A frame that has run this long yields to the event loop between steps, so the page's
 * pings (client/watchdog.ts) and a pause get through even at 1000 slow steps per frame.
 */
const YIELD_MS = 100;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
export function createRunLoop(emit: Emit): RunLoop {
  let session: Session | null = null;
  /** View settings in force: they can change without restarting the runs. */
  let view: Experiment['view'] | null = null;
  let lastInfo: LoadedInfo | null = null;
  let input: unknown = null;
  let state: PlayState = 'idle';
  let inFlight: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let slowestStep = 0;
  /** Points, defects, metrics and checkpoints on their way to the page (telemetry.ts). */
  const telemetry = createTelemetry(emit);
  /** Networks (P > 2): the θ plot's slice; the slice grid in flight (cancelled when superseded). */
  let slice: SliceView | null = null;
  let landscapeJob = { cancelled: false };
  /** mlp classification: decision regions every ~10 steps and when the runs stop (decision.ts). */
  const nextDecision = decisionSender();
  const sendDecision = (force: boolean): void => {
    const s = session;
    if (!s) return;
    void nextDecision(s, force)
      .then((e) => {
        if (e && session === s) emit(e, decisionTransfer(e));
      })
      .catch((err: unknown) => {
        // A load or dispose in between disposes the problem's tensors: not an error then.
        if (session === s) emit({ type: 'error', message: `decision regions failed: ${String(err)}` }, []);
      });
  };

  const setState = (next: PlayState): void => {
    state = next;
    emit({ type: 'play-state', state, step: session?.step ?? 0 }, []);
    if (next === 'paused' || next === 'done') void reslice();
    if (next === 'paused' || next === 'done') sendDecision(true);
  };

  /** Send what the runs gained (telemetry.ts), with a checkpoint if due (`force`: in any case). */
  async function flush(force = false): Promise<void> {
    if (session) await telemetry.flush(session, slice, force, () => session);
  }

  async function advance(n: number): Promise<void> {
    const s = session;
    if (!s) return;
    let since = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      if ((await s.advance(1)) === 0) break;
      const now = performance.now();
      slowestStep = Math.max(slowestStep, now - t);
      if (now - since > YIELD_MS && i + 1 < n) {
        await yieldToEventLoop();
        since = performance.now();
      }
    }
    if (session !== s) return;
    await flush(s.done || state !== 'playing');
    sendDecision(false);
    if (s.done) setState('done');
  }

  function schedule(): void {
    if (state !== 'playing' || timer) return;
    const started = Date.now();
    const { steps, intervalMs } = pace(view);
    inFlight = inFlight
      .catch(() => {})
      .then(() => advance(steps))
      .catch((err: unknown) => {
        emit({ type: 'error', message: `run stopped: ${String(err)}` }, []);
        setState('paused');
      })
      .then(() => {
        if (state !== 'playing') return;
        timer = setTimeout(
          () => {
            timer = null;
            schedule();
          },
          Math.max(0, intervalMs - (Date.now() - started)),
        );
      });
  }

  function stopTimer(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** Networks: the slice landscape in chunks with progress; a superseded job ends quietly. */
  async function sendSlice(s: Session, job: { cancelled: boolean }): Promise<void> {
    if (!slice) return;
    try {
      const grid = await sliceLandscape(
        s,
        slice,
        sliceWindow(view, slice),
        view?.grid ?? 64,
        (e) => emit(e, []),
        job,
      );
      if (session === s && !job.cancelled)
        emit({ type: 'landscape', space: 'theta', grid }, [grid.values.buffer]);
    } catch (err) {
      if (!isCancelledError(err)) throw err;
    }
  }

  /**
   * Networks, when the runs stop: refit the slice (slice-landscape.ts `nextSlice`), send
   * every point's new projection, then the new grid. `landscapes`: send the grid anyway.
   */
  async function reslice(landscapes = false): Promise<void> {
    const s = session;
    await inFlight;
    if (!s || session !== s) return;
    const next = nextSlice(s, view, slice);
    if (next) {
      slice = next;
      const window = sliceWindow(view, next);
      if (lastInfo) lastInfo = { ...lastInfo, slice: next.info, windows: { theta: window, phi: null } };
      const { event, transfer } = reprojection(s, next, window);
      emit(event, transfer);
    }
    if (next || landscapes)
      await sendLandscapes(s).catch((err: unknown) =>
        emit({ type: 'error', message: `landscape failed: ${String(err)}` }, []),
      );
  }

  async function sendLandscapes(s: Session): Promise<void> {
    landscapeJob.cancelled = true;
    const job = (landscapeJob = { cancelled: false });
    const tw = thetaWindow(s, view);
    if (!tw) return sendSlice(s, job);
    const n = view?.grid ?? 64;
    const grid = await lossGrid(s.objective('theta'), tw, n);
    if (session !== s) return;
    emit({ type: 'landscape', space: 'theta', grid }, [grid.values.buffer]);
    const pw = phiWindow(s, tw);
    if (!pw) return;
    const pgrid = await lossGrid(s.objective('phi'), pw, n);
    if (session !== s) return;
    emit({ type: 'landscape', space: 'phi', grid: pgrid }, [pgrid.values.buffer]);
    // The φ plot's overlay: the θ grid's lines in φ and det J_f (worker/phi-geometry.ts).
    const geometry = phiGeometry(s, tw, pw, n);
    emit({ type: 'phi-geometry', ...geometry }, [geometry.detJ.buffer]);
  }

  /**
   * A change of view settings only (window, grid, speed): the runs go on untouched; the
   * page gets the new experiment and, if the window or grid changed, new landscapes.
   */
  function changeView(experiment: Experiment, value: unknown): LoadReply {
    const s = session as Session;
    const before = JSON.stringify([view?.window, view?.grid]);
    const turned = view?.directions !== experiment.view.directions;
    view = experiment.view;
    input = value;
    const tw = thetaWindow(s, view);
    const info: LoadedInfo = {
      ...(lastInfo as LoadedInfo),
      experiment,
      windows: {
        theta: tw ?? sliceWindow(view, slice),
        phi: tw ? phiWindow(s, tw) : null,
      },
    };
    lastInfo = info;
    emit({ type: 'view', info }, []);
    if (turned) void reslice(before !== JSON.stringify([view.window, view.grid]));
    else if (before !== JSON.stringify([view.window, view.grid])) {
      void sendLandscapes(s).catch((err: unknown) =>
        emit({ type: 'error', message: `landscape failed: ${String(err)}` }, []),
      );
    }
    return info;
  }

  /**
   * Loads in progress, and whether Play was asked for meanwhile: a play that arrives while a
   * load or restart awaits would set the old session playing and then be undone when the new
   * one lands paused, so it is held and applied once the last load has finished.
   */
  let starting = 0;
  let playAfterStart = false;

  function start(value: unknown, options?: LoadOptions): Promise<LoadReply> {
    starting += 1;
    const done = (): void => {
      starting -= 1;
      if (starting === 0 && playAfterStart) {
        playAfterStart = false;
        play();
      }
    };
    // No extra await around the load: its caller resumes on the same tick as before.
    const loading = startNow(value, options);
    void loading.then(done, done);
    return loading;
  }

  function play(): void {
    if (starting > 0) {
      playAfterStart = true;
      return;
    }
    if (!session || state === 'done') return;
    setState('playing');
    schedule();
  }

  async function startNow(value: unknown, options?: LoadOptions): Promise<LoadReply> {
    const parsed = parseExperiment(value);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    if (!options?.restart && session && lastInfo && sameRuns(session.experiment, parsed.experiment))
      return changeView(parsed.experiment, value);
    let next: Session;
    let resumed: LoadedInfo['resumed'];
    try {
      next = createSession(parsed.experiment);
      // A restore: continue from the page's checkpoint, or (refused) replay from step 0.
      if (options?.resume) {
        resumed = await resumeSession(next, options.resume);
        if ('refused' in resumed) {
          next.dispose();
          next = createSession(parsed.experiment);
        }
      }
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    stopTimer();
    await inFlight;
    landscapeJob.cancelled = true;
    try {
      // The start is recorded and switch runs' notes are set (LoadedInfo carries them).
      await next.ready;
    } catch (err) {
      next.dispose();
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    session?.dispose();
    session = next;
    slowestStep = 0;
    view = parsed.experiment.view;
    // Restored: the page's κ* / κ(F) so far are carried over, not recomputed.
    telemetry.start(next, resumed && 'at' in resumed && options?.resume ? resumeMetrics(options.resume) : {});
    input = value;
    slice = null;
    try {
      slice = sliceViewFor(next);
    } catch (err) {
      emit(
        { type: 'error', message: `no landscape slice: ${err instanceof Error ? err.message : String(err)}` },
        [],
      );
    }
    const tw = thetaWindow(session, view);
    const info: LoadedInfo = {
      ok: true,
      experiment: parsed.experiment,
      runs: session.runs.map((r) => ({
        id: r.id,
        optimizer: r.optimizer,
        space: r.space,
        ...(r.switchAt !== undefined ? { switchAt: r.switchAt, note: r.note ?? '' } : {}),
      })),
      paramNames: [...session.problem.paramNames],
      windows: {
        theta: tw ?? sliceWindow(view, slice),
        phi: tw ? phiWindow(session, tw) : null,
      },
      slice: slice?.info ?? null,
      ...(resumed ? { resumed } : {}),
    };
    lastInfo = info;
    // One channel, in order: the page resets its runs before any telemetry of the new ones.
    emit({ type: 'loaded', info }, []);
    // advanceTo > 0 restores a run after a worker restart: one replay (from the checkpoint's
    // step if one was restored), one telemetry event with every point, then a checkpoint.
    await session.advance(Math.max(0, (options?.advanceTo ?? 0) - session.step));
    await flush(true);
    setState(session.done && session.step > 0 ? 'done' : 'paused');
    void sendLandscapes(session).catch((err: unknown) =>
      emit({ type: 'error', message: `landscape failed: ${String(err)}` }, []),
    );
    return info;
  }

  return {
    load: start,
    play,
    pause() {
      playAfterStart = false;
      stopTimer();
      if (state === 'playing') setState('paused');
      // Between steps: the last steps of the play get a checkpoint even if throttled.
      const s = session;
      inFlight = inFlight
        .then(() => (session === s ? flush(true) : undefined))
        .catch((err: unknown) => emit({ type: 'error', message: `run stopped: ${String(err)}` }, []));
    },
    step() {
      stopTimer();
      // Chained at once: steps asked for while one runs take their turn, never two at once
      // (a second-order step awaits its reads, so two could interleave).
      const run = inFlight
        .catch(() => {})
        .then(async () => {
          if (!session || session.done) return;
          if (state === 'playing') setState('paused');
          await advance(1);
        });
      inFlight = run;
      return run;
    },
    async reset() {
      if (input !== null) await start(input, { restart: true });
    },
    settled: () => inFlight,
    slowestStepMs: () => slowestStep,
    current: () => session?.experiment ?? null,
    pushForward(phi) {
      if (!session) return { ok: false, error: 'no experiment is loaded' };
      try {
        const theta = session.reparam.forward64(phi);
        const outside = session.problem.domainError(theta) ?? session.reparam.domainError(theta);
        if (outside || !theta.every(Number.isFinite))
          return { ok: false, error: outside ?? 'f(φ) is not finite there' };
        return { ok: true, theta };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    },
    async geometry(request) {
      const s = session;
      if (!s) return { grid: null, points: [], error: 'no experiment is loaded' };
      const tw = thetaWindow(s, view);
      // Networks: the geometry within the θ plot's slice; a new slice supersedes the request.
      const sv = slice;
      const window = tw ?? (sv ? sliceWindow(view, sv) : null);
      const current = (): boolean => session === s && slice === sv;
      return overlayGeometry(s, request, window, tw ? phiWindow(s, tw) !== null : false, current, sv);
    },
    dispose() {
      stopTimer();
      landscapeJob.cancelled = true;
      session?.dispose();
      session = null;
    },
  };
}

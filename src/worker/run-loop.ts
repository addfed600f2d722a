/**
 * The worker's session owner, free of messaging so it runs in Node tests too: it loads,
 * restarts and resumes one session and starts its telemetry (telemetry.ts). When the runs
 * advance is the scheduler's job (scheduler.ts: Play, Pause, Step, ticks); what the plots
 * show around them is the views' (views.ts: landscapes, slices, decision regions, φ
 * geometry). A change of view settings (`setView`) goes to the views and leaves the runs alone.
 */
import { pace } from './pace';
import { createSession, type Session, parseExperiment, runsKey, type Experiment } from '../engine';
import { resumeMetrics } from './checkpoint-codec';
import { resumeSession } from './checkpoints';
import { createTelemetry, type Emit } from './telemetry';
import type {
  LoadOptions,
  LoadReply,
  PushForwardReply,
  ResumeOutcome,
  ViewReply,
} from '../protocol/messages';
import type { GeometryReply, GeometryRequest } from '../protocol/geometry';
import { createScheduler } from './scheduler';
import { createViews } from './views';

export type { Emit };

/** True when two experiments differ at most in their view settings. */
function sameRuns(a: Experiment, b: Experiment): boolean {
  return runsKey(a) === runsKey(b);
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface RunLoop {
  /**
   * Load an experiment; `advanceTo` replays it to that step first (worker restarts). The
   * page learns what loaded from the `loaded` event; the reply says only whether it did.
   */
  load(input: unknown, options?: LoadOptions): Promise<LoadReply>;
  /** New view settings for the loaded runs (validated with them); the runs go on untouched. */
  setView(view: unknown): ViewReply;
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

export function createRunLoop(emit: Emit): RunLoop {
  let session: Session | null = null;
  /** What was last loaded, with the view settings since: what Reset starts again. */
  let input: unknown = null;
  /** The loaded experiment with the view settings in force (setView validates against it). */
  let experiment: Experiment | null = null;
  /** Points, defects, metrics and checkpoints on their way to the page (telemetry.ts). */
  const telemetry = createTelemetry(emit);
  const views = createViews(emit, { current: () => session, settled: () => scheduler.settled() });

  /** Send what the runs gained (telemetry.ts), with a checkpoint if due (`force`: in any case). */
  async function flush(force = false): Promise<void> {
    if (session) await telemetry.flush(session, views.slice(), force, () => session);
  }

  const scheduler = createScheduler({
    session: () => session,
    pace: () => pace(views.view()),
    async advanced(_s, stopped) {
      await flush(stopped);
      views.advanced();
    },
    paused: () => flush(true),
    changed(state) {
      emit({ type: 'play-state', state, step: session?.step ?? 0 }, []);
      if (state === 'paused' || state === 'done') views.stopped();
    },
    error: (text) => emit({ type: 'error', message: text }, []),
  });

  /** `next`: the loaded runs with new view settings (validated); `value`: as the page sent it. */
  function changeView(next: Experiment, value: unknown): void {
    experiment = next;
    input = value;
    views.change(next);
  }

  function load(value: unknown, options?: LoadOptions): Promise<LoadReply> {
    return scheduler.hold(() => startNow(value, options));
  }

  async function startNow(value: unknown, options?: LoadOptions): Promise<LoadReply> {
    const parsed = parseExperiment(value);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    // The same runs with other view settings (a link, a scene): a view change, the runs go
    // on. The page's own view-only changes call `setView`; Reset restarts (`restart`).
    if (!options?.restart && session && sameRuns(session.experiment, parsed.experiment)) {
      changeView(parsed.experiment, value);
      return { ok: true };
    }
    let next: Session;
    let resumed: ResumeOutcome | undefined;
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
      return { ok: false, error: message(err) };
    }
    await scheduler.stop();
    views.cancel();
    try {
      // The start is recorded and switch runs' notes are set (LoadedInfo carries them).
      await next.ready;
    } catch (err) {
      next.dispose();
      return { ok: false, error: message(err) };
    }
    session?.dispose();
    session = next;
    scheduler.resetTiming();
    // Restored: the page's κ* / κ(F) so far are carried over, not recomputed.
    telemetry.start(next, resumed && 'at' in resumed && options?.resume ? resumeMetrics(options.resume) : {});
    input = value;
    experiment = parsed.experiment;
    const info = views.start(next, {
      experiment: parsed.experiment,
      runs: next.runs.map((r) => ({
        id: r.id,
        optimizer: r.optimizer,
        space: r.space,
        ...(r.switchAt !== undefined ? { switchAt: r.switchAt, note: r.note ?? '' } : {}),
      })),
      paramNames: [...next.problem.paramNames],
    });
    // The page's one channel for what loaded: this event, not the reply, which arrives only
    // after the replay's telemetry below; the page resets its runs before any of the new ones'.
    // Awaited: events travel on the listener's own channel, so without it the reply could
    // reach the page first (seen in Firefox 140), and the page's `ready` would come before
    // its experiment.
    await emit({ type: 'loaded', info }, []);
    // advanceTo > 0 restores a run after a worker restart: one replay (from the checkpoint's
    // step if one was restored), one telemetry event with every point, then a checkpoint.
    await next.advance(Math.max(0, (options?.advanceTo ?? 0) - next.step));
    await flush(true);
    scheduler.set(next.done && next.step > 0 ? 'done' : 'paused');
    views.landscapes();
    return { ok: true, ...(resumed ? { resumed } : {}) };
  }

  return {
    load,
    setView(view) {
      if (!session || !experiment) return { ok: false, error: 'no experiment is loaded' };
      const candidate = { ...experiment, view };
      const parsed = parseExperiment(candidate);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      changeView(parsed.experiment, candidate);
      return { ok: true };
    },
    play: () => scheduler.play(),
    pause: () => scheduler.pause(),
    step: () => scheduler.step(),
    async reset() {
      if (input !== null) await load(input, { restart: true });
    },
    settled: () => scheduler.settled(),
    slowestStepMs: () => scheduler.slowestStepMs(),
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
        return { ok: false, error: message(err) };
      }
    },
    geometry: (request) => views.geometry(request),
    dispose() {
      scheduler.dispose();
      views.cancel();
      session?.dispose();
      session = null;
    },
  };
}

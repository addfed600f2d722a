/**
 * When the runs advance (run-loop.ts owns what they are): Play, Pause and Step, the tick
 * timer (pace.ts: steps per tick and the tick's length), and the in-flight chain — every
 * tick, step and pause-flush waits for the one before, so two steps never interleave (a
 * second-order step awaits its reads). Long ticks yield to the event loop so the page's
 * pings (client/watchdog.ts) and a pause get through. Free of messaging and of views: what
 * a tick sends and what a stop redraws are the hooks' business.
 */
import type { Session } from '../engine';
import type { PlayState } from '../protocol/messages';
import type { Pace } from './pace';

/**
 * A frame that has run this long yields to the event loop between steps, so the page's
 * pings (client/watchdog.ts) and a pause get through even at 1000 slow steps per frame.
 */
const YIELD_MS = 100;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export interface SchedulerHooks {
  /** The session to advance, or null when none is loaded. */
  session(): Session | null;
  /** Steps per tick and the tick's length, from the view settings in force. */
  pace(): Pace;
  /**
   * After a tick's or a step's steps, while `s` is still the session: send what the runs
   * gained. `stopped`: the runs do not go on (done, or not playing), so a checkpoint is due.
   */
  advanced(s: Session, stopped: boolean): Promise<void>;
  /** On Pause, once the tick in flight has ended: send the last steps with a checkpoint. */
  paused(s: Session): Promise<void>;
  /** The play state changed (the page is told; a stop refits the views). */
  changed(state: PlayState): void;
  error(message: string): void;
}

export interface Scheduler {
  state(): PlayState;
  /** Set the play state (and tell the hooks): a load lands paused, a finished replay done. */
  set(state: PlayState): void;
  play(): void;
  pause(): void;
  /** One step (pausing first), after whatever is in flight. */
  step(): Promise<void>;
  /**
   * Run a load or restart. A Play that arrives while one awaits would set the old session
   * playing and then be undone when the new one lands paused, so it is held and applied
   * once the last load has ended.
   */
  hold<T>(loading: () => Promise<T>): Promise<T>;
  /** Stop the tick timer; resolves when the tick in flight has ended (a load replaces the session). */
  stop(): Promise<void>;
  /** Resolves when no tick, step or pause-flush is in flight. */
  settled(): Promise<void>;
  /** The longest single step (ms) since the last `resetTiming` (the watchdog's allowance). */
  slowestStepMs(): number;
  resetTiming(): void;
  dispose(): void;
}

export function createScheduler(hooks: SchedulerHooks): Scheduler {
  let state: PlayState = 'idle';
  let inFlight: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let slowestStep = 0;
  /** Loads in progress, and whether Play was asked for meanwhile (`hold`). */
  let starting = 0;
  let playAfterStart = false;

  const set = (next: PlayState): void => {
    state = next;
    hooks.changed(next);
  };

  async function advance(n: number): Promise<void> {
    const s = hooks.session();
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
    if (hooks.session() !== s) return;
    await hooks.advanced(s, s.done || state !== 'playing');
    if (s.done) set('done');
  }

  function schedule(): void {
    if (state !== 'playing' || timer) return;
    const started = Date.now();
    const { steps, intervalMs } = hooks.pace();
    inFlight = inFlight
      .catch(() => {})
      .then(() => advance(steps))
      .catch((err: unknown) => {
        hooks.error(`run stopped: ${String(err)}`);
        set('paused');
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

  function play(): void {
    if (starting > 0) {
      playAfterStart = true;
      return;
    }
    if (!hooks.session() || state === 'done') return;
    set('playing');
    schedule();
  }

  return {
    state: () => state,
    set,
    play,
    pause() {
      playAfterStart = false;
      stopTimer();
      if (state === 'playing') set('paused');
      // Between steps: the last steps of the play get a checkpoint even if throttled.
      const s = hooks.session();
      inFlight = inFlight
        .then(() => (s && hooks.session() === s ? hooks.paused(s) : undefined))
        .catch((err: unknown) => hooks.error(`run stopped: ${String(err)}`));
    },
    step() {
      stopTimer();
      // Chained at once: steps asked for while one runs take their turn, never two at once
      // (a second-order step awaits its reads, so two could interleave).
      const run = inFlight
        .catch(() => {})
        .then(async () => {
          const s = hooks.session();
          if (!s || s.done) return;
          if (state === 'playing') set('paused');
          await advance(1);
        });
      inFlight = run;
      return run;
    },
    hold(loading) {
      starting += 1;
      const done = (): void => {
        starting -= 1;
        if (starting === 0 && playAfterStart) {
          playAfterStart = false;
          play();
        }
      };
      // No extra await around the load: its caller resumes on the same tick as before.
      const p = loading();
      void p.then(done, done);
      return p;
    },
    stop() {
      stopTimer();
      return inFlight;
    },
    settled: () => inFlight,
    slowestStepMs: () => slowestStep,
    resetTiming() {
      slowestStep = 0;
    },
    dispose: stopTimer,
  };
}

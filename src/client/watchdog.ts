/**
 * The hang watchdog (docs/reliability.md): a worker that is alive but no longer answers — an endless
 * loop, a step that never ends — fires no `error` event, so the page pings it. The worker
 * answers between frames (the run loop yields to its event loop at least every
 * ~`YIELD_MS`, analyses and landscapes between chunks), so a ping unanswered for `hangMs`
 * means the worker is stuck.
 *
 * What is not a hang: while the page itself awaits a call that runs without yielding
 * (loading, resetting, one step, a restore replay — `busy()`), silence does not count, nor
 * does silence across a late check (the page's own thread was blocked or throttled); and
 * the worker reports its slowest single step so far, so a problem whose every step is
 * legitimately slow gets `stepFactor` × that step on top of the limit.
 */

/** What the worker answers to a ping. */
export interface Pong {
  /** The longest single engine step (ms) of the loaded experiment, 0 before the first. */
  slowestStepMs: number;
}

export interface WatchdogOptions {
  ping(): Promise<Pong>;
  /** True while the page awaits a call that may run without yielding; silence then does not count. */
  busy(): boolean;
  /** Called once, with the silence in ms, when the worker is judged hung; the watchdog stops. */
  onHang(silentMs: number): void;
  /** Milliseconds without an answer (while not busy) that mean hung. */
  hangMs?: number;
  /** How often to check (ms). */
  intervalMs?: number;
  /** Allowance per ms of the slowest step seen. */
  stepFactor?: number;
  /** Clock (ms), injectable for tests. */
  now?: () => number;
}

export interface Watchdog {
  stop(): void;
}

/** Default silence that means hung: long enough for a slow frame on a loaded 2-core machine. */
export const HANG_MS = 8000;

/** Start watching; the first ping goes out after `intervalMs`. */
export function createWatchdog(options: WatchdogOptions): Watchdog {
  const { ping, busy, onHang } = options;
  const hangMs = options.hangMs ?? HANG_MS;
  const intervalMs = options.intervalMs ?? 1000;
  const stepFactor = options.stepFactor ?? 3;
  const now = options.now ?? (() => performance.now());
  /** When the unanswered ping went out (or the clock restarted after a busy spell); null: none out. */
  let waitingSince: number | null = null;
  let slowest = 0;
  let stopped = false;
  let lastTick = now();

  const timer = setInterval(() => {
    if (stopped) return;
    const t = now();
    // A late tick means the page itself was blocked (or throttled): the answer may be queued
    // behind this tick, so the silence is not the worker's. Likewise while the page waits on
    // the worker anyway (busy). Either way, restart the clock of the ping in flight.
    const late = t - lastTick > 2 * intervalMs;
    lastTick = t;
    if (busy() || late) {
      if (waitingSince !== null) waitingSince = t;
      if (busy()) return;
    }
    if (waitingSince === null) {
      waitingSince = t;
      ping().then(
        (pong) => {
          slowest = Math.max(slowest, pong.slowestStepMs);
          waitingSince = null;
        },
        () => undefined, // a dead worker is reported by its own fault handler
      );
      return;
    }
    const silent = t - waitingSince;
    if (silent > hangMs + stepFactor * slowest) {
      stop();
      onHang(silent);
    }
  }, intervalMs);

  function stop(): void {
    stopped = true;
    clearInterval(timer);
  }
  return { stop };
}

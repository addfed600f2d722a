/**
 * The hang watchdog on a fake clock: a worker that answers is never judged hung, one that
 * stops answering is, after `hangMs`; silence while the page awaits a call does not count,
 * and a worker whose steps are slow gets more time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWatchdog, type Pong } from './watchdog';

/** A fake worker: answers pings after `delay` ms, or never while `stuck`. */
function fakeWorker(slowestStepMs = 0) {
  const w = { stuck: false, delay: 5, pings: 0, slowestStepMs };
  const ping = (): Promise<Pong> => {
    w.pings += 1;
    return new Promise((resolve) => {
      if (!w.stuck) setTimeout(() => resolve({ slowestStepMs: w.slowestStepMs }), w.delay);
    });
  };
  return { w, ping };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('hang watchdog', () => {
  it('a worker that answers is never judged hung', async () => {
    const { w, ping } = fakeWorker();
    const onHang = vi.fn();
    const dog = createWatchdog({ ping, busy: () => false, onHang, hangMs: 3000, now: () => Date.now() });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(onHang).not.toHaveBeenCalled();
    expect(w.pings).toBeGreaterThan(20);
    dog.stop();
  });

  it('a worker that stops answering is judged hung after hangMs, once', async () => {
    const { w, ping } = fakeWorker();
    const onHang = vi.fn();
    createWatchdog({ ping, busy: () => false, onHang, hangMs: 3000, now: () => Date.now() });
    await vi.advanceTimersByTimeAsync(5000);
    w.stuck = true;
    const stuckAt = Date.now();
    await vi.advanceTimersByTimeAsync(2500);
    expect(onHang).not.toHaveBeenCalled();
    while (onHang.mock.calls.length === 0 && Date.now() - stuckAt < 20_000)
      await vi.advanceTimersByTimeAsync(100);
    expect(onHang).toHaveBeenCalledTimes(1);
    const silent = onHang.mock.calls[0]?.[0] as number;
    expect(silent).toBeGreaterThan(3000);
    // Detected within one check interval (plus the ping interval) of the limit.
    expect(Date.now() - stuckAt).toBeLessThan(3000 + 2 * 1000 + 1000);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(onHang).toHaveBeenCalledTimes(1);
  });

  it('silence while the page awaits a call does not count', async () => {
    const { w, ping } = fakeWorker();
    const onHang = vi.fn();
    let busy = true;
    createWatchdog({ ping, busy: () => busy, onHang, hangMs: 3000, now: () => Date.now() });
    w.stuck = true; // e.g. a long restore replay: no answer until it ends
    await vi.advanceTimersByTimeAsync(30_000);
    expect(onHang).not.toHaveBeenCalled();
    expect(w.pings).toBe(0);
    busy = false;
    await vi.advanceTimersByTimeAsync(6000);
    expect(onHang).toHaveBeenCalledTimes(1);
  });

  it('slow steps extend the limit by stepFactor × the slowest step', async () => {
    const { w, ping } = fakeWorker(2000);
    const onHang = vi.fn();
    createWatchdog({ ping, busy: () => false, onHang, hangMs: 3000, stepFactor: 3, now: () => Date.now() });
    await vi.advanceTimersByTimeAsync(3000); // learns slowestStepMs = 2000: limit 3 s + 6 s
    w.stuck = true;
    await vi.advanceTimersByTimeAsync(7000);
    expect(onHang).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(4000);
    expect(onHang).toHaveBeenCalledTimes(1);
  });

  it('a page that was itself blocked does not blame the worker', async () => {
    const { w, ping } = fakeWorker();
    const onHang = vi.fn();
    createWatchdog({ ping, busy: () => false, onHang, hangMs: 3000, now: () => Date.now() });
    await vi.advanceTimersByTimeAsync(2000);
    w.stuck = true;
    await vi.advanceTimersByTimeAsync(1000); // a ping goes out and gets no answer yet
    // The page's thread is blocked for 10 s: the clock moves, no timer runs; the next check is late.
    vi.setSystemTime(Date.now() + 10_000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(onHang).not.toHaveBeenCalled();
    // Still no answer with the page running normally: hung.
    await vi.advanceTimersByTimeAsync(5000);
    expect(onHang).toHaveBeenCalledTimes(1);
  });
});

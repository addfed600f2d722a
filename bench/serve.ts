/**
 * Starting a local server for the benchmark robustly on a loaded machine: a free port
 * (the OS picks one when asked to bind port 0), and a wait that polls the URL with a
 * per-request timeout, gives up only after a generous bound, and fails early (with the
 * server's last output) when the server process has exited.
 */
import { createServer } from 'node:net';

/** A TCP port on `host` that was free a moment ago (bound to port 0, read, released). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === 'object') resolve(addr.port);
        else reject(new Error(`no port from ${String(addr)}`));
      });
    });
  });
}

/** Whether `port` on `host` can be bound now (nothing listens there). */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Pause between attempts (ms). */
  intervalMs?: number;
  /** Abort one request after this long (ms), so a stalled request cannot eat the bound. */
  requestMs?: number;
  /** A reason to stop waiting at once (e.g. the server exited), or null while it may still come up. */
  gone?: () => string | null;
}

/** Outcome of waiting for a URL: ok after `ms`, or not, with why. */
export type WaitResult = { ok: true; ms: number } | { ok: false; ms: number; reason: string };

/** Poll `url` until it answers 2xx, the server is gone, or `timeoutMs` passes; never throws. */
export async function waitForHttp(url: string, opts: WaitOptions): Promise<WaitResult> {
  const t0 = Date.now();
  const interval = opts.intervalMs ?? 250;
  const requestMs = opts.requestMs ?? 5000;
  let lastError: string;
  for (;;) {
    const gone = opts.gone?.();
    if (gone) return { ok: false, ms: Date.now() - t0, reason: gone };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(requestMs) });
      if (res.ok) return { ok: true, ms: Date.now() - t0 };
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      lastError = `${err instanceof Error ? err.message : String(err)}${cause}`;
    }
    const left = opts.timeoutMs - (Date.now() - t0);
    if (left <= 0)
      return {
        ok: false,
        ms: Date.now() - t0,
        reason: `no answer from ${url} within ${(opts.timeoutMs / 1000).toFixed(0)} s (last: ${lastError})`,
      };
    await new Promise((r) => setTimeout(r, Math.min(interval, left)));
  }
}

/**
 * The benchmark's server start: a free port, a bounded wait that survives a slow or
 * stalled server, an early stop when the server is gone, and `vite preview` itself
 * started on a picked port (and a clear failure when a fixed port is taken).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, portFree, waitForHttp } from './serve';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An HTTP server answering 200 "hi" on `port`. */
function listenOk(port: number): Server {
  const srv = createHttpServer((_, res) => res.end('hi'));
  srv.listen(port, '127.0.0.1');
  closers.push(() => new Promise((r) => srv.close(() => r())));
  return srv;
}

describe('freePort and portFree', () => {
  it('gives a port that a server can then listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portFree(port)).toBe(true);
    const srv = listenOk(port);
    await new Promise((r) => srv.once('listening', r));
    expect((await fetch(`http://127.0.0.1:${port}`)).ok).toBe(true);
    expect(await portFree(port)).toBe(false);
  });
});

describe('waitForHttp', () => {
  it('waits for a server that comes up late', async () => {
    const port = await freePort();
    setTimeout(() => listenOk(port), 600);
    const r = await waitForHttp(`http://127.0.0.1:${port}`, { timeoutMs: 20_000, intervalMs: 100 });
    expect(r.ok).toBe(true);
    expect(r.ms).toBeGreaterThanOrEqual(500);
  });

  it('gives up after its bound when nothing answers, and says so', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await waitForHttp(`http://127.0.0.1:${port}`, { timeoutMs: 700, intervalMs: 100 });
    expect(r.ok).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
    if (!r.ok) expect(r.reason).toMatch(/no answer from .* within 1 s \(last: .+\)/);
  });

  it('does not hang on a server that accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const srv = createTcpServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    closers.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    });
    const addr = srv.address();
    const port = addr && typeof addr === 'object' ? addr.port : 0;
    const t0 = Date.now();
    const r = await waitForHttp(`http://127.0.0.1:${port}`, { timeoutMs: 800, requestMs: 300 });
    expect(r.ok).toBe(false);
    // One request is cut off after 300 ms, so the wait ends near its bound, not never.
    expect(Date.now() - t0).toBeLessThan(5_000);
    if (!r.ok) expect(r.reason).toMatch(/within/);
  });

  it('stops at once when the server is gone', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await waitForHttp(`http://127.0.0.1:${port}`, { timeoutMs: 60_000, gone: () => 'exited (1)' });
    expect(r).toMatchObject({ ok: false, reason: 'exited (1)' });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('startPreview', () => {
  const saved = { BENCH_PORT: process.env.BENCH_PORT, E2E_PORT: process.env.E2E_PORT };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('serves a build on a free port, and fails clearly when its port is taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-preview-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bench preview test</title>');
    process.env.VITE_OUT_DIR = dir;
    delete process.env.BENCH_PORT;
    delete process.env.E2E_PORT;
    // browser-build reads VITE_OUT_DIR when it is first imported.
    const { startPreview } = await import('./browser-build');
    const preview = await startPreview();
    try {
      const page = await fetch(preview.url);
      expect(await page.text()).toContain('bench preview test');
      // The same port, fixed, is taken now: the start refuses it at once (the server
      // answering there is not a new preview) and says why.
      process.env.BENCH_PORT = new URL(preview.url).port;
      await expect(startPreview()).rejects.toThrow(/vite preview cannot start: port \d+ .* is in use/);
    } finally {
      preview.stop();
      delete process.env.VITE_OUT_DIR;
    }
  }, 120_000);
});

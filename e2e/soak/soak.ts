/**
 * `npm run soak`: a long session in the real page (docs/reliability.md). It builds the page into a
 * temporary folder, serves it with `vite preview` (the CSP headers included), opens it in
 * Chromium with 16 runs (8 optimizers, each in θ and in φ), trains for --minutes (10 by
 * default) and samples every --interval seconds (30): the worker's tf.memory().numTensors,
 * the page's performance.memory.usedJSHeapSize and its heap after a forced GC, and the DOM
 * node count. When the runs reach --steps it presses Reset and Play again, and measures the
 * heap right after each reset, where the stored trajectories are the same. Prints a table
 * and whether anything grew beyond noise (exit status 1 if so). Not part of `npm test`.
 *
 *   npm run soak -- --minutes 2 --backend wasm
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { chromiumArgs, findChromium } from '../browser';
import { waitForReset } from '../lab';
import { table, verdict, type Baseline, type Sample } from './stats';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const minutes = Number(option('minutes', '10'));
const interval = Number(option('interval', '30'));
const backend = option('backend', 'wasm');
const steps = Number(option('steps', '1500'));

/** 16 runs: 8 optimizers (first- and second-order), each in θ = (μ, σ) and in φ with σ = e^s. */
const experiment = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'exp', coords: [1] },
  optimizers: ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop', 'ngd', 'diag-fisher', 'newton'].map((id) => ({
    id,
    lr: 0.01,
  })),
  steps,
  seed: 1,
  init: [-1, 2],
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`preview server did not start at ${url}`);
}

async function main(): Promise<number> {
  const outDir = mkdtempSync(join(tmpdir(), 'reparam-soak-'));
  console.log(`building into ${outDir} …`);
  execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--logLevel', 'warn'], { stdio: 'inherit' });
  const port = await freePort();
  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { stdio: 'ignore', detached: true },
  );
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: [...chromiumArgs, '--enable-precise-memory-info'],
  });
  try {
    await waitForServer(base);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cdp = await page.context().newCDPSession(page);
    const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;
    await page.goto(`${base}/?backend=${backend}${hash}`);
    await page.waitForFunction(() => window.reparamLab !== undefined);
    await page.evaluate(() => window.reparamLab?.ready);
    const info = await page.evaluate(() => window.reparamLab?.state());
    console.log(`backend ${info?.backend}, ${info?.runs.length} runs, reset every ${steps} steps`);

    const heapAfterGc = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const probe = (p: Page) =>
      p.evaluate(async () => {
        const lab = window.reparamLab as NonNullable<typeof window.reparamLab>;
        const mem = await lab.debug?.memory();
        const perf = performance as Performance & { memory?: { usedJSHeapSize: number } };
        return {
          step: lab.state().step,
          playState: lab.state().playState,
          numTensors: mem?.numTensors ?? NaN,
          tensorBytes: mem?.numBytes ?? NaN,
          jsHeap: perf.memory?.usedJSHeapSize ?? NaN,
          domNodes: document.getElementsByTagName('*').length,
        };
      });

    const samples: Sample[] = [];
    const baselines: Baseline[] = [];
    let cycle = 0;
    const baseline = async (): Promise<void> => {
      const p = await probe(page);
      baselines.push({
        cycle,
        heapAfterGc: await heapAfterGc(),
        numTensors: p.numTensors,
        domNodes: p.domNodes,
      });
    };
    await baseline();
    await page.getByRole('button', { name: 'Play' }).click();
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    let nextSample = t0;
    while (Date.now() < end) {
      if (Date.now() >= nextSample) {
        const p = await probe(page);
        samples.push({ t: (Date.now() - t0) / 1000, cycle, ...p, heapAfterGc: await heapAfterGc() });
        const s = samples[samples.length - 1] as Sample;
        console.log(
          `t=${Math.round(s.t)}s step ${s.step} tensors ${s.numTensors} heap ${(s.heapAfterGc / 2 ** 20).toFixed(1)} MB dom ${s.domNodes}`,
        );
        nextSample += interval * 1000;
      }
      const state = await page.evaluate(() => window.reparamLab?.state().playState);
      if (state === 'done') {
        await page.getByRole('button', { name: 'Reset' }).click();
        await waitForReset(page);
        cycle += 1;
        await baseline();
        await page.getByRole('button', { name: 'Play' }).click();
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`\nSoak: ${minutes} min, 16 runs on ${info?.backend}, sample every ${interval} s\n`);
    console.log(table(samples));
    console.log(
      `\nresets: ${cycle}; baselines after reset + GC (MB): ${baselines.map((b) => (b.heapAfterGc / 2 ** 20).toFixed(2)).join(', ')}`,
    );
    const v = verdict(samples, baselines);
    for (const line of v.lines) console.log(line);
    if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
    console.log(
      v.grew || errors.length
        ? 'RESULT: growth beyond noise (or page errors)'
        : 'RESULT: no growth beyond noise',
    );
    return v.grew || errors.length ? 1 : 0;
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);

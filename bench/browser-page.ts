/**
 * The browser benchmark's measurements in one headless Chromium page each (Playwright's
 * library API): worker throughput per backend through the `reparamLab.debug.bench` hook,
 * frame rate and long tasks while 16 runs train, and start-up to the first drawn trajectory.
 */
import type { Browser, Page } from '@playwright/test';
import LZString from 'lz-string';
import type { BackendName, BenchReply } from '../src/protocol/messages';
import type { AutomationState } from '../src/client/automation';

/** What headless Chromium offers for a GPU backend. */
export type GpuKind = 'hardware' | 'software' | 'none';

/**
 * A page in a fresh context: empty HTTP cache and storage, as a first visit. tsx compiles the
 * functions passed to page.evaluate with esbuild's `__name` helper, which the page lacks.
 */
export async function freshPage(browser: Browser): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  return { page, close: () => context.close() };
}

async function open(browser: Browser, url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const { page, close } = await freshPage(browser);
  await page.goto(url);
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
  return { page, close };
}

const state = (page: Page): Promise<AutomationState> =>
  page.evaluate(() => (window.reparamLab as NonNullable<typeof window.reparamLab>).state());

/** The page's own view of WebGPU (adapter, fallback flag) and WebGL2 (renderer string). */
export async function gpuKinds(page: Page): Promise<{ webgpu: GpuKind; webgl: GpuKind; renderer: string }> {
  return page.evaluate(async () => {
    interface Adapter {
      isFallbackAdapter?: boolean;
      info?: { isFallbackAdapter?: boolean };
    }
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
    let webgpu: 'hardware' | 'software' | 'none' = 'none';
    try {
      const a = gpu ? await gpu.requestAdapter() : null;
      if (a) webgpu = a.isFallbackAdapter || a.info?.isFallbackAdapter ? 'software' : 'hardware';
    } catch {
      webgpu = 'none';
    }
    const gl = document.createElement('canvas').getContext('webgl2');
    let renderer = '';
    if (gl) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    }
    const webgl = !gl ? 'none' : /swiftshader|llvmpipe|software/i.test(renderer) ? 'software' : 'hardware';
    return { webgpu, webgl, renderer };
  });
}

/** Throughput of one backend, or why there is none. */
export interface BackendThroughput {
  backend: BackendName;
  /** hardware/software for GPUs, 'cpu' for wasm and cpu; unavailable: it did not start. */
  kind: GpuKind | 'cpu' | 'unavailable';
  rows: BenchReply['rows'];
  /** wasm only: wall ms of each digits 64×64 slice grid and gd step in the page's worker. */
  digits?: BenchReply['digits'];
  note?: string;
}

/** Load the page forced to `backend` and time batched gd runs (and, if asked, the digits problem) in its worker. */
export async function backendThroughput(
  browser: Browser,
  base: string,
  backend: BackendName,
  kind: GpuKind | 'cpu',
  opts: { runs: number[]; rounds: number; targetMs: number; digits?: { slices: number; steps: number } },
): Promise<BackendThroughput> {
  if (kind === 'none') return { backend, kind: 'unavailable', rows: [], note: 'no adapter / no context' };
  const { page, close } = await open(browser, `${base}/?backend=${backend}`);
  try {
    const running = (await state(page)).backend;
    if (running !== backend)
      return { backend, kind: 'unavailable', rows: [], note: `did not start (page fell back to ${running})` };
    const reply = await page.evaluate((o) => window.reparamLab?.debug?.bench(o), opts);
    if (!reply) throw new Error('the page has no bench hook');
    return { backend, kind, rows: reply.rows, ...(reply.digits ? { digits: reply.digits } : {}) };
  } finally {
    await close();
  }
}

/** The benchmark network (2-16-16-1 tanh MLP) with 16 gd runs, long enough to train through the window. */
export function sixteenRunsHash(): string {
  const experiment = {
    version: 1,
    problem: { id: 'mlp', dataset: 'spiral', hidden: [16, 16], activation: 'tanh', n: 256, testFraction: 0 },
    optimizers: Array.from({ length: 16 }, () => ({ id: 'gd', lr: 0.1 })),
    steps: 100000,
    seed: 0,
  };
  return `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;
}

/** One window of the page while it trains. */
export interface FrameWindow {
  seconds: number;
  fps: number;
  /** Durations (ms) of main-thread long tasks (> 50 ms) inside the window. */
  longTasks: number[];
  /** Training steps taken in the window (every run advances together). */
  steps: number;
  backend: string | null;
}

/**
 * Open the 16-run experiment, wait for start-up to end (ready, first trajectory drawn, one
 * more second for the landscape), press Play and count frames and long tasks for `seconds`.
 */
export async function frameWindow(
  browser: Browser,
  base: string,
  query: string,
  seconds: number,
): Promise<FrameWindow> {
  // A link plays once loaded unless `paused=1`: opened paused, start-up stays out of the window.
  const paused = query ? `${query}&paused=1` : '?paused=1';
  const { page, close } = await open(browser, `${base}/${paused}${sixteenRunsHash()}`);
  try {
    await page.waitForFunction(() => performance.getEntriesByName('first-trajectory').length > 0, undefined, {
      timeout: 60_000,
    });
    await page.waitForTimeout(1000); // start-up is excluded: the landscape grid lands meanwhile
    const step0 = (await state(page)).step;
    await page.getByRole('button', { name: 'Play' }).click();
    const out = await page.evaluate(async (ms) => {
      const longTasks: number[] = [];
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      obs.observe({ type: 'longtask' });
      let frames = 0;
      let running = true;
      const tick = (): void => {
        frames++;
        if (running) requestAnimationFrame(tick);
      };
      const t0 = performance.now();
      requestAnimationFrame(tick);
      await new Promise((r) => setTimeout(r, ms));
      running = false;
      const elapsed = (performance.now() - t0) / 1000;
      obs.disconnect();
      return { frames, elapsed, longTasks };
    }, seconds * 1000);
    const s = await state(page);
    return {
      seconds: out.elapsed,
      fps: out.frames / out.elapsed,
      longTasks: out.longTasks,
      steps: s.step - step0,
      backend: s.backend,
    };
  } finally {
    await close();
  }
}

/** One page load: milliseconds from navigation start to the ready handle and to the first trajectory. */
export interface StartupLoad {
  readyMs: number;
  firstTrajectoryMs: number;
  backend: string | null;
  /** How the backend was chosen (the automatic choice's warm-up). */
  choice: AutomationState['backendChoice'];
}

export async function startupLoad(browser: Browser, base: string, query: string): Promise<StartupLoad> {
  const { page, close } = await open(browser, `${base}/${query}`);
  try {
    const readyMs = await page.evaluate(() => performance.now());
    await page.waitForFunction(() => performance.getEntriesByName('first-trajectory').length > 0, undefined, {
      timeout: 60_000,
    });
    const firstTrajectoryMs = await page.evaluate(
      () => performance.getEntriesByName('first-trajectory')[0]?.startTime ?? Number.NaN,
    );
    const s = await state(page);
    return { readyMs, firstTrajectoryMs, backend: s.backend, choice: s.backendChoice };
  } finally {
    await close();
  }
}

/** One scene playing at its own speed: frame intervals on the main thread. */
export interface SceneFrames {
  scene: string;
  /** 'normal' at 1280×720 or 'present' (presentation mode) at 1920×1080. */
  mode: 'normal' | 'present';
  seconds: number;
  fps: number;
  /** Longest interval between two animation frames (ms), and the 95th percentile. */
  maxFrameMs: number;
  p95FrameMs: number;
  /** Intervals over 50 ms. */
  slowFrames: number;
  longTasks: number[];
  steps: number;
  backend: string | null;
}

/**
 * Open `experiment` (a scene's) on wasm, playing, wait out start-up, then record every
 * animation frame's interval for `seconds` while it trains.
 */
export async function sceneFrames(
  browser: Browser,
  base: string,
  scene: { id: string; experiment: unknown },
  mode: 'normal' | 'present',
  seconds: number,
): Promise<SceneFrames> {
  const context = await browser.newContext({
    viewport: mode === 'present' ? { width: 1920, height: 1080 } : { width: 1280, height: 720 },
  });
  await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  const page = await context.newPage();
  try {
    const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(scene.experiment))}`;
    await page.goto(`${base}/?backend=wasm${mode === 'present' ? '&present=1' : ''}${hash}`);
    await page.waitForFunction(() => window.reparamLab !== undefined);
    await page.evaluate(() => window.reparamLab?.ready);
    await page.waitForFunction(() => performance.getEntriesByName('first-trajectory').length > 0, undefined, {
      timeout: 60_000,
    });
    await page.waitForTimeout(1000);
    const step0 = (await state(page)).step;
    const out = await page.evaluate(async (ms) => {
      const longTasks: number[] = [];
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(e.duration);
      });
      obs.observe({ type: 'longtask' });
      const times: number[] = [];
      let running = true;
      const tick = (t: number): void => {
        times.push(t);
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      await new Promise((r) => setTimeout(r, ms));
      running = false;
      obs.disconnect();
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      return { gaps, elapsed: ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000, longTasks };
    }, seconds * 1000);
    const s = await state(page);
    const sorted = [...out.gaps].sort((a, b) => a - b);
    return {
      scene: scene.id,
      mode,
      seconds: out.elapsed,
      fps: out.gaps.length / Math.max(1e-9, out.elapsed),
      maxFrameMs: sorted.at(-1) ?? 0,
      p95FrameMs: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0,
      slowFrames: out.gaps.filter((g) => g > 50).length,
      longTasks: out.longTasks,
      steps: s.step - step0,
      backend: s.backend,
    };
  } finally {
    await context.close();
  }
}

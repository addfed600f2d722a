/**
 * The browser part of `npm run bench` (docs/performance.md): builds the page if needed, serves it with
 * `vite preview`, and drives headless Chromium through Playwright's library API (not as a
 * test): (a) worker throughput per backend (and on wasm the digits slice grid and gd step), (b) frame rate and long tasks while 16 runs
 * train, (c) start-up to the first drawn trajectory, (d) the built JavaScript's size.
 * Medians over repetitions; targets as in docs/performance.md.
 */
import { chromium } from '@playwright/test';
import { chromiumArgs, findChromium } from '../e2e/browser';
import type { BackendName } from '../src/protocol/messages';
import { bundleSizes, ensureBuild, outDir, startPreview, type ChunkSize } from './browser-build';
import {
  backendThroughput,
  frameWindow,
  freshPage,
  gpuKinds,
  sceneFrames,
  startupLoad,
  type SceneFrames,
  type BackendThroughput,
  type FrameWindow,
  type StartupLoad,
} from './browser-page';
import { machineLoad, median } from './stats';
import { restoreTime, type RestoreTime } from './browser-restore';
import { scenes } from '../src/state/scenes';

/** Whether a Chromium for the browser part exists here. */
export function chromiumPresent(): boolean {
  try {
    findChromium();
    return true;
  } catch {
    return false;
  }
}

export const browserTargets = { fps: 50, longTasks: 0, startupMs: 2000, frameMs: 50, restoreMs: 2000 };

export interface BrowserReport {
  chromium: string;
  version: string;
  outDir: string;
  built: boolean;
  gpu: { webgpu: string; webgl: string; renderer: string };
  throughput: BackendThroughput[];
  /** The automatic choice on this page: what it measured and kept. */
  autoChoice: { backend: string | null; reason: string | null; measurements: unknown[] };
  frames: { windows: FrameWindow[]; fps: number; longTasks: number; maxLongTaskMs: number; pass: boolean };
  /**
   * Scenes playing at their own speed on wasm (scene 8, K-FAC, the heaviest; every scene in a
   * full run), at 1280×720 and in presentation mode at 1920×1080.
   */
  scenes: { runs: SceneFrames[]; pass: boolean };
  startup: {
    wasm: StartupLoad[];
    auto: StartupLoad[];
    medianMs: number;
    autoMedianMs: number;
    pass: boolean;
  };
  /** Worker crashed mid-run: the page's restore time (fault → runs restored), per load. */
  restore: { loads: RestoreTime[]; medianMs: number; pass: boolean };
  bundle: ChunkSize[];
  /** 1-minute load average before and after (the machine may be shared: timings are noisy). */
  load: { before: number; after: number; cores: number };
  seconds: number;
}

export interface BrowserPlan {
  runs: number[];
  rounds: number;
  targetMs: number;
  frameWindows: number;
  frameSeconds: number;
  loads: number;
  /** On wasm: how many digits 64×64 slice grids and single gd steps to time in the page. */
  digits: { slices: number; steps: number };
  /** Scene ids whose frames are measured, and for how long each. */
  scenes: string[];
  sceneSeconds: number;
}

export async function browserBench(plan: BrowserPlan, log: (s?: string) => void): Promise<BrowserReport> {
  const t0 = performance.now();
  const loadBefore = machineLoad();
  const built = ensureBuild();
  log(`\nbrowser: ${built ? 'built' : 'reused'} ${outDir}/; serving it with vite preview`);
  const bundle = bundleSizes();
  const preview = await startPreview();
  log(`browser: vite preview answered on ${preview.url} after ${(preview.startMs / 1000).toFixed(1)} s`);
  const executable = findChromium();
  const browser = await chromium.launch({ executablePath: executable, args: chromiumArgs, headless: true });
  try {
    const probe = await freshPage(browser);
    await probe.page.goto(`${preview.url}/?backend=cpu`);
    const gpu = await gpuKinds(probe.page);
    await probe.close();

    const kinds: Record<BackendName, 'hardware' | 'software' | 'none' | 'cpu'> = {
      webgpu: gpu.webgpu,
      webgl: gpu.webgl,
      wasm: 'cpu',
      cpu: 'cpu',
    };
    const throughput: BackendThroughput[] = [];
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
      log(`browser (a): ${backend} (${kinds[backend]})…`);
      try {
        // The digits slice and step on wasm, the backend the lab runs on here (docs/performance.md).
        const digits = backend === 'wasm' ? plan.digits : undefined;
        throughput.push(
          await backendThroughput(browser, preview.url, backend, kinds[backend], { ...plan, digits }),
        );
      } catch (err) {
        throughput.push({ backend, kind: 'unavailable', rows: [], note: `failed: ${String(err)}` });
      }
    }

    const auto = await startupLoad(browser, preview.url, '');

    log('browser (b): 16 runs training…');
    const windows: FrameWindow[] = [];
    for (let i = 0; i < plan.frameWindows; i++)
      windows.push(await frameWindow(browser, preview.url, '', plan.frameSeconds));
    const fps = median(windows.map((w) => w.fps));
    const longTasks = median(windows.map((w) => w.longTasks.length));

    log(`browser (b'): scenes ${plan.scenes.join(', ')} playing…`);
    const sceneRuns: SceneFrames[] = [];
    for (const id of plan.scenes) {
      const scene = scenes.find((x) => x.id === id);
      if (!scene) continue;
      for (const mode of ['normal', 'present'] as const)
        sceneRuns.push(await sceneFrames(browser, preview.url, scene, mode, plan.sceneSeconds));
    }

    log('browser (c): start-up…');
    const wasm: StartupLoad[] = [];
    const autos: StartupLoad[] = [auto];
    for (let i = 0; i < plan.loads; i++) {
      wasm.push(await startupLoad(browser, preview.url, '?backend=wasm'));
      if (autos.length < plan.loads) autos.push(await startupLoad(browser, preview.url, ''));
    }
    const medianMs = median(wasm.map((l) => l.firstTrajectoryMs));

    log('browser (d): restore after a worker crash…');
    const restores: RestoreTime[] = [];
    for (let i = 0; i < plan.loads; i++) restores.push(await restoreTime(browser, preview.url));
    const restoreMedian = median(restores.map((r) => r.ms));
    return {
      chromium: executable,
      version: browser.version(),
      outDir,
      built,
      gpu,
      throughput,
      autoChoice: {
        backend: auto.backend,
        reason: auto.choice?.reason ?? null,
        measurements: auto.choice?.measurements ?? [],
      },
      frames: {
        windows,
        fps,
        longTasks,
        maxLongTaskMs: Math.max(0, ...windows.flatMap((w) => w.longTasks)),
        pass: fps >= browserTargets.fps && windows.every((w) => w.longTasks.length === 0),
      },
      scenes: {
        runs: sceneRuns,
        pass: sceneRuns.every((r) => r.fps >= browserTargets.fps && r.maxFrameMs <= browserTargets.frameMs),
      },
      startup: {
        wasm,
        auto: autos,
        medianMs,
        autoMedianMs: median(autos.map((l) => l.firstTrajectoryMs)),
        pass: medianMs <= browserTargets.startupMs,
      },
      restore: { loads: restores, medianMs: restoreMedian, pass: restoreMedian <= browserTargets.restoreMs },
      bundle,
      load: { before: loadBefore.load1, after: machineLoad().load1, cores: loadBefore.cores },
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await browser.close();
    preview.stop();
  }
}

/** The plan for a full or a `--quick` run. */
export const browserPlan = (quick: boolean): BrowserPlan => ({
  runs: [1, 4, 16, 64],
  rounds: quick ? 2 : 5,
  targetMs: quick ? 150 : 300,
  frameWindows: quick ? 1 : 3,
  frameSeconds: quick ? 3 : 10,
  loads: quick ? 2 : 5,
  digits: { slices: quick ? 1 : 3, steps: quick ? 10 : 30 },
  scenes: quick ? ['kfac-layer-rescaling'] : scenes.map((s) => s.id),
  sceneSeconds: quick ? 4 : 6,
});

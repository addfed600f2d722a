/**
 * Backend choice for the worker. The automatic choice starts each available backend, times
 * a short warm-up (a few steps of the experiment about to load, else of a small fixed
 * network) and keeps the fastest, and runs again when a loaded experiment's size class
 * differs (backend-fit.ts); a forced
 * backend falls back in the order webgpu, webgl, wasm, cpu. `tf.setBackend` resolves to
 * false (it does not throw) when a backend cannot start, so each try is checked. A software
 * WebGPU adapter (SwiftShader, `isFallbackAdapter`) or WebGL renderer is far slower than
 * wasm here, so the automatic choice skips it unmeasured; a forced one still uses it.
 */
// zod without its eval probe before any schema exists (CSP; zod-jitless.ts).
import '../zod-jitless';
// tfjs-core's entry first: it registers the environment flags that the deep imports below read
// when they run (in `vite dev` each is a separate pre-bundled entry, evaluated in import order).
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
// Chained ops (t.reshape(...)) as in Node's bundle, so engine code behaves the same in both.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { tf, backendNames } from '../engine';
import type { BackendInfo, BackendMeasurement, BackendName, BackendRequest } from '../protocol/messages';
import { warmupTiming } from './step-timing';
import type { Workload } from './workload';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// Anything the CSP blocks in the worker is logged (the browser tests count these lines).
globalThis.addEventListener('securitypolicyviolation', (e) => {
  const v = e as SecurityPolicyViolationEvent;
  console.error(`CSP violation in the engine worker: ${v.violatedDirective} blocked ${v.blockedURI}`);
});
// Threaded wasm stays off, and the page is not cross-origin isolated. In tfjs 4.22 its pthreads
// importScripts the factory's own source from a Blob (the CSP's script-src blocks it; minified,
// that source names a variable outside itself), and its pool is capped at hardwareConcurrency / 2
// threads (1 on 2 cores). Measured with both worked around: docs/performance.md, 2026-12-07.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

type WebGpuKind = 'absent' | 'none' | 'software' | 'hardware';

/**
 * Whether the browser has WebGPU at all (Firefox on Linux has no `navigator.gpu`), whether
 * it gives an adapter, and whether that adapter is a software fallback.
 */
async function probeWebGpu(): Promise<WebGpuKind> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return 'absent';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'none';
    return adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter ? 'software' : 'hardware';
  } catch {
    return 'none';
  }
}

const webGpuNote = (kind: 'absent' | 'none'): string =>
  kind === 'absent' ? 'not in this browser' : 'no adapter in this browser';

/**
 * The WebGL renderer a worker gets (WebGL2, else WebGL1, as tfjs tries them), or null when
 * the worker gets no WebGL context at all: no OffscreenCanvas, WebGL off, or no GPU to
 * render with (headless Firefox without a GPU).
 */
function webGlRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

const NO_WEBGL = 'no WebGL context in this browser';

/** True when WebGL renders in software (SwiftShader, llvmpipe): wasm beats it. */
const softwareRenderer = (renderer: string): boolean => /swiftshader|llvmpipe|software/i.test(renderer);

/**
 * Free a GPU backend's context and memory but keep it registered: `tf.removeBackend` also
 * forgets its factory, so it is registered again for a later automatic choice.
 */
function releaseBackend(name: BackendName): void {
  const factory = tf.findBackendFactory(name);
  tf.removeBackend(name);
  if (factory) tf.registerBackend(name, factory);
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return false;
    await tf.ready();
    // A backend can register yet fail its first kernel (e.g. a lost context): prove one op.
    const probe = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2]), 2)));
    const v = (await probe.data())[0];
    probe.dispose();
    return v === 6;
  } catch {
    return false;
  }
}

/**
 * Warm-up workload: 4 gd runs of the benchmark MLP (1 run would favour cpu, which does not
 * scale with runs); at most this many timed steps per backend (GPUs after one untimed step).
 */
const WARMUP_RUNS = 4;
const WARMUP_STEPS = 5;
/**
 * The warm-ups together aim to stay within this; each still takes one timed step (each
 * backend's own start-up — loading the wasm module, creating a GPU context — is not
 * counted: the chosen one needs it anyway).
 */
const WARMUP_TOTAL_MS = 600;
/** No backend gets more than this (beyond its one timed step): a slow one cannot starve the rest. */
const WARMUP_EACH_MS = 250;

const ms = (v: number): string => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms/step`;

/** "wasm chosen: 1.2 ms/step vs cpu 8.3 ms/step". */
function reasonFor(
  best: BackendMeasurement,
  measured: readonly BackendMeasurement[],
  workload: string,
): string {
  const others = measured.filter((m) => m !== best).map((m) => `${m.backend} ${ms(m.msPerStep ?? NaN)}`);
  return (
    `${best.backend} chosen: ${ms(best.msPerStep ?? NaN)}` +
    (others.length ? ` vs ${others.join(', ')}` : ' (the only backend measured)') +
    ` on ${workload}`
  );
}

/**
 * The automatic choice: start each candidate, time a short warm-up (a few gd steps of a
 * small fixed network, median) and keep the fastest. Software GPUs are skipped as before
 * (they are far slower than wasm here and their first step compiles for seconds).
 */
async function measureAndChoose(
  candidates: readonly BackendName[],
  notes: string[],
  workload: Workload | null = null,
): Promise<BackendInfo> {
  const t0 = performance.now();
  let spent = 0;
  const measurements: BackendMeasurement[] = [];
  for (const name of candidates) {
    if (name === 'webgpu') {
      const kind = await probeWebGpu();
      if (kind === 'software') {
        measurements.push({
          backend: name,
          status: 'skipped',
          note: 'software adapter (slower than wasm here)',
        });
        continue;
      }
      if (kind !== 'hardware') {
        measurements.push({ backend: name, status: 'unavailable', note: webGpuNote(kind) });
        continue;
      }
    }
    if (name === 'webgl') {
      const renderer = webGlRenderer();
      if (renderer === null) {
        measurements.push({ backend: name, status: 'unavailable', note: NO_WEBGL });
        continue;
      }
      if (softwareRenderer(renderer)) {
        measurements.push({
          backend: name,
          status: 'skipped',
          note: 'software renderer (slower than wasm here)',
        });
        continue;
      }
    }
    const left = WARMUP_TOTAL_MS - spent;
    if (left < 20 && measurements.some((m) => m.status === 'measured')) {
      measurements.push({ backend: name, status: 'skipped', note: 'warm-up time budget spent' });
      continue;
    }
    if (!(await tryBackend(name))) {
      measurements.push({ backend: name, status: 'unavailable', note: 'failed to start' });
      continue;
    }
    try {
      const budget = Math.max(20, Math.min(WARMUP_EACH_MS, left));
      const gpu = name === 'webgpu' || name === 'webgl';
      const t = await warmupTiming(WARMUP_RUNS, WARMUP_STEPS, budget, gpu, workload?.experiment);
      spent += t.spentMs;
      measurements.push({ backend: name, status: 'measured', msPerStep: t.msPerStep, steps: t.steps });
    } catch (err) {
      measurements.push({ backend: name, status: 'unavailable', note: `warm-up failed: ${String(err)}` });
    }
  }
  // Fastest first; the next one if the fastest cannot be selected again.
  const measured = measurements
    .filter((m) => m.status === 'measured')
    .sort((x, y) => (x.msPerStep ?? Infinity) - (y.msPerStep ?? Infinity));
  for (const m of measurements)
    if (m.status !== 'measured') notes.push(`${m.backend}: ${m.note ?? m.status}`);
  notes.push(
    `warm-ups took ${Math.round(spent)} ms; the choice ${Math.round(performance.now() - t0)} ms with start-ups`,
  );
  for (const best of measured) {
    if (!(await tryBackend(best.backend))) continue;
    // GPU backends that lost hold a context: release it (a later choice can start them again).
    for (const m of measured)
      if (m !== best && m.backend !== 'cpu' && m.backend !== 'wasm') releaseBackend(m.backend);
    const label = workload?.label ?? `${WARMUP_RUNS} gd runs of the 2-16-16-1 benchmark network`;
    const reason = reasonFor(best, measured, label);
    return {
      name: best.backend,
      requested: 'auto',
      notes: [reason, ...notes],
      measurements,
      reason,
      workload: label,
    };
  }
  throw new Error(`no tfjs backend could start (${notes.join('; ')})`);
}

/**
 * The backend the page's experiment is built on before any choice, to count its parameters
 * (workload.ts): cpu, which starts at once. Without it tfjs would start its highest-priority
 * backend (WebGPU) for those few tensors.
 */
export async function countingBackend(): Promise<void> {
  await tf.setBackend('cpu');
}

/**
 * The automatic choice again, for a loaded experiment of another size class (backend-fit.ts):
 * the same warm-up on `workload` among `candidates`. Nothing may hold tensors meanwhile (the
 * losing GPU backends are released). `note` says why it was chosen again.
 */
export function rechooseBackend(
  candidates: readonly BackendName[],
  workload: Workload,
  note: string,
): Promise<BackendInfo> {
  return measureAndChoose(candidates, [note], workload);
}

/**
 * Start the requested backend, falling back in order; the notes say what happened. 'auto'
 * measures the candidates (measureAndChoose). `after` (a backend whose GPU was lost): the
 * automatic choice among the backends after it.
 */
export async function chooseBackend(
  requested: BackendRequest,
  after?: BackendName,
  workload: Workload | null = null,
): Promise<BackendInfo> {
  if (after) {
    return measureAndChoose(
      backendNames.slice(backendNames.indexOf(after) + 1),
      [`${after}: its GPU was lost`],
      workload,
    );
  }
  if (requested === 'auto') return measureAndChoose(backendNames, [], workload);
  const notes: string[] = [];
  const order: BackendName[] = [
    requested,
    ...backendNames.filter((b) => b !== requested && backendNames.indexOf(b) > 0),
  ];
  for (const name of order) {
    if (name === 'webgpu') {
      const kind = await probeWebGpu();
      if (kind === 'absent' || kind === 'none') {
        notes.push(`webgpu: ${webGpuNote(kind)}`);
        continue;
      }
    }
    if (name === 'webgl' && webGlRenderer() === null) {
      notes.push(`webgl: ${NO_WEBGL}`);
      continue;
    }
    if (await tryBackend(name)) {
      if (name !== requested) notes.push(`${requested} not available; using ${name}`);
      return { name, requested, notes };
    }
    notes.push(`${name}: failed to start`);
  }
  throw new Error(`no tfjs backend could start (${notes.join('; ')})`);
}

/**
 * Backend choice for the worker: webgpu, then webgl, then wasm, then cpu. `tf.setBackend`
 * resolves to false (it does not throw) when a backend cannot start, so each try is
 * checked. A software WebGPU adapter (SwiftShader, `isFallbackAdapter`) is far slower
 * than wasm here, so the automatic choice skips it; a forced `webgpu` still uses it.
 */
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
import { z } from 'zod';
import { tf } from '../engine/tf';
import { backendNames, type BackendInfo, type BackendName, type BackendRequest } from '../protocol/messages';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});
// The page runs under a CSP without 'unsafe-eval' (vite.config.ts). zod probes `new Function` to
// decide on its JIT unless told not to; the probe is caught but still reported as a violation.
z.config({ jitless: true });
// Anything the CSP blocks in the worker is logged (the browser tests count these lines).
globalThis.addEventListener('securitypolicyviolation', (e) => {
  const v = e as SecurityPolicyViolationEvent;
  console.error(`CSP violation in the engine worker: ${v.violatedDirective} blocked ${v.blockedURI}`);
});
// Threaded wasm breaks in a minified build (DESIGN.md traps); the page is not cross-origin isolated anyway.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { isFallbackAdapter?: boolean };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/** Whether a WebGPU adapter exists and whether it is a software fallback. */
async function probeWebGpu(): Promise<'none' | 'software' | 'hardware'> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return 'none';
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return 'none';
    return adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter ? 'software' : 'hardware';
  } catch {
    return 'none';
  }
}

/** True when WebGL2 renders in software (SwiftShader, llvmpipe): wasm beats it. */
function softwareWebGl(): boolean {
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2');
    if (!gl) return false;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software/i.test(renderer);
  } catch {
    return false;
  }
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
 * Start the requested backend, falling back in order; the notes say what happened.
 * `after` (a backend whose GPU was lost): choose automatically among the backends after it.
 */
export async function chooseBackend(requested: BackendRequest, after?: BackendName): Promise<BackendInfo> {
  const notes: string[] = after ? [`${after}: its GPU was lost`] : [];
  const order: BackendName[] = after
    ? backendNames.slice(backendNames.indexOf(after) + 1)
    : requested === 'auto'
      ? [...backendNames]
      : [requested, ...backendNames.filter((b) => b !== requested && backendNames.indexOf(b) > 0)];
  if (after) requested = 'auto';
  for (const name of order) {
    if (name === 'webgpu') {
      const kind = await probeWebGpu();
      if (kind === 'none') {
        notes.push('webgpu: no adapter in this browser');
        continue;
      }
      if (kind === 'software' && requested === 'auto') {
        notes.push('webgpu: software adapter (slower than wasm here), skipped');
        continue;
      }
    }
    if (name === 'webgl' && requested === 'auto' && softwareWebGl()) {
      notes.push('webgl: software renderer (slower than wasm here), skipped');
      continue;
    }
    if (await tryBackend(name)) {
      if (name !== requested && requested !== 'auto')
        notes.push(`${requested} failed to start; using ${name}`);
      return { name, requested, notes };
    }
    notes.push(`${name}: failed to start`);
  }
  throw new Error(`no tfjs backend could start (${notes.join('; ')})`);
}

/**
 * Worker-side fault handling (docs/reliability.md): notice when the GPU under the running backend is
 * lost — WebGPU resolves `device.lost`, WebGL fires `webglcontextlost` on its canvas — and
 * tell the page, which restarts the worker on the next backend and replays the runs.
 * Also the debug queries and test hooks of the worker API (`memory`, `simulateDeviceLoss`,
 * `crash`, `hang`). cpu and wasm have no device to lose.
 */
import { tf } from '../engine';
import type { BackendName, MemoryInfo } from '../protocol/messages';

/** The parts of tfjs's WebGPU backend used here (its `device` is a GPUDevice). */
interface WebGpuBackendLike {
  device?: { lost?: Promise<{ reason?: string; message?: string }>; destroy?: () => void };
}
/** The parts of tfjs's WebGL backend used here. */
interface WebGlBackendLike {
  gpgpu?: { gl?: WebGL2RenderingContext | WebGLRenderingContext };
}

/** Call `onLost` once if the device (or context) of the running GPU backend goes away. */
export function watchDevice(name: BackendName, onLost: (message: string) => void): void {
  let reported = false;
  const report = (message: string): void => {
    if (reported) return;
    reported = true;
    onLost(message);
  };
  if (name === 'webgpu') {
    const lost = (tf.backend() as WebGpuBackendLike).device?.lost;
    void lost?.then((info) =>
      report(
        `the WebGPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`,
      ),
    );
  } else if (name === 'webgl') {
    const canvas = (tf.backend() as WebGlBackendLike).gpgpu?.gl?.canvas;
    canvas?.addEventListener('webglcontextlost', () => report('the WebGL context was lost'));
  }
}

/**
 * Test hook: lose the device for real — WebGPU `device.destroy()` resolves `device.lost`,
 * WEBGL_lose_context fires `webglcontextlost` — so the page's recovery path is the one a
 * driver reset or a GPU process crash takes. Resolves false on backends without a device.
 */
export async function simulateDeviceLoss(name: BackendName): Promise<boolean> {
  if (name === 'webgpu') {
    const device = (tf.backend() as WebGpuBackendLike).device;
    if (!device?.destroy) return false;
    device.destroy();
    return true;
  }
  if (name === 'webgl') {
    const ext = (tf.backend() as WebGlBackendLike).gpgpu?.gl?.getExtension('WEBGL_lose_context');
    if (!ext) return false;
    ext.loseContext();
    return true;
  }
  return false;
}

/** Test hook: the worker dies — it closes itself and throws, which fires `error` on the page's Worker. */
export function crash(): void {
  setTimeout(() => {
    (globalThis as { close?: () => void }).close?.();
    throw new Error('simulated worker crash (test hook)');
  });
}

/**
 * Test hook: the worker hangs — alive (no error event) but its event loop never frees
 * again, as with an endless loop in a step — so only the page's watchdog can notice.
 */
export function hang(): void {
  setTimeout(() => {
    const t0 = Date.now();
    // Bounded only so a forgotten hung worker cannot spin forever (the page terminates it).
    while (Date.now() - t0 < 3_600_000) {
      /* busy: no message is handled meanwhile */
    }
  });
}

/** tf.memory() of this worker: live tensors and their bytes. */
export function memory(): MemoryInfo {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}

/**
 * The engine's one door to tfjs. Engine code imports `tf` from here, never from a
 * backend package, so the same code runs in the worker (webgpu/webgl/wasm/cpu) and in
 * Node (cpu/wasm). Which entry registers gradients and backends is the caller's job:
 * `setup-node.ts` in Node, `worker/backend.ts` in the browser.
 */
export * as tf from '@tensorflow/tfjs-core';
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Scalar } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/**
 * A tensor's values as a plain array, read asynchronously (a synchronous read loses the
 * device on tfjs-webgpu); the tensor is disposed, also when the read fails.
 */
export async function takeValues(t: Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/**
 * The engine's one door to tfjs. Engine code imports `tf` from here, never from a
 * backend package, so the same code runs in the worker (webgpu/webgl/wasm/cpu) and in
 * Node (cpu/wasm). Which entry registers gradients and backends is the caller's job:
 * `setup-node.ts` in Node, `worker/backend.ts` in the browser.
 */
export * as tf from '@tensorflow/tfjs-core';
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Scalar } from '@tensorflow/tfjs-core';

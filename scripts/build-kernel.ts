/**
 * Compiles src/engine/landscape/plane-kernel.wat (WebAssembly text, with SIMD) into
 * plane-kernel-wasm.ts, the bytes as base64, so the worker and Node load the kernel without
 * a fetch. Run after editing the .wat: `npm run build:kernel`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileKernel, kernelModule } from './kernel-wat';

const dir = fileURLToPath(new URL('../src/engine/landscape/', import.meta.url));
const bytes = await compileKernel(readFileSync(`${dir}plane-kernel.wat`, 'utf8'));
writeFileSync(`${dir}plane-kernel-wasm.ts`, kernelModule(bytes));
console.log(`plane-kernel-wasm.ts: ${bytes.length} bytes of WebAssembly`);

/**
 * Compiles each hand-written WebAssembly kernel (`kernelSources`: WebAssembly text with
 * SIMD) into a generated module that carries its bytes as base64, so the worker and Node
 * load the kernels without a fetch. Run after editing a .wat: `npm run build:kernel`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileKernel, kernelModule, kernelSources } from './kernel-wat';

const root = fileURLToPath(new URL('../', import.meta.url));
for (const kernel of kernelSources) {
  const bytes = await compileKernel(readFileSync(`${root}${kernel.wat}`, 'utf8'), kernel.wat);
  writeFileSync(`${root}${kernel.module}`, kernelModule(bytes, kernel));
  console.log(`${kernel.module}: ${bytes.length} bytes of WebAssembly`);
}

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelModule, kernelSources } from '../../scripts/kernel-wat';

describe('the hand-written WebAssembly kernels', () => {
  it.each(kernelSources.map((k) => [k.wat, k] as const))(
    'the committed bytes are the compiled %s',
    async (_, kernel) => {
      const root = new URL('../../', import.meta.url);
      const bytes = await compileKernel(readFileSync(new URL(kernel.wat, root), 'utf8'), kernel.wat);
      expect(readFileSync(new URL(kernel.module, root), 'utf8')).toBe(kernelModule(bytes, kernel));
    },
  );
});

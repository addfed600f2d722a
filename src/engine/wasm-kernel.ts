/**
 * The project's hand-written WebAssembly SIMD kernels (landscape/plane-kernel.wat,
 * optimizers/curvature/hidden-fisher.wat and fisher-product.wat) ship as base64 in generated
 * modules (scripts/build-kernel.ts), so they load without a fetch: offline, in the worker and
 * in Node. This compiles one.
 */

/** The exports every kernel has: its memory. */
export interface KernelExports {
  memory: WebAssembly.Memory;
}

/**
 * A lazily compiled kernel: `get()` compiles it on first use and returns its exports (the
 * same instance every time), or null where WebAssembly or its SIMD is not available. Each
 * kernel is a few KB, so the compile is synchronous (allowed in a worker and in Node).
 */
export function lazyKernel<E extends KernelExports>(base64: string): { get(): E | null } {
  let made: E | null | undefined;
  return {
    get() {
      if (made !== undefined) return made;
      made = null;
      try {
        if (typeof WebAssembly !== 'object') return null;
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        if (!WebAssembly.validate(bytes)) return null;
        made = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as E;
      } catch {
        made = null;
      }
      return made;
    },
  };
}

/** `bytes` rounded up to a whole v128 (16 bytes): where a kernel's arrays start. */
export const alignV128 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Grow the kernel's memory (by whole 64 KiB pages) until it holds `bytes`; views made before are then stale. */
export function ensureMemory(kernel: KernelExports, bytes: number): void {
  const need = bytes - kernel.memory.buffer.byteLength;
  if (need > 0) kernel.memory.grow(Math.ceil(need / 65536));
}

/**
 * Rows [count][width] of `src` into the kernel's memory at byte `at` as [count][padded]
 * float32s, the padding zero (a kernel's rows are whole v128s or whole blocks of them).
 */
export function writePaddedRows(
  kernel: KernelExports,
  src: Float32Array,
  count: number,
  width: number,
  padded: number,
  at: number,
): void {
  const f32 = new Float32Array(kernel.memory.buffer);
  const p = at / 4;
  if (width === padded) {
    f32.set(src.subarray(0, count * width), p);
    return;
  }
  f32.fill(0, p, p + count * padded);
  for (let r = 0; r < count; r++) f32.set(src.subarray(r * width, (r + 1) * width), p + r * padded);
}

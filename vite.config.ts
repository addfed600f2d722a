/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * No COOP/COEP headers: with cross-origin isolation tfjs picks threaded wasm, which
 * breaks in a minified build (DESIGN.md traps). The CSP allows wasm but not eval.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
].join('; ');

export default defineConfig(({ command }) => ({
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: {
    // tfjs is only imported inside the worker; pre-bundle it so the first visit does not reload.
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      'comlink',
      'zod',
      'd3-random',
    ],
  },
  // The dev server (vite's HMR client) needs eval-free but inline modules; CSP is enforced in preview.
  preview: { headers: { 'Content-Security-Policy': csp } },
  server: command === 'serve' ? {} : undefined,
  // VITE_OUT_DIR lets two builds (and their previews) coexist in one checkout.
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    outDir: process.env.VITE_OUT_DIR ?? 'dist',
  },
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    setupFiles: ['src/engine/test-setup.ts'],
    testTimeout: 60000,
    pool: 'forks',
  },
}));

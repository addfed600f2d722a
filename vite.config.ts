import { availableParallelism } from 'node:os';
/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * No COOP/COEP headers: the lab keeps tfjs's threaded wasm off (worker/backend.ts), so
 * cross-origin isolation would gain nothing. The CSP allows wasm but not eval.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // KaTeX's fonts: bundled files, and data: URIs for the ones vite inlines.
  "font-src 'self' data:",
  "connect-src 'self'",
].join('; ');

/**
 * The same policy as a <meta http-equiv> in the built page, for hosts that send no headers
 * (GitHub Pages, a course server). It guards the page only (a worker takes its policy from its
 * own response headers), so the header stays the recommendation. Not in the dev server: its
 * React refresh preamble is an inline script.
 */
function cspMeta(): Plugin {
  return {
    name: 'csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: csp },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig(({ command }) => ({
  // Relative URLs everywhere: the build runs unchanged from any sub-path of any static server.
  base: './',
  plugins: [
    react(),
    cspMeta(),
    // Offline after the first visit: a generated (workbox) service worker precaches the app shell,
    // the engine worker and the tfjs wasm binaries. 'prompt': a new version waits until the page
    // says "reload" (client/offline.ts); registration is done there, never in the dev server.
    VitePWA({
      registerType: 'prompt',
      injectRegister: null,
      manifest: {
        name: 'Reparam Lab',
        short_name: 'Reparam Lab',
        description: 'Optimizers under reparameterization, side by side in θ and φ.',
        theme_color: '#2b3a55',
        background_color: '#f7f7f4',
        display: 'standalone',
        icons: [
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png' },
          { src: 'maskable-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The manifest and its icons are added by the plugin.
        globPatterns: ['**/*.{html,js,css,wasm}'],
        // Threaded wasm is never loaded (WASM_HAS_MULTITHREAD_SUPPORT is off in worker/backend.ts).
        globIgnores: ['**/*threaded*'],
        // The engine worker chunk (tfjs with every backend) is over workbox's 2 MB default.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        // A shared link (./?backend=…&embed=1#e=…) opens the precached ./index.html offline: asset
        // URLs carry no query, so every query is ignored. No navigation fallback, so other pages
        // that a course keeps beside the lab are never answered with the lab.
        ignoreURLParametersMatching: [/.*/],
        navigateFallback: null,
      },
    }),
  ],
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
    // One process per worker for all its files, not one per file: a fresh process per file
    // (vitest's default) spent more time starting Node and loading tfjs than the quick files
    // spend testing (measured: 30 of the quickest files, 23 s → 4 s of CPU). The set-up file
    // resets the module registry, so each file gets fresh project modules, and selects the cpu
    // backend again; what carries over is tfjs's engine, and every test that counts tensors
    // compares with its own baseline.
    isolate: false,
    // One fork per core: the tests are CPU-bound and single-threaded, and vitest's default
    // (cores − 1) leaves one of a 2-core machine's cores idle.
    maxWorkers: Math.max(1, availableParallelism()),
  },
}));

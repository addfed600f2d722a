/**
 * Vitest setup: every unit test runs the engine on the cpu backend in Node. The test files
 * share a process per worker (vite.config.ts, `isolate: false`); resetting the module registry
 * first gives each file fresh project modules, as a process of its own would.
 */
import { vi } from 'vitest';

vi.resetModules();
const { setupNode } = await import('./setup-node');
await setupNode('cpu');

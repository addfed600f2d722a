/**
 * Imported first by both entries, the page (main.tsx) and the worker (worker/backend.ts):
 * the page runs under a CSP without 'unsafe-eval' (vite.config.ts), and zod decides on its
 * JIT by probing `new Function` when the first object schema is built, unless told not to;
 * the probe is caught but still reported as a violation. This must run before any module
 * that builds zod schemas is evaluated (the engine's schema, reached from the store).
 */
import { z } from 'zod';

z.config({ jitless: true });

/**
 * Imported first by the worker's modules: the page runs under a CSP without 'unsafe-eval'
 * (vite.config.ts), and zod probes `new Function` to decide on its JIT unless told not to;
 * the probe is caught but still reported as a violation. This must run before any module
 * that builds or parses zod schemas is evaluated (the engine's, through step-timing.ts).
 */
import { z } from 'zod';

z.config({ jitless: true });

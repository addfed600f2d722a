/**
 * Memory (docs/reliability.md), for the curvature-based optimizers: 10,000 steps each on tiny-net, then
 * tf.memory() equals its value after step 1. A step costs ~0.4–0.9 ms on the cpu backend
 * (float64 solves plus a read-back), so the seven are spread over four files
 * (memory-second-order*.test.ts) that vitest runs in parallel, each well under 20 s.
 */
import { describeLeaks } from './memory-testkit';

describeLeaks('Fisher / Gauss-Newton', ['ngd', 'ggn']);

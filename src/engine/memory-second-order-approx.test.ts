/**
 * Memory, for the curvature-based optimizers: LEAK_STEPS (200; 10,000 with LONG=1) steps
 * each on tiny-net, then tf.memory() equals its value after step 1 (memory-testkit.ts says
 * why 200 steps catch a leak of one tensor per step). The seven are spread over four files
 * (memory-second-order*.test.ts) that vitest runs in parallel.
 */
import { describeLeaks } from './memory-testkit';

describeLeaks('approximate-Fisher', ['empirical-fisher', 'diag-fisher']);

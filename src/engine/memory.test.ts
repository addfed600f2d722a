/**
 * Memory: after LEAK_STEPS (200; 10,000 with LONG=1, npm run test:long) steps of every
 * optimizer on tiny-net the tensor count and bytes are what they were after the first step
 * (no per-step leak), and disposing frees everything. memory-testkit.ts says why 200 steps
 * catch a leak of one tensor per step; memory-testkit.test.ts shows an injected one failing.
 * One file: at 200 steps the fork's start-up (tfjs, setup) costs more than the steps.
 */
import { describeLeaks } from './memory-testkit';

describeLeaks('first-order', ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop']);
describeLeaks('Newton', ['newton']);
describeLeaks('Fisher / Gauss-Newton', ['ngd', 'ggn']);
describeLeaks('approximate-Fisher', ['empirical-fisher', 'diag-fisher']);
describeLeaks('matrix-free / Kronecker', ['hessian-free', 'kfac']);

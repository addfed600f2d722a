/**
 * Memory: after LEAK_STEPS (200; 10,000 with LONG=1) steps of every first-order optimizer
 * the tensor count is what it was after the first step (no per-step leak), and disposing
 * frees everything.
 */
import { describeLeaks } from './memory-testkit';

describeLeaks('first-order', ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop']);

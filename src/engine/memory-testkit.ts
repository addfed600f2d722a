/**
 * Leak check: step one optimizer many times on a 2-parameter problem and report
 * tf.memory() after the first step and after the last. Any tensor an optimizer forgets to
 * dispose shows up as numTensors growing with the step count.
 *
 * Step counts: the check compares tf.memory() after step 1 with tf.memory() after the last
 * step, so a leak of one tensor per step shows as (steps − 1) extra tensors, and a leak of
 * one tensor every k steps as ⌊(steps − 1)/k⌋ or so. LEAK_STEPS (200) therefore catches any leak of
 * at least one tensor per 199 steps; none of the optimizers does anything on a longer period
 * with its defaults (K-FAC's inversePeriod is 1). memory.test.ts injects such leaks
 * and shows they fail the check. `LONG=1` (npm run test:long) restores the 10,000-step soak.
 */
import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { createProblem } from './experiment';
import { makeObjective } from './objective';
import { optimizerDef } from './optimizers';
import type { OptimizerId } from './optimizers/ids';
import { resolveHyper } from './optimizers/optimizer';
import { parseExperiment } from './schema';
import { createReparam, type ReparamEntry } from './reparam';

/** True when the long soak versions of the leak tests are asked for (`LONG=1`). */
export const LONG = typeof process !== 'undefined' && /^(1|true|yes)$/i.test(process.env.LONG ?? '');

/** Steps of a leak test: 200, or the original 10,000 with `LONG=1`. */
export const LEAK_STEPS = LONG ? 10_000 : 200;

export interface LeakReport {
  /** tf.memory() after the first step (the optimizer's state exists by then). */
  first: { numTensors: number; numBytes: number };
  /** tf.memory() after the last step, before anything is disposed. */
  last: { numTensors: number; numBytes: number };
  /** The final parameters (to show the run stayed on the ordinary, finite path). */
  params: number[];
  /** tf.memory().numTensors after disposing everything, and before creating it. */
  after: number;
  before: number;
}

/**
 * Run `steps` steps of optimizer `id` (lr `lr`) on `problem` (an id, or an entry with its
 * parameters), one row, in θ — or in φ from f⁻¹(θ₀) when `reparam` names a map. `afterStep`
 * (for the kit's own test) runs after each step k with the step's new parameters.
 */
export async function leakRun(
  id: OptimizerId,
  steps: number,
  problem: string | ({ id: string } & Record<string, unknown>) = 'tiny-net',
  lr = 0.01,
  afterStep?: (k: number, params: tf.Tensor2D) => void,
  /** Further keys of the optimizer entry (e.g. `solver: 'cg'`). */
  over: Record<string, unknown> = {},
  /** A map's entry: the run is the φ-run under it. */
  reparam: ReparamEntry | null = null,
): Promise<LeakReport> {
  const parsed = parseExperiment({
    version: 1,
    problem: typeof problem === 'string' ? { id: problem } : problem,
    optimizers: [{ id, ...over }],
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const before = tf.memory().numTensors;
  const prob = createProblem(parsed.experiment);
  const map = reparam ? createReparam(reparam, prob.P, parsed.experiment.seed, prob.layers) : null;
  const def = optimizerDef(id);
  const opt = def.create(makeObjective(prob, map), resolveHyper(def, { id, ...over, lr }), 1);
  let params = tf.tensor2d([map ? map.inverse64([...prob.init]) : [...prob.init]]);
  const snapshot = () => ({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
  let first = snapshot();
  for (let k = 1; k <= steps; k++) {
    const next = await opt.step(params);
    params.dispose();
    params = next;
    afterStep?.(k, params);
    if (k === 1) first = snapshot();
  }
  const last = snapshot();
  const values = Array.from(await params.data());
  params.dispose();
  opt.dispose();
  prob.dispose();
  return { first, last, params: values, after: tf.memory().numTensors, before };
}

/** The leak check's assertions on a report: finite parameters, no growth, all freed. */
export function expectNoLeak(r: LeakReport): void {
  expect(r.params.every(Number.isFinite)).toBe(true);
  expect(r.last.numTensors).toBe(r.first.numTensors);
  expect(r.last.numBytes).toBe(r.first.numBytes);
  expect(r.after).toBe(r.before);
}

/**
 * The memory suite for a list of optimizers: `steps` steps each on tiny-net, then
 * tf.memory() must equal its value after the first step, and disposing frees everything.
 */
export function describeLeaks(kind: string, ids: readonly OptimizerId[], steps = LEAK_STEPS): void {
  describe(`${steps} steps of each ${kind} optimizer on tiny-net`, () => {
    for (const id of ids) {
      it(`${id}: tf.memory() after step ${steps} equals its value after step 1`, async () => {
        expectNoLeak(await leakRun(id, steps));
      });
    }
  });
}

/**
 * Memory through the worker's run loop: steps played frame by frame (telemetry deltas,
 * defect and step-metric trackers, checkpoints, landscapes) leave tf.memory() where it was
 * after the first step, and disposing the loop frees everything it made.
 *
 * 500 steps in 10 frames of 50: a leak of one tensor per step or per frame (a flush) still
 * shows, as it did in the 10,000-step version (10 frames of 1000), which `LONG=1`
 * (npm run test:long) restores.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import type { WorkerEvent } from '../protocol/messages';
import { LONG } from '../engine/memory-testkit';
import { createRunLoop } from './run-loop';

const STEPS = LONG ? 10_000 : 500;
/** Ten frames either way: per-frame work (flushes, checkpoints) runs ten times. */
const STEPS_PER_FRAME = STEPS / 10;

/** Resolve once `events` holds an event matching `pred` (polled; the loop runs on timers). */
async function until(events: WorkerEvent[], pred: (e: WorkerEvent) => boolean): Promise<void> {
  while (!events.some(pred)) await new Promise((r) => setTimeout(r, 5));
}

describe(`the run loop over ${STEPS} steps`, () => {
  it(
    'paired θ/φ adam runs on tiny-net: no tensor growth',
    async () => {
      const snap = () => ({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
      const before = tf.memory().numTensors;
      const events: WorkerEvent[] = [];
      const loop = createRunLoop((e) => events.push(e));
      const reply = await loop.load({
        version: 1,
        problem: { id: 'tiny-net', n: 8 },
        reparam: { id: 'exp', coords: [0] },
        optimizers: [{ id: 'adam', lr: 0.01 }],
        steps: STEPS,
        seed: 3,
        view: { grid: 16, stepsPerFrame: STEPS_PER_FRAME },
      });
      expect(reply.ok).toBe(true);
      await loop.step();
      // The φ overlay is the last thing a load computes: after it nothing is in flight.
      await until(events, (e) => e.type === 'phi-geometry');
      const first = snap();
      loop.play();
      await until(events, (e) => e.type === 'play-state' && e.state === 'done');
      await loop.settled();
      const last = snap();
      const final = events.findLast((e) => e.type === 'play-state');
      expect(final).toMatchObject({ state: 'done', step: STEPS });
      const points = events
        .filter((e) => e.type === 'telemetry')
        .flatMap((e) => e.runs)
        .filter((r) => r.id === 'adam-0-phi')
        .reduce((n, r) => n + r.loss.length, 0);
      expect(points).toBe(STEPS + 1);
      expect(last.numTensors).toBe(first.numTensors);
      expect(last.numBytes).toBe(first.numBytes);
      loop.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
    LONG ? 600_000 : 120_000,
  );
});

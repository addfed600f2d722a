/**
 * (e) `digits` throughput: gd steps per second of one full-batch run of the default
 * 64-32-10 network (P = 2,410, N = 1,500) through createSession + advance (the per-step
 * loss read included), median of interleaved rounds of about `targetMs`.
 */
import { createSession } from '../src/engine/experiment';
import { batchExperiment } from './problems';
import { median } from './stats';

export async function digitsThroughput(rounds: number, targetMs: number): Promise<number> {
  const session = createSession(batchExperiment({ id: 'digits' }, { id: 'gd', lr: 0.3 }, 1).experiment);
  try {
    await session.advance(3); // warm-up
    const t0 = performance.now();
    await session.advance(5);
    const per = Math.max(1e-3, (performance.now() - t0) / 5);
    const n = Math.max(1, Math.round(targetMs / per));
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      await session.advance(n);
      rates.push((1000 * n) / (performance.now() - t));
    }
    return median(rates);
  } finally {
    session.dispose();
  }
}

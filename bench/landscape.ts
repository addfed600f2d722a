/** (d) A 64 × 64 slice grid of the MLP loss (filter-normalized random directions). */
import { createProblem } from '../src/engine/experiment';
import { makeObjective } from '../src/engine/objective';
import { batchExperiment, mlpProblem } from './problems';
import { median } from './stats';

export interface LandscapeResult {
  measured: boolean;
  note: string;
  /** Seconds per 64 × 64 grid, each repetition, and the median. */
  reps?: number[];
  seconds?: number;
}

export async function sliceGridTime(
  reps: number,
  problem: Record<string, unknown> = mlpProblem,
): Promise<LandscapeResult> {
  // The network landscape is written by another engineer; measure it only if it is there.
  const slice = await import('../src/engine/landscape/slice').catch(() => null);
  const dirs = await import('../src/engine/landscape/filter-directions').catch(() => null);
  if (!slice?.sliceGrid || !dirs?.filterNormalizedDirections) {
    return { measured: false, note: 'not measured: no network landscape yet' };
  }
  const { experiment } = batchExperiment(problem, { id: 'gd' }, 1);
  const prob = createProblem(experiment);
  try {
    const obj = makeObjective(prob, null);
    const s = dirs.filterNormalizedDirections([...prob.init], prob.layers, 0);
    const window = [
      [-1, 1],
      [-1, 1],
    ] as const;
    await slice.sliceGrid(obj, s, window, 64); // warm-up
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      const grid = await slice.sliceGrid(obj, s, window, 64);
      times.push((performance.now() - t0) / 1000);
      if (!grid.values.every(Number.isFinite)) throw new Error('the slice grid has non-finite values');
    }
    return {
      measured: true,
      note: 'sliceGrid, 4096 points, default chunk',
      reps: times,
      seconds: median(times),
    };
  } finally {
    prob.dispose();
  }
}

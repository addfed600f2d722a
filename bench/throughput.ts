/**
 * (a) Training throughput through the real session: run-steps per second of R batched
 * `gd` runs of the MLP (createSession + advance, telemetry readback included). All run
 * counts are timed in interleaved rounds.
 */
import { createSession, type Session } from '../src/engine/experiment';
import { batchExperiment, mlpProblem } from './problems';
import { interleaved, median } from './stats';

export interface ThroughputRow {
  runs: number;
  /** Median run-steps per second (wall clock). */
  runStepsPerSec: number;
  /** Median run-steps per second of process CPU time. */
  runStepsPerCpuSec: number;
  /** Wall-clock run-steps per second of each round. */
  reps: number[];
  stepsPerRep: number;
  beyondSchema: boolean;
}

export async function sessionThroughput(
  runCounts: readonly number[],
  rounds: number,
  targetMs: number,
): Promise<ThroughputRow[]> {
  const made = runCounts.map((R) => ({ R, ...batchExperiment(mlpProblem, { id: 'gd', lr: 0.1 }, R) }));
  const sessions: Session[] = [];
  try {
    for (const m of made) sessions.push(createSession(m.experiment));
    const timings = await interleaved(
      sessions.map((s) => async (n: number) => {
        await s.advance(n);
      }),
      { rounds, targetMs },
    );
    if (sessions.some((s) => s.runs.some((r) => r.status !== 'ok')))
      throw new Error('a benchmark run diverged');
    return made.map((m, i) => {
      const t = timings[i] as (typeof timings)[number];
      return {
        runs: m.R,
        runStepsPerSec: (1000 * m.R) / median(t.wall),
        runStepsPerCpuSec: (1000 * m.R) / median(t.cpu),
        reps: t.wall.map((ms) => (1000 * m.R) / ms),
        stepsPerRep: t.units,
        beyondSchema: m.beyondSchema,
      };
    });
  } finally {
    for (const s of sessions) s.dispose();
  }
}

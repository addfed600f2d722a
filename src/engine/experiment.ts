/**
 * Experiment (plain data) -> runs. The one entry point both the worker and the command
 * line use. A session builds the problem and the map from the experiment, starts every
 * optimizer twice from the same point — in θ, and in φ = f⁻¹(θ₀) when the map is not
 * the identity — and advances all runs together: runs with the same space, optimizer and
 * hyper-parameters share one optimizer instance over stacked parameter rows (batch/), and
 * one packed read per step serves the telemetry and divergence checks of every run.
 */
import { problems } from './problems';
import type { Problem } from './problems/problem';
import { createReparam, type Reparam } from './reparam';
import { makeObjective, type Objective } from './objective';
import { optimizerDef } from './optimizers';
import { resolveHyper, type Hyper, type OptimizerDef } from './optimizers/optimizer';
import type { Experiment } from './schema';
import { planBatches } from './batch/plan';
import { createRunGroup, type RunGroup } from './batch/group';
import type { RunResult, Space } from './run';
import { batchRuns, type BatchEntry, type BatchedRuns } from './batch/driver';

export type { RunResult, RunStatus, Space } from './run';

export interface Session {
  readonly experiment: Experiment;
  readonly problem: Problem;
  readonly reparam: Reparam;
  readonly runs: readonly RunResult[];
  /** Steps taken so far. */
  readonly step: number;
  /** True when every run has reached experiment.steps or diverged. */
  readonly done: boolean;
  /** Advance every live run by up to n steps; resolves to the steps taken. */
  advance(n: number): Promise<number>;
  /** The objective of a run (for landscapes and measurements). */
  objective(space: Space): Objective;
  dispose(): void;
}

/** A problem with its construction error, so callers can show a message. */
export class ExperimentError extends Error {
  override name = 'ExperimentError';
}

/** Build the problem for an experiment (caller disposes). */
export function createProblem(experiment: Experiment): Problem {
  const { id, ...params } = experiment.problem;
  const entry = problems[id];
  return entry.create(entry.params.parse(params) as never, experiment.seed);
}

/** Build a session: validates the start point against the problem's and the map's domains. */
export function createSession(experiment: Experiment): Session {
  const problem = createProblem(experiment);
  const groups: RunGroup[] = [];
  try {
    const reparam = createReparam(experiment.reparam, problem.P, experiment.seed, problem.layers);
    const theta0 = experiment.init ?? [...problem.init];
    if (theta0.length !== problem.P) {
      throw new ExperimentError(`init: needs ${problem.P} numbers for ${problem.id} (got ${theta0.length})`);
    }
    const outside = problem.domainError(theta0) ?? reparam.domainError(theta0);
    if (outside) throw new ExperimentError(`init: ${outside}`);
    const paired = reparam.id !== 'identity';
    const phi0 = paired ? reparam.inverse64(theta0) : null;
    const objectives: Record<Space, Objective> = {
      theta: makeObjective(problem, null),
      phi: makeObjective(problem, reparam),
    };
    const spaces: Space[] = paired ? ['theta', 'phi'] : ['theta'];
    const runs: PlannedRun[] = experiment.optimizers.flatMap((entry, index) => {
      const def = optimizerDef(entry.id);
      const hyper = resolveHyper(def, entry);
      return spaces.map((space): PlannedRun => {
        const start = space === 'phi' ? (phi0 as number[]) : theta0;
        return {
          def,
          hyper,
          start,
          result: {
            optimizer: index,
            id: `${entry.id}-${index}-${space}`,
            space,
            theta: [space === 'phi' ? reparam.forward64(start) : [...start]],
            ...(space === 'phi' ? { phi: [[...start]] } : {}),
            loss: [],
            status: 'ok',
            divergedAt: null,
          },
        };
      });
    });
    // Runs with the same space, optimizer and hyper-parameters advance as rows of one group.
    const batches = planBatches(
      runs.map((r) => ({ space: r.result.space, optimizer: r.def.id, hyper: r.hyper })),
    ).map((members): BatchEntry => {
      const first = runs[members[0] as number] as PlannedRun;
      const picked = members.map((i) => runs[i] as PlannedRun);
      const group = createRunGroup(
        objectives[first.result.space],
        first.def,
        first.hyper,
        picked.map((r) => r.start),
      );
      groups.push(group);
      return { group, members: picked.map((r) => r.result) };
    });
    const results = runs.map((r) => r.result);
    return sessionOver(
      experiment,
      problem,
      reparam,
      results,
      batchRuns(batches),
      (space) => objectives[space],
    );
  } catch (err) {
    for (const g of groups) g.dispose();
    problem.dispose();
    throw err;
  }
}

/** A run before its group exists: its optimizer, hyper-parameters, start and record. */
interface PlannedRun {
  def: OptimizerDef;
  hyper: Hyper;
  start: readonly number[];
  result: RunResult;
}

function sessionOver(
  experiment: Experiment,
  problem: Problem,
  reparam: Reparam,
  runs: readonly RunResult[],
  batched: BatchedRuns,
  objective: (space: Space) => Objective,
): Session {
  let step = 0;
  const ready = batched.record(0);

  return {
    experiment,
    problem,
    reparam,
    runs,
    get step() {
      return step;
    },
    get done() {
      return step >= experiment.steps || batched.live === 0;
    },
    objective,
    async advance(n: number): Promise<number> {
      await ready;
      let taken = 0;
      while (taken < n && step < experiment.steps && batched.live > 0) {
        batched.step();
        step += 1;
        taken += 1;
        await batched.record(step);
      }
      return taken;
    },
    dispose() {
      batched.dispose();
      problem.dispose();
    },
  };
}

/**
 * Experiment (plain data) -> runs. The one entry point both the worker and the command
 * line use. A session builds the problem and the map from the experiment, starts every
 * optimizer twice from the same point — in θ, and in φ = f⁻¹(θ₀) when the map is not
 * the identity — plus, with `switchAt`, a third run that changes from θ to φ at step k
 * (batch/switch.ts) — and advances all runs together: runs with the same space, optimizer and
 * hyper-parameters share one optimizer instance over stacked parameter rows (batch/), and
 * one packed read per step serves the telemetry and divergence checks of every run.
 */
import { problems } from './problems';
import type { Problem } from './problems/problem';
import { createReparam, type Reparam } from './reparam';
import { makeObjective, type Objective } from './objective';
import { optimizerDef } from './optimizers';
import { DENSE_CURVATURE_MAX_P, denseCurvatureRefusal } from './optimizers/dense-limit';
import { layerParamBlocks, paramBlocks } from './problems/blocks';
import { resolveHyper, type Hyper, type OptimizerDef } from './optimizers/optimizer';
import { blocksOf, hasFusedKfac } from './optimizers/curvature/kfac';
import type { Experiment } from './schema';
import { planBatches } from './batch/plan';
import { createRunGroup, type RunGroup } from './batch/group';
import type { RunResult, RunSpace, Space } from './run';
import { fromRows } from './trajectory';
import { batchRuns, type BatchEntry, type BatchedRuns } from './batch/driver';
import { switchEntry } from './batch/switch';
import { restoredRecords, runsKey, type RunTrajectory, type SessionCheckpoint } from './checkpoint';
import { miniBatches, type MiniBatches } from './problems/minibatch';

export type { RunResult, RunSpace, RunStatus, Space } from './run';
export type { RunTrajectory, SessionCheckpoint } from './checkpoint';

export interface Session {
  readonly experiment: Experiment;
  readonly problem: Problem;
  readonly reparam: Reparam;
  readonly runs: readonly RunResult[];
  /** Steps taken so far. */
  readonly step: number;
  /** True when every run has reached experiment.steps or diverged. */
  readonly done: boolean;
  /**
   * Resolves once the session is set up: the start recorded and switch runs' notes set
   * (both read tensors asynchronously). `advance` and `restore` wait for it themselves.
   */
  readonly ready: Promise<void>;
  /** Advance every live run by up to n steps; resolves to the steps taken. */
  advance(n: number): Promise<number>;
  /**
   * The objective of a run's recorded points (for landscapes and measurements); a switch
   * run records θ points, so its objective is θ's.
   */
  objective(space: RunSpace): Objective;
  /**
   * The state every further step depends on, as plain data (checkpoint.ts): with the
   * trajectories recorded so far it restores the session elsewhere. Reads the parameters
   * and optimizer state asynchronously (a synchronous read loses the device on
   * tfjs-webgpu); call it between advances, not while one is in flight.
   */
  checkpoint(): Promise<SessionCheckpoint>;
  /**
   * Continue from a checkpoint of a session of the same experiment, given each run's
   * recorded trajectory up to at least its step: afterwards the runs hold those points and
   * advancing takes exactly the steps the original took. Only before the first advance;
   * throws if they do not fit (dispose the session then: it may be half restored).
   */
  restore(checkpoint: SessionCheckpoint, trajectories: readonly RunTrajectory[]): Promise<void>;
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
/**
 * The checks of the Fisher approximations' hyper-parameters that need the problem
 * (docs/theory.md §9): `rank` at most P, `blocks: "layers"` only where the problem declares
 * layers (in φ too, whose coordinates must then be θ's). Throws naming the field.
 */
function checkFisherApproximations(experiment: Experiment, problem: Problem, Q: number, mapId: string): void {
  experiment.optimizers.forEach((entry, i) => {
    if (entry.id === 'lowrank-fisher' && entry.rank !== undefined && entry.rank > Math.min(problem.P, Q)) {
      throw new ExperimentError(
        `optimizers.${i}.rank: k = ${entry.rank} exceeds the number of parameters P = ${Math.min(problem.P, Q)} of ${problem.id}`,
      );
    }
    // Both form dense matrices (a block's Fisher, the P×P Fisher's eigenpairs) in float64:
    // past the dense limit a step would take minutes.
    const n = (v: number): string => v.toLocaleString('en-US');
    if (entry.id === 'lowrank-fisher' && Math.max(problem.P, Q) > DENSE_CURVATURE_MAX_P) {
      throw new ExperimentError(
        `optimizers.${i}: lowrank-fisher takes eigenpairs of the dense ${n(Math.max(problem.P, Q))}×${n(Math.max(problem.P, Q))} Fisher, too large to step live (the limit is P = ${n(DENSE_CURVATURE_MAX_P)}): use kfac, diag-fisher or ngd (by CG)`,
      );
    }
    if (entry.id === 'block-fisher') {
      const mode = entry.blocks ?? 'auto';
      let blocks: { size: number }[];
      try {
        blocks = paramBlocks(problem.layers, problem.P, mode);
      } catch (err) {
        throw new ExperimentError(`optimizers.${i}.${(err as Error).message}`);
      }
      const largest = Math.max(...blocks.map((b) => b.size), Q === problem.P ? 0 : Q);
      if (largest > DENSE_CURVATURE_MAX_P) {
        throw new ExperimentError(
          `optimizers.${i}: block-fisher forms a dense ${n(largest)}×${n(largest)} block, too large to step live (the limit is ${n(DENSE_CURVATURE_MAX_P)} per block): use kfac, diag-fisher or ngd (by CG)`,
        );
      }
      if (mode !== 'one' && Q !== problem.P && layerParamBlocks(problem.layers, problem.P)) {
        throw new ExperimentError(
          `optimizers.${i}.blocks: block-fisher cannot run in φ under ${mapId}: φ has ${Q} coordinates, not the layers' [W; b] blocks; use blocks "one" (the exact Fisher) or ngd`,
        );
      }
    }
  });
}

export function createSession(experiment: Experiment): Session {
  const problem = createProblem(experiment);
  const groups: RunGroup[] = [];
  let miniBatch: MiniBatches | null = null;
  try {
    const reparam = createReparam(experiment.reparam, problem.P, experiment.seed, problem.layers);
    const theta0 = experiment.init ?? [...problem.init];
    if (theta0.length !== problem.P) {
      throw new ExperimentError(`init: needs ${problem.P} numbers for ${problem.id} (got ${theta0.length})`);
    }
    const outside = problem.domainError(theta0) ?? reparam.domainError(theta0);
    if (outside) throw new ExperimentError(`init: ${outside}`);
    const paired = reparam.id !== 'identity';
    // K-FAC's blocks are θ's layers [W; b]; a φ with more coordinates (weight-norm's gains)
    // has no such blocks, and K-FAC there would silently be another method: refuse.
    const kfacAt = experiment.optimizers.findIndex((o) => o.id === 'kfac');
    if (paired && reparam.Q !== problem.P && kfacAt >= 0) {
      throw new ExperimentError(
        `optimizers.${kfacAt}: kfac cannot run in φ under ${reparam.id}: φ has ${reparam.Q} coordinates (a gain per unit), not the layers' [W; b] blocks K-FAC factors; use ngd, ggn or diag-fisher`,
      );
    }
    const width = paired ? Math.max(problem.P, reparam.Q) : problem.P;
    experiment.optimizers.forEach((o, i) => {
      const refusal = denseCurvatureRefusal(o.id, width, o.solver);
      if (refusal) throw new ExperimentError(`optimizers.${i}: ${refusal}`);
    });
    checkFisherApproximations(experiment, problem, paired ? reparam.Q : problem.P, reparam.id);
    const phi0 = paired ? reparam.inverse64(theta0) : null;
    const objectives: Record<Space, Objective> = {
      theta: makeObjective(problem, null),
      phi: makeObjective(problem, reparam),
    };
    // K-FAC's sampled Fisher backpropagates sampled targets through a dense network's own
    // forward pass (curvature/kfac.ts `hasFusedKfac`); elsewhere it does not exist: refuse.
    experiment.optimizers.forEach((o, i) => {
      if (o.id !== 'kfac' || o.fisher !== 'sampled') return;
      const spaces = paired ? [objectives.theta, objectives.phi] : [objectives.theta];
      if (spaces.every((obj) => hasFusedKfac(obj, blocksOf(obj)))) return;
      throw new ExperimentError(
        `optimizers.${i}: kfac with fisher "sampled" needs a dense network problem${paired ? ` and a layer-wise map (${reparam.id} is not one)` : ''}; use fisher "exact"`,
      );
    });
    // A mini-batch (problem `batch` below N): the optimizers step on objectives over the
    // current batch, the same for every run at a step (problems/minibatch.ts); the recorded
    // loss, landscapes and measurements stay on the full training set (`objectives`).
    const size = (experiment.problem as { batch?: unknown }).batch;
    miniBatch =
      typeof size === 'number' && size < problem.N ? miniBatches(problem, size, experiment.seed) : null;
    const stepObjectives: Record<Space, Objective> = miniBatch
      ? { theta: makeObjective(miniBatch.problem, null), phi: makeObjective(miniBatch.problem, reparam) }
      : objectives;
    // The switch run needs a φ to switch into (none under identity) and a square J.
    const switchAt = paired ? experiment.switchAt : undefined;
    if (switchAt && reparam.Q !== problem.P) {
      throw new ExperimentError(
        `switchAt: ${reparam.id} has ${reparam.Q} φ-coordinates for ${problem.P} θ-coordinates, so J is ${problem.P}×${reparam.Q}, not square: the optimizer state cannot be transported by J⁻¹`,
      );
    }
    const spaces: RunSpace[] = paired
      ? ['theta', 'phi', ...(switchAt ? (['switch'] as const) : [])]
      : ['theta'];
    const runs: PlannedRun[] = experiment.optimizers.flatMap((entry, index) => {
      const def = optimizerDef(entry.id);
      const hyper = resolveHyper(def, entry, experiment.seed);
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
            theta: fromRows([space === 'phi' ? reparam.forward64(start) : [...start]]),
            ...(space === 'phi' ? { phi: fromRows([[...start]]) } : {}),
            loss: [],
            status: 'ok',
            divergedAt: null,
          },
        };
      });
    });
    // Runs with the same space, optimizer and hyper-parameters advance as rows of one group;
    // a switch run has a group of its own.
    const stepped = runs.filter((r) => r.result.space !== 'switch');
    const batches = planBatches(
      stepped.map((r) => ({ space: r.result.space, optimizer: r.def.id, hyper: r.hyper })),
    ).map((members): BatchEntry => {
      const first = stepped[members[0] as number] as PlannedRun;
      const picked = members.map((i) => stepped[i] as PlannedRun);
      const group = createRunGroup(
        objectives[first.result.space as Space],
        first.def,
        first.hyper,
        picked.map((r) => r.start),
        stepObjectives[first.result.space as Space],
      );
      groups.push(group);
      return { group, members: picked.map((r) => r.result) };
    });
    const notes: Promise<void>[] = [];
    for (const r of runs) {
      if (r.result.space !== 'switch' || !switchAt) continue;
      const entry = switchEntry(
        {
          ...objectives,
          stepTheta: stepObjectives.theta,
          stepPhi: stepObjectives.phi,
          reparam,
          def: r.def,
          hyper: r.hyper,
          start: r.start,
          at: switchAt.step,
          policy: switchAt.secondMoment,
        },
        r.result,
      );
      groups.push(entry.group);
      notes.push(entry.noted);
      batches.push({ group: entry.group, members: entry.members });
    }
    const results = runs.map((r) => r.result);
    return sessionOver(
      experiment,
      problem,
      reparam,
      results,
      batchRuns(batches),
      (space) => objectives[space === 'switch' ? 'theta' : space],
      notes,
      miniBatch,
    );
  } catch (err) {
    for (const g of groups) g.dispose();
    miniBatch?.dispose();
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
  objective: (space: RunSpace) => Objective,
  notes: readonly Promise<void>[],
  miniBatch: MiniBatches | null,
): Session {
  let step = 0;
  const ready = Promise.all([...notes, batched.record(0)]).then(() => {});
  let queue: Promise<unknown> = ready;

  async function advanceNow(n: number): Promise<number> {
    let taken = 0;
    while (taken < n && step < experiment.steps && batched.live > 0) {
      // Step t's mini-batch is a function of t alone: a restored session draws the same.
      miniBatch?.select(step + 1);
      const stepping = batched.step();
      if (stepping) await stepping;
      step += 1;
      taken += 1;
      await batched.record(step);
    }
    return taken;
  }

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
    ready,
    async checkpoint() {
      // Everything but the groups' reads is taken before the first await: one step.
      const head = {
        experiment: runsKey(experiment),
        step,
        runs: runs.map((r) => ({
          id: r.id,
          status: r.status,
          divergedAt: r.divergedAt,
          ...(r.note !== undefined ? { note: r.note } : {}),
          ...(r.failure !== undefined ? { failure: r.failure } : {}),
        })),
      };
      return { ...head, groups: await batched.snapshot() };
    },
    async restore(cp, trajectories) {
      await ready;
      if (step !== 0) throw new Error('restore: the session has already stepped');
      const records = restoredRecords(experiment, runs, cp, trajectories);
      batched.restore(cp.groups);
      // In place: the driver holds these records.
      runs.forEach((run, i) => Object.assign(run, records[i]));
      step = cp.step;
    },
    advance(n: number): Promise<number> {
      // One advance at a time: a second-order step awaits its reads, and two advances must
      // not interleave inside a step.
      const run = queue.then(() => advanceNow(n));
      queue = run.catch(() => {});
      return run;
    },
    dispose() {
      batched.dispose();
      miniBatch?.dispose();
      problem.dispose();
    },
  };
}

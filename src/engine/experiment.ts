/**
 * Experiment (plain data) -> runs. The one entry point both the worker and the command
 * line use. A session builds the problem and the map from the experiment, starts every
 * optimizer twice from the same point — in θ, and in φ = f⁻¹(θ₀) when the map is not
 * the identity — and advances all runs together, reading back one batch of numbers per
 * step for telemetry and divergence checks.
 */
import { tf, type Tensor, type Tensor2D } from './tf';
import { problems } from './problems';
import type { Problem } from './problems/problem';
import { createReparam, type Reparam } from './reparam';
import { makeObjective, type Objective } from './objective';
import { optimizerDef } from './optimizers';
import { resolveHyper, type Optimizer } from './optimizers/optimizer';
import type { Experiment } from './schema';

export type Space = 'theta' | 'phi';
export type RunStatus = 'ok' | 'diverged';

/** One run's record: the shape the command line writes and the page's handle returns. */
export interface RunResult {
  /** Index into experiment.optimizers. */
  optimizer: number;
  /** Stable run id, e.g. `gd-0-theta`. */
  id: string;
  space: Space;
  /** θ-coordinates at steps 0..k (for a φ-run, the pushed-forward f(φ_k)). */
  theta: number[][];
  /** φ-coordinates at steps 0..k (φ-runs only). */
  phi?: number[][];
  /** Loss at steps 0..k. */
  loss: number[];
  status: RunStatus;
  /** The step whose update produced a non-finite value, or null. */
  divergedAt: number | null;
}

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

interface LiveRun {
  result: RunResult;
  objective: Objective;
  optimizer: Optimizer;
  params: Tensor2D;
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
  let reparam: Reparam;
  const live: LiveRun[] = [];
  try {
    reparam = createReparam(experiment.reparam, problem.P, experiment.seed, problem.layers);
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
    experiment.optimizers.forEach((entry, index) => {
      const def = optimizerDef(entry.id);
      const hyper = resolveHyper(def, entry);
      const spaces: Space[] = paired ? ['theta', 'phi'] : ['theta'];
      for (const space of spaces) {
        const start = space === 'phi' ? (phi0 as number[]) : theta0;
        const objective = objectives[space];
        live.push({
          objective,
          optimizer: def.create(objective, hyper, 1),
          params: tf.tensor2d([start], [1, problem.P]),
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
        });
      }
    });
    const objectiveFor = (space: Space): Objective => objectives[space];
    return sessionOver(experiment, problem, reparam, live, objectiveFor);
  } catch (err) {
    for (const run of live) {
      run.params.dispose();
      run.optimizer.dispose();
    }
    problem.dispose();
    throw err;
  }
}

function sessionOver(
  experiment: Experiment,
  problem: Problem,
  reparam: Reparam,
  live: LiveRun[],
  objective: (space: Space) => Objective,
): Session {
  let step = 0;
  const P = problem.P;
  const isLive = (r: LiveRun): boolean => r.result.status === 'ok';

  /** Read θ and loss of every live run in one transfer and append them. */
  async function record(runs: LiveRun[], k: number): Promise<void> {
    if (runs.length === 0) return;
    const packed = tf.tidy(() => {
      const parts: Tensor[] = [];
      for (const r of runs) {
        parts.push(
          r.objective.theta(r.params).reshape([P]),
          r.objective.loss(r.params),
          r.params.reshape([P]),
        );
      }
      return tf.concat(parts);
    });
    const data = await packed.data();
    packed.dispose();
    const stride = 2 * P + 1;
    runs.forEach((r, i) => {
      const o = i * stride;
      const theta = Array.from(data.subarray(o, o + P));
      const loss = data[o + P] as number;
      const params = Array.from(data.subarray(o + P + 1, o + stride));
      const finite = Number.isFinite(loss) && theta.every(Number.isFinite) && params.every(Number.isFinite);
      if (!finite && k > 0) {
        r.result.status = 'diverged';
        r.result.divergedAt = k;
        return;
      }
      if (k === 0) {
        r.result.loss.push(loss);
        return;
      }
      r.result.theta.push(theta);
      r.result.phi?.push(params);
      r.result.loss.push(loss);
    });
  }

  const ready = record(live, 0);

  return {
    experiment,
    problem,
    reparam,
    runs: live.map((r) => r.result),
    get step() {
      return step;
    },
    get done() {
      return step >= experiment.steps || !live.some(isLive);
    },
    objective,
    async advance(n: number): Promise<number> {
      await ready;
      let taken = 0;
      while (taken < n && step < experiment.steps) {
        const running = live.filter(isLive);
        if (running.length === 0) break;
        for (const r of running) {
          const next = r.optimizer.step(r.params);
          r.params.dispose();
          r.params = next;
        }
        step += 1;
        taken += 1;
        await record(running, step);
      }
      return taken;
    },
    dispose() {
      for (const r of live) {
        r.params.dispose();
        r.optimizer.dispose();
      }
      problem.dispose();
    },
  };
}

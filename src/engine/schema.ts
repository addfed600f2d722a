/**
 * The Experiment: plain JSON data that is everything needed to reproduce a figure. The
 * same object is what the URL carries, what the command line reads, what "export"
 * writes and what the worker receives (docs/experiment-format.md). `parseExperiment` validates it with
 * zod, fills defaults, and names the field and the reason when it rejects.
 */
import { z } from 'zod';
import { problemCatalog, problemIds, type ProblemId } from './problems/catalog';
import { suggestedKeys } from './problems/suggested';
import { optimizerIds } from './optimizers/ids';
import { reparamIds } from './reparam/ids';
import { reparamParams } from './reparam/catalog';

const finite = z.number().finite();

/** The format version this lab reads and writes; links with another version are refused. */
export const experimentVersion = 1;

export const dampingSchema = z
  .object({
    type: z.enum(['none', 'lm', 'trust-region']),
    /** λ for `lm`, radius r of ½δᵀFδ ≤ r for `trust-region`; ignored for `none`. */
    value: z.number().nonnegative().finite().default(0),
    /** `lm` only: adapt λ by the Levenberg–Marquardt gain ratio. */
    adaptive: z.boolean().optional(),
  })
  .strict();
export type Damping = z.infer<typeof dampingSchema>;

/** One optimizer of the experiment. Keys are shared by every optimizer that has them. */
export const optimizerSchema = z
  .object({
    id: z.enum(optimizerIds),
    lr: z.number().positive().finite().optional(),
    momentum: z.number().min(0).max(1).optional(),
    beta1: z.number().min(0).lt(1).optional(),
    beta2: z.number().min(0).lt(1).optional(),
    eps: z.number().nonnegative().finite().optional(),
    damping: dampingSchema.optional(),
    integrator: z.enum(['euler', 'midpoint']).optional(),
    cgIters: z.number().int().min(1).max(1000).optional(),
    /**
     * Exact curvature methods solved by CG: the relative residual ‖b − (M + λI)x‖/‖b‖ the
     * solve stops at (default 1e-6; float32 products level off near 1e-6, docs/theory.md §9.4).
     */
    cgTol: z.number().min(1e-8).max(1e-1).optional(),
    decay: z.number().min(0).lt(1).optional(),
    inversePeriod: z.number().int().min(1).max(10000).optional(),
    /** `lowrank-fisher`: k, the top eigenpairs kept (1 ≤ k ≤ P, checked against the problem's P). */
    rank: z.number().int().min(1).max(100000).optional(),
    /** Exact curvature methods: 'dense', 'cg' (conjugate gradient) or 'auto' (CG above P = 1000). */
    solver: z.enum(['auto', 'dense', 'cg']).optional(),
    /** `block-fisher`: 'layers' (needs a network problem), 'one' (the exact Fisher) or 'auto'. */
    blocks: z.enum(['auto', 'layers', 'one']).optional(),
    /** `kfac`: 'exact' (default) or 'sampled' (one target per example, dense networks only). */
    fisher: z.enum(['exact', 'sampled']).optional(),
    /** Display colour (CSS), view-only. */
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/)
      .optional(),
  })
  .strict();
export type OptimizerEntry = z.infer<typeof optimizerSchema>;

const problemSchema = z
  .object({ id: z.enum(problemIds) })
  .catchall(z.unknown())
  .superRefine((p, ctx) => {
    const { id, ...rest } = p;
    const res = problemCatalog[id as ProblemId].params.safeParse(rest);
    if (!res.success) {
      for (const issue of res.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
    }
  })
  .transform((p) => {
    const { id, ...rest } = p;
    return { id, ...(problemCatalog[id as ProblemId].params.parse(rest) as Record<string, unknown>) } as {
      id: ProblemId;
    } & Record<string, unknown>;
  });

/** A map entry: its parameters are checked against the map's own schema, up front. */
const reparamSchema = z
  .object({ id: z.enum(reparamIds) })
  .catchall(z.unknown())
  .superRefine((r, ctx) => {
    const { id, ...rest } = r;
    const params = reparamParams[id];
    if (!params) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: `map "${id}" is not implemented yet` });
      return;
    }
    const res = params.safeParse(rest);
    if (!res.success) {
      for (const issue of res.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
    }
  });

export const viewSchema = z
  .object({
    /** Plot window in θ: [[x0, x1], [y0, y1]]; default: the problem's own. */
    window: z.tuple([z.tuple([finite, finite]), z.tuple([finite, finite])]).optional(),
    /** Grid resolution of the landscape heatmap (cells per side). */
    grid: z.number().int().min(8).max(256).default(64),
    /** Training steps per animation frame (~16 ms) in the page. */
    stepsPerFrame: z.number().int().min(1).max(1000).default(1),
    /**
     * Training steps per second while playing (0.5 … 2000); when set it replaces
     * `stepsPerFrame`: below ~60 one step every 1/s seconds, above it several per frame.
     */
    stepsPerSecond: z.number().finite().min(0.5).max(2000).optional(),
    /**
     * Networks (P > 2): the θ slice's directions. 'pca' (default when absent): the top two
     * principal directions of the runs' θ points, fitted when the runs pause or finish
     * (random until there are points); 'random': filter-normalized random directions.
     */
    directions: z.enum(['random', 'pca']).optional(),
    /**
     * 2-parameter landscapes: draw the Fisher's ellipses, the implied metric of each run's
     * current step, and the steepest-descent arrows (Euclidean and natural). Absent: off.
     */
    geometry: z
      .object({
        fisher: z.boolean().optional(),
        implied: z.boolean().optional(),
        arrows: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * "Change coordinates at step k" (docs/experiment-format.md, `switchAt`): each optimizer gets a third run that steps in
 * θ like its θ-run up to step k, then in φ from φ_k = f⁻¹(θ_k), its state transported
 * (engine/transport.ts). `secondMoment`: what happens to Adam's / RMSProp's second moment,
 * which has no transformation law — 'reset' (default: zeroed, bias correction restarted),
 * 'keep' (numbers kept), 'diagonal' (diag(Jᵀ diag(v) J)). Ignored under `identity`.
 */
export const switchSchema = z
  .object({
    step: z.number().int().min(1),
    secondMoment: z.enum(['reset', 'keep', 'diagonal']).default('reset'),
  })
  .strict();
export type SwitchAt = z.output<typeof switchSchema>;

/** The most optimizers one experiment may hold (each runs in θ and in φ: up to 32 runs). */
export const MAX_OPTIMIZERS = 16;

export const experimentSchema = z
  .object({
    version: z.literal(experimentVersion),
    problem: problemSchema,
    reparam: reparamSchema.default({ id: 'identity' }),
    optimizers: z.array(optimizerSchema).min(1).max(MAX_OPTIMIZERS),
    steps: z.number().int().min(1).max(100000).default(200),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31)
      .default(0),
    /** Start point in θ; default: the problem's seeded initial point. */
    init: z.array(finite).optional(),
    /** Change coordinates θ → φ at step k (1 ≤ k < steps); absent: no switch runs. */
    switchAt: switchSchema.optional(),
    view: viewSchema.default({ grid: 64, stepsPerFrame: 1 }),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.switchAt && e.switchAt.step >= e.steps) {
      ctx.addIssue({
        code: 'custom',
        path: ['switchAt', 'step'],
        message: `must be below steps (${e.steps}): the switch happens after step k`,
      });
    }
  })
  .transform((e) => ({ ...e, optimizers: e.optimizers.map((o) => withSuggestion(e.problem.id, o)) }));

/** The order of an optimizer entry's keys (the schema's), so a filled entry serializes like a written one. */
const entryKeys = Object.keys(optimizerSchema.shape) as (keyof OptimizerEntry)[];

/**
 * An optimizer entry with the problem's suggestion (problems/suggested.ts) filled in for
 * each key it leaves out; keys it gives are kept as given. Precedence: explicit >
 * suggestion > the optimizer's default > the shared default (the last two in resolveHyper).
 */
export function withSuggestion(problem: ProblemId, entry: OptimizerEntry): OptimizerEntry {
  const suggestion = problemCatalog[problem].suggested[entry.id];
  const merged: Record<string, unknown> = { ...entry };
  for (const key of suggestedKeys) {
    if (merged[key] === undefined && suggestion[key] !== undefined)
      merged[key] = structuredClone(suggestion[key]);
  }
  const out: Record<string, unknown> = {};
  for (const key of entryKeys) if (merged[key] !== undefined) out[key] = merged[key];
  return out as OptimizerEntry;
}

/**
 * An optimizer entry without the keys a problem suggests (η, damping): what the page keeps
 * of an optimizer when another problem is chosen, so that problem's suggestion applies.
 */
export function withoutSuggestedKeys(entry: OptimizerEntry): OptimizerEntry {
  const out: Record<string, unknown> = { ...entry };
  for (const key of suggestedKeys) delete out[key];
  return out as OptimizerEntry;
}

/** A validated experiment with every default filled. */
export type Experiment = z.output<typeof experimentSchema>;
/** What a user may write: defaults may be left out. */
export type ExperimentInput = z.input<typeof experimentSchema>;

export type ParseResult = { ok: true; experiment: Experiment } | { ok: false; error: string };

/**
 * Validate and fill defaults — among them each optimizer's suggested hyper-parameters for
 * the problem where the entry leaves them out (`withSuggestion`); on failure the message
 * names each field and its reason.
 */
export function parseExperiment(input: unknown): ParseResult {
  const res = experimentSchema.safeParse(input);
  if (res.success) return { ok: true, experiment: res.data };
  const msg = res.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(experiment)'}: ${i.message}`)
    .join('; ');
  return { ok: false, error: msg };
}

/**
 * A plain reference experiment (gradient descent on the Gaussian fit, identity map): the
 * command line's and the tests' starting point. The page's first view is a scene
 * (client/startup.ts).
 */
export const defaultExperiment: ExperimentInput = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'identity' },
  optimizers: [{ id: 'gd', lr: 0.1 }],
  steps: 200,
  seed: 0,
};

/**
 * What identifies an experiment's runs: everything but the view settings. Two experiments
 * with the same key differ at most in how they are shown (checkpoints, view-only changes,
 * analyses carried across a view change).
 */
export function runsKey(experiment: Experiment): string {
  return JSON.stringify({ ...experiment, view: null });
}

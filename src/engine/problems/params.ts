/**
 * The problems' parameter schemas (zod), with no tensor code: the page validates an
 * experiment with them (schema.ts) without loading tfjs; each problem's builder parses its
 * parameters with the same schema in the worker. Defaults here are the lab's defaults.
 */
import { z } from 'zod';
import {
  checkClassification,
  checkedSchema,
  checkRegression,
  checkRows,
  classificationDataSchema,
  MAX_CLASSES,
  type Checked,
  type ClassificationData,
  type RegressionData,
} from './data';

/** Parameters of `gaussian-fit` (strict; defaults filled). */
export const gaussianFitParams = z
  .object({
    /** Sample size (ignored when `data` is given). */
    n: z.number().int().min(2).max(10000).default(64),
    /** True mean and standard deviation of the generated sample. */
    mean: z.number().finite().default(1),
    std: z.number().positive().finite().default(0.5),
    /** Inline sample instead of a generated one. */
    data: z.array(z.number().finite()).min(2).max(10000).optional(),
  })
  .strict();
export type GaussianFitParams = z.infer<typeof gaussianFitParams>;

/** Parameters of `logistic-2d` (strict; defaults filled). */
export const logistic2dParams = z
  .object({
    /** Number of points, half per class (ignored when `data` is given). */
    n: z.number().int().min(2).max(10000).default(100),
    /** Centre of class 1; class 0 sits at −mean. */
    mean: z.tuple([z.number().finite(), z.number().finite()]).default([0.5, 0.25]),
    /** Spread (standard deviation) of each blob. */
    std: z.number().positive().finite().default(1),
    /** Inline data instead of generated blobs; labels 0 or 1. */
    data: classificationDataSchema(2).optional(),
  })
  .strict();
export type Logistic2dParams = z.infer<typeof logistic2dParams>;

// matrix-completion
/** An inline target: a square matrix of numbers, n from 2 to 30 (rows named in errors). */
function checkTarget(raw: unknown): Checked<number[][]> {
  const rows = typeof raw === 'object' && raw !== null && 'target' in raw ? raw.target : undefined;
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
    return { ok: false, error: 'expected {"target": [[...], ...]} (a square matrix)' };
  }
  if (rows.length > 30) return { ok: false, error: `row 31: at most 30×30 (got ${rows.length} rows)` };
  const n = rows.length;
  return checkRows(rows as unknown[][], { columns: Array.from({ length: n }, (_, j) => `column ${j + 1}`) });
}

/** Parameters of `matrix-completion` (strict; defaults filled). */
export const matrixCompletionParams = z
  .object({
    /** Matrix side n (W is n×n). */
    size: z.number().int().min(2).max(30).default(10),
    /** Number of factors L. */
    depth: z.number().int().min(1).max(8).default(3),
    /** Rank of the generated target. */
    rank: z.number().int().min(1).max(30).default(1),
    /** Fraction of the entries observed (at least 2 entries). */
    observed: z.number().gt(0).max(1).default(0.4),
    /** Standard deviation of the entries of each W_l at init. */
    initStd: z.number().positive().max(10).default(1e-2),
    /** Inline target `{target: [[...]]}` instead of a generated one (size and rank ignored). */
    data: checkedSchema(checkTarget).optional(),
  })
  .strict();
export type MatrixCompletionParams = z.infer<typeof matrixCompletionParams>;

// mlp
export type MlpData =
  ({ kind: 'classification' } & ClassificationData) | ({ kind: 'regression' } & RegressionData);

function checkMlpData(raw: unknown): Checked<MlpData> {
  const isClassification = typeof raw === 'object' && raw !== null && 'points' in raw;
  const res = isClassification ? checkClassification(raw, 2, MAX_CLASSES) : checkRegression(raw);
  if (!res.ok) return res;
  const kind = isClassification ? 'classification' : 'regression';
  return { ok: true, data: { kind, ...res.data } as MlpData };
}

/** Parameters of `mlp` (strict; defaults filled). */
export const mlpParams = z
  .object({
    dataset: z.enum(['spiral', 'circles', 'xor', 'gaussians', 'sine']).default('spiral'),
    /** Hidden layer widths, input side first. */
    hidden: z.array(z.number().int().min(1).max(256)).max(8).default([16, 16]),
    activation: z.enum(['tanh', 'relu', 'softplus', 'linear']).default('tanh'),
    /** Points generated in all, before the train/test split. */
    n: z.number().int().min(4).max(10000).default(256),
    /** Std of the Gaussian noise on coordinates (classification) or targets (sine). */
    noise: z.number().min(0).max(2).default(0.1),
    /** Classes of the `gaussians` set (the other sets have 2). */
    classes: z.number().int().min(2).max(MAX_CLASSES).default(2),
    /** Fraction of the points held out as the test set. */
    testFraction: z.number().min(0).max(0.9).default(0.2),
    /**
     * Inline data instead of a generated set: `{points, labels}` (classification, labels
     * 0..C − 1, C = largest label + 1) or `{x, y}` (1-D regression). `dataset` is then ignored.
     */
    data: checkedSchema(checkMlpData).optional(),
  })
  .strict();
export type MlpParams = z.infer<typeof mlpParams>;

/** Parameters of `quadratic` (strict; defaults filled). */
export const quadraticParams = z
  .object({
    /** Condition number of A (ratio of its eigenvalues), ≥ 1. */
    cond: z.number().min(1).max(1e6).default(10),
    /** Rotation of the stiff axis from the θ₁ axis, in degrees. */
    angle: z.number().finite().default(30),
    /** The minimiser θ*. */
    center: z.tuple([z.number().finite(), z.number().finite()]).default([1, 0.5]),
  })
  .strict();
export type QuadraticParams = z.infer<typeof quadraticParams>;

/** Parameters of `sparse-regression` (strict; defaults filled). */
export const sparseRegressionParams = z
  .object({
    /** Input dimension d. */
    d: z.number().int().min(2).max(1000).default(40),
    /** Training examples (ignored when `data` is given). */
    n: z.number().int().min(2).max(10000).default(15),
    /** Examples in the seeded test set. */
    nTest: z.number().int().min(1).max(10000).default(1000),
    param: z.enum(['linear', 'diagonal']).default('diagonal'),
    /** Initial scale: std of w (linear), value of u and v (diagonal). */
    initScale: z.number().nonnegative().max(10).default(1e-3),
    /** Inline training data `{points: [[x₁…x_d], …], labels}` (labels 0/1); no test set then. */
    data: z.unknown().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.data === undefined) return;
    const res = checkClassification(p.data, p.d, 2);
    if (!res.ok) ctx.addIssue({ code: 'custom', path: ['data'], message: res.error });
  });
export type SparseRegressionParams = z.infer<typeof sparseRegressionParams>;

/** Parameters of `rosenbrock` (strict; defaults filled). */
export const rosenbrockParams = z
  .object({
    a: z.number().finite().default(1),
    b: z.number().positive().finite().default(100),
  })
  .strict();
export type RosenbrockParams = z.infer<typeof rosenbrockParams>;

// tiny-net
export const regressionData = z
  .object({ x: z.array(z.number().finite()).min(2).max(10000), y: z.array(z.number().finite()) })
  .strict()
  .refine((d) => d.x.length === d.y.length, { message: 'x and y must have the same length' });

/** Parameters of `tiny-net` (strict; defaults filled). */
export const tinyNetParams = z
  .object({
    n: z.number().int().min(2).max(10000).default(32),
    teacher: z.tuple([z.number().finite(), z.number().finite()]).default([1, 2]),
    noise: z.number().nonnegative().finite().default(0),
    data: regressionData.optional(),
  })
  .strict();
export type TinyNetParams = z.infer<typeof tinyNetParams>;

// digits
/** Pixels per image of `digits` (8×8) and its classes. */
export const DIGITS_PIXELS = 64;
export const DIGITS_CLASSES = 10;
/** Images of the bundled set (digits-data.ts). */
export const DIGITS_IMAGES = 1797;
/**
 * The most parameters a `digits` network may have: past this a step of even the
 * first-order methods is too slow to watch live in a page, and the recorded points grow
 * by P numbers per run and step.
 */
export const DIGITS_MAX_P = 200_000;

/** P of a `digits` network 64-h₁(-h₂)-10. */
export function digitsParamCount(hidden: readonly number[]): number {
  const widths = [DIGITS_PIXELS, ...hidden, DIGITS_CLASSES];
  let p = 0;
  for (let i = 1; i < widths.length; i++) p += ((widths[i - 1] ?? 0) + 1) * (widths[i] ?? 0);
  return p;
}

/** Inline images: `{points: [[64 pixels 0..16], …], labels: [0..9, …]}`. */
function checkDigitsData(raw: unknown): Checked<ClassificationData> {
  const res = checkClassification(raw, DIGITS_PIXELS, DIGITS_CLASSES);
  if (!res.ok) return res;
  for (let i = 0; i < res.data.points.length; i++) {
    const p = res.data.points[i] ?? [];
    const j = p.findIndex((v) => !(v >= 0 && v <= 16));
    if (j >= 0) return { ok: false, error: `row ${i + 1}, column ${j + 1}: pixel ${p[j]} is outside 0..16` };
  }
  return res;
}

/** Parameters of `digits` (strict; defaults filled). */
export const digitsParams = z
  .object({
    /** Hidden layer widths: one layer, or two (input side first). */
    hidden: z.array(z.number().int().min(1).max(1_000_000)).min(1).max(2).default([32]),
    activation: z.enum(['tanh', 'relu']).default('tanh'),
    /** Images held out as the test set (seeded split); the rest are the training set. */
    nTest: z.number().int().min(1).max(9998).default(297),
    /** Inline images instead of the bundled set (a CSV of 64 pixels and a label per row). */
    data: checkedSchema(checkDigitsData).optional(),
    /**
     * Mini-batch size B (1 ≤ B ≤ training images): each step's gradient and curvature use B
     * training images, drawn by the experiment's seed (problems/minibatch.ts); absent: full batch.
     */
    batch: z.number().int('must be a whole number of images').min(1, 'must be at least 1 image').optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const P = digitsParamCount(p.hidden);
    if (P > DIGITS_MAX_P) {
      ctx.addIssue({
        code: 'custom',
        path: ['hidden'],
        message: `64-${p.hidden.join('-')}-10 has P = ${P.toLocaleString('en-US')} parameters; the lab trains at most P = ${DIGITS_MAX_P.toLocaleString('en-US')} in a page`,
      });
    }
    const n = p.data ? p.data.labels.length : DIGITS_IMAGES;
    if (n - p.nTest < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['nTest'],
        message: `${p.nTest} test images leave ${n - p.nTest} of ${n} for training (at least 2 needed)`,
      });
    } else if (p.batch !== undefined && p.batch > n - p.nTest) {
      ctx.addIssue({
        code: 'custom',
        path: ['batch'],
        message: `a mini-batch of ${p.batch} images exceeds the ${n - p.nTest} training images (${n} less ${p.nTest} held out); leave it empty for the full batch`,
      });
    }
  });
export type DigitsParams = z.infer<typeof digitsParams>;

/**
 * The geometry the landscape plots draw for 2-parameter problems (docs/theory.md §1, §5):
 * a metric M at a point as its ellipse {δ : δᵀ M δ = c}, the Fisher pulled back through a
 * map's Jacobian (JᵀFJ), the implied metric of a step, and the steepest-descent directions
 * in the Euclidean and the Fisher geometry. Plain float64 arithmetic on 2×2 arrays; the
 * Fisher itself comes from geometry-at.ts.
 */
import { metricFor, impliedMetricOfStep, roundoffRadius } from './implied-metric';

export type Mat2 = number[][];
export type Vec2 = number[];

/** Eigen-decomposition of a symmetric 2×2 matrix: eigenvalues ascending, unit eigenvectors. */
export interface Eigen2 {
  values: [number, number];
  vectors: [Vec2, Vec2];
}

/**
 * Closed-form eigen-decomposition of the symmetric part of a 2×2 matrix. The smaller
 * eigenvalue is det/λmax (not mean − radius, which cancels for ill-conditioned M); the
 * eigenvector of λmax is at angle ½·atan2(2b, a − d).
 */
export function eigen2(M: Mat2): Eigen2 {
  const a = M[0]?.[0] ?? NaN;
  const d = M[1]?.[1] ?? NaN;
  const b = 0.5 * ((M[0]?.[1] ?? NaN) + (M[1]?.[0] ?? NaN));
  const mean = 0.5 * (a + d);
  const radius = Math.hypot(0.5 * (a - d), b);
  const hi = mean + radius;
  const lo = hi !== 0 ? (a * d - b * b) / hi : mean - radius;
  const t = 0.5 * Math.atan2(2 * b, a - d);
  const vHi: Vec2 = [Math.cos(t), Math.sin(t)];
  const vLo: Vec2 = [-Math.sin(t), Math.cos(t)];
  return { values: [lo, hi], vectors: [vLo, vHi] };
}

/** An ellipse {centre + δ : δᵀ M δ = c}. */
export interface Ellipse {
  center: Vec2;
  /** Semi-axis lengths, major first: √(c/λmin), √(c/λmax). */
  axes: [number, number];
  /** Unit directions of the major and the minor axis (eigenvectors of λmin and λmax). */
  directions: [Vec2, Vec2];
  /** The level c. */
  level: number;
}

/** Why a metric has no ellipse: singular (λmin ≤ 2ε·λmax), indefinite, or not finite. */
export function metricProblem(M: Mat2): string | null {
  if (M.length !== 2 || M.some((r) => r.length !== 2 || r.some((v) => !Number.isFinite(v))))
    return 'the metric is not a finite 2×2 matrix';
  const { values } = eigen2(M);
  const [lo, hi] = values;
  if (!(hi > 0)) return 'the metric is zero or negative';
  if (lo < 0 && lo < -4 * Number.EPSILON * hi) return 'the metric is indefinite';
  if (lo <= 4 * Number.EPSILON * hi) return 'the metric is singular here';
  return null;
}

/** The ellipse δᵀ M δ = c around `center`, or null when M is not positive definite. */
export function ellipseOf(M: Mat2, center: Vec2, level = 1): Ellipse | null {
  if (metricProblem(M) !== null || !(level > 0)) return null;
  const { values, vectors } = eigen2(M);
  return {
    center: [...center],
    axes: [Math.sqrt(level / values[0]), Math.sqrt(level / values[1])],
    directions: [vectors[0], vectors[1]],
    level,
  };
}

/** Jᵀ F J: a metric on θ pulled back to φ through θ = f(φ) with Jacobian J = ∂θ/∂φ. */
export function pullback(F: Mat2, J: Mat2): Mat2 {
  const FJ = F.map((row) => [0, 1].map((j) => row.reduce((s, v, k) => s + v * (J[k]?.[j] ?? NaN), 0)));
  return [0, 1].map((i) =>
    [0, 1].map((j) => J.reduce((s, row, k) => s + (row[i] ?? NaN) * (FJ[k]?.[j] ?? NaN), 0)),
  );
}

/** Jᵀ g: a gradient in θ as a gradient in φ. */
export function pullbackGradient(g: Vec2, J: Mat2): Vec2 {
  return [0, 1].map((i) => J.reduce((s, row, k) => s + (row[i] ?? NaN) * (g[k] ?? NaN), 0));
}

/** x with M x = g (2×2, by Cramer's rule in float64), or null when M is singular. */
export function solve2(M: Mat2, g: Vec2): Vec2 | null {
  if (metricProblem(M) !== null) return null;
  const [[a = NaN, b = NaN] = [], [c = NaN, d = NaN] = []] = M;
  const det = a * d - b * c;
  const x = [(d * (g[0] ?? NaN) - b * (g[1] ?? NaN)) / det, (a * (g[1] ?? NaN) - c * (g[0] ?? NaN)) / det];
  return x.every(Number.isFinite) ? x : null;
}

/** The implied metric of a step p_k → p_{k+1} with gradient g at p_k, or why there is none. */
export type StepMetric = { ok: true; metric: Mat2; kappa: number } | { ok: false; note: string };

/**
 * The best-conditioned SPD metric M with M u = g for the step u = p_k − p_{k+1}
 * (implied-metric.ts `metricFor`, α = gᵀg/gᵀu; its condition number is κ*, docs/theory.md §5).
 * A step within float32 round-off of the iterates has no direction to explain, and an
 * uphill step has no metric: both are reported, not drawn.
 */
export function stepMetric(before: Vec2, after: Vec2, g: Vec2): StepMetric {
  const u = before.map((v, i) => v - (after[i] as number));
  const size = Math.hypot(...u);
  if (!(size > roundoffRadius(before, after))) return { ok: false, note: 'step within float32 round-off' };
  const verdict = impliedMetricOfStep(before, after, g, false);
  if (!verdict.descent)
    return {
      ok: false,
      note: `no implied metric: the step is ${verdict.reason === 'ascent' ? 'uphill' : verdict.reason === 'orthogonal' ? 'orthogonal to the gradient' : 'zero'}`,
    };
  const metric = metricFor(u, g);
  return { ok: true, metric, kappa: verdict.kappa };
}

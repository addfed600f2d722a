/**
 * The implied metric of a step (docs/theory.md §5; arXiv 2409.16422). A step Δθ = −η u with gradient g
 * and uᵀg > 0 is a natural-gradient step u = M⁻¹g for many SPD metrics M; the smallest
 * condition number among them is
 *   κ* = (1 + sin ψ)/(1 − sin ψ) = ((1 + sin ψ)/cos ψ)²,
 * ψ the angle between u and g (the Kantorovich bound solved for κ). When uᵀg ≤ 0 no
 * such metric exists: the step is "not a descent step" and there is no number to show.
 * All arithmetic is float64 on plain arrays; lengths of u and g do not matter.
 */

/** The verdict for one step. Angles in radians. */
export type ImpliedMetric =
  | { descent: true; psi: number; cosPsi: number; sinPsi: number; kappa: number }
  | {
      descent: false;
      /** uᵀg < 0 (uphill), uᵀg = 0 (sideways), or u = 0 or g = 0 (no step or a critical point). */
      reason: 'ascent' | 'orthogonal' | 'zero';
    };

const dot = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((s, v, i) => s + v * (b[i] as number), 0);

/** ψ and κ* for step direction u (Δθ = −ηu) and gradient g, or why there is none. */
export function impliedMetric(u: readonly number[], g: readonly number[]): ImpliedMetric {
  if (u.length !== g.length) throw new Error('impliedMetric: u and g must have the same length');
  const uu = dot(u, u);
  const gg = dot(g, g);
  if (!(uu > 0) || !(gg > 0)) return { descent: false, reason: 'zero' };
  const ug = dot(u, g);
  if (ug < 0) return { descent: false, reason: 'ascent' };
  if (ug === 0) return { descent: false, reason: 'orthogonal' };
  const nu = Math.sqrt(uu);
  const ng = Math.sqrt(gg);
  const cosPsi = Math.min(1, ug / (nu * ng));
  // sin ψ from the part of g orthogonal to u: accurate for small ψ, where 1 − cos² is not.
  const reject = g.map((v, i) => v - (ug / uu) * (u[i] as number));
  const sinPsi = Math.min(1, Math.sqrt(dot(reject, reject)) / ng);
  // The squared form keeps precision as ψ → 90°, where 1 − sin ψ cancels.
  const kappa = ((1 + sinPsi) / cosPsi) ** 2;
  return { descent: true, psi: Math.atan2(sinPsi, cosPsi), cosPsi, sinPsi, kappa };
}

/** The same verdict for a step from θ_k to θ_{k+1}: u ∝ θ_k − θ_{k+1} (η drops out). */
export function impliedMetricOfStep(
  before: readonly number[],
  after: readonly number[],
  g: readonly number[],
): ImpliedMetric {
  return impliedMetric(
    before.map((v, i) => v - (after[i] as number)),
    g,
  );
}

/**
 * One SPD metric with M u = g:  M = g gᵀ/(gᵀu) + α (I − u uᵀ/uᵀu).
 * With the default α = gᵀg/(gᵀu) its condition number is κ* (it acts on span{u, g} and
 * as αI elsewhere); the α = 1 of arXiv 2409.16422 works too but is worse conditioned in general.
 * Throws when uᵀg ≤ 0: then no SPD metric maps u to g.
 */
export function metricFor(u: readonly number[], g: readonly number[], alpha?: number): number[][] {
  const verdict = impliedMetric(u, g);
  if (!verdict.descent) throw new Error(`metricFor: not a descent step (${verdict.reason})`);
  const ug = dot(u, g);
  const uu = dot(u, u);
  const a = alpha ?? dot(g, g) / ug;
  return g.map((gi, i) =>
    g.map((gj, j) => (gi * gj) / ug + a * ((i === j ? 1 : 0) - ((u[i] as number) * (u[j] as number)) / uu)),
  );
}

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

/**
 * The lab's iterates are float32: θ_{k+1} is rounded to float32 after every update, so each
 * coordinate of the measured step θ_k − θ_{k+1} may be off by up to one unit in the last
 * place (ulp, 2⁻²³·|θ_i| rounded up to a power of two) of the larger of |θ_{k,i}|, |θ_{k+1,i}|.
 * Near a converged point the step shrinks to a few ulps and its direction is round-off:
 * it can point anywhere, uphill too, while the loss is flat. Steps are therefore judged up
 * to this many ulps per coordinate (docs/theory.md §5).
 */
export const ROUNDOFF_ULPS = 1;

/** One float32 ulp of |x| (rounded up to a power of two; the smallest normal's ulp at 0). */
export function ulp32(x: number): number {
  const a = Math.abs(x);
  if (!(a >= 2 ** -126)) return 2 ** -149;
  return 2 ** (Math.ceil(Math.log2(a)) - 23);
}

/** The radius of the round-off ball around the step θ_k − θ_{k+1}: ‖(ROUNDOFF_ULPS·ulp_i)‖₂. */
export function roundoffRadius(before: readonly number[], after: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < before.length; i++) {
    const u = ROUNDOFF_ULPS * ulp32(Math.max(Math.abs(before[i] as number), Math.abs(after[i] as number)));
    s += u * u;
  }
  return Math.sqrt(s);
}

/**
 * The verdict for a step up to a round-off radius e: the step is judged by the direction
 * closest to g among all steps u′ with ‖u′ − u‖ ≤ e. That ball subtends a half-angle
 * asin(e/‖u‖) seen from 0, so ψ_tol = max(0, ψ − asin(e/‖u‖)); a step no longer than e
 * has ψ_tol = 0 (κ* = 1: round-off could be exactly along −g). Only ψ_tol > 90° — uphill
 * beyond round-off — is "not a descent step".
 */
export function impliedMetricWithin(u: readonly number[], g: readonly number[], e: number): ImpliedMetric {
  const uu = dot(u, u);
  const gg = dot(g, g);
  if (!(gg > 0)) return { descent: false, reason: 'zero' };
  const nu = Math.sqrt(uu);
  if (nu <= e) return { descent: true, psi: 0, cosPsi: 1, sinPsi: 0, kappa: 1 };
  const slack = Math.asin(Math.min(1, e / nu));
  const ug = dot(u, g);
  // ψ in [0, π] from the component along g and the rest (accurate at both ends).
  const ng = Math.sqrt(gg);
  const along = ug / ng;
  const reject = u.map((v, i) => v - (ug / gg) * (g[i] as number));
  const psiRaw = Math.atan2(Math.sqrt(dot(reject, reject)), along);
  const psi = Math.max(0, psiRaw - slack);
  if (psi > Math.PI / 2) return { descent: false, reason: 'ascent' };
  if (psi === Math.PI / 2) return { descent: false, reason: 'orthogonal' };
  const cosPsi = Math.cos(psi);
  const sinPsi = Math.sin(psi);
  return { descent: true, psi, cosPsi, sinPsi, kappa: ((1 + sinPsi) / cosPsi) ** 2 };
}

/**
 * The verdict for a step from θ_k to θ_{k+1}: u ∝ θ_k − θ_{k+1} (η drops out). With
 * `roundoff` (the lab's default) judged up to float32 round-off of the iterates
 * (ROUNDOFF_ULPS, `impliedMetricWithin`); without, exactly as the numbers are.
 */
export function impliedMetricOfStep(
  before: readonly number[],
  after: readonly number[],
  g: readonly number[],
  roundoff = false,
): ImpliedMetric {
  const u = before.map((v, i) => v - (after[i] as number));
  return roundoff ? impliedMetricWithin(u, g, roundoffRadius(before, after)) : impliedMetric(u, g);
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

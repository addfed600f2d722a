/**
 * The Fisher, the gradient and the natural gradient at points of a 2-parameter problem, in
 * θ and in φ (docs/theory.md §1): F(θ) is formed in float64 from the backend's per-example
 * derivatives (curvature/fisher.ts); in φ it is pulled back with the map's float64 Jacobian,
 * F_φ = Jᵀ F(f(φ)) J, and the gradient is Jᵀ g — so the φ ellipses are the θ ellipses
 * carried by the map. With the next point of a run, also the implied metric of that step
 * (geometry.ts `stepMetric`, docs/theory.md §5). Points where F is singular or where the
 * map leaves its domain get a note instead of numbers; nothing throws for them.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import type { Session } from '../experiment';
import type { Window } from '../landscape/grid';
import { fisherMatrix } from '../optimizers/curvature/fisher';
import {
  metricProblem,
  pullback,
  pullbackGradient,
  solve2,
  stepMetric,
  type Mat2,
  type Vec2,
} from './geometry';

export type GeometrySpace = 'theta' | 'phi';

/** The geometry at one point, in the coordinates of `space`. */
export interface GeometryAt {
  space: GeometrySpace;
  at: Vec2;
  /** The Fisher in these coordinates (φ: JᵀFJ), float64; null where skipped (see `note`). */
  fisher: Mat2 | null;
  /** ∇L in these coordinates (φ: Jᵀ∇_θL); null where skipped. */
  gradient: Vec2 | null;
  /** F⁻¹∇L, the natural-gradient direction (steepest descent is its negative); null where F is singular. */
  natural: Vec2 | null;
  /**
   * On a network's slice (geometry-slice.ts): the Euclidean metric in slice coordinates,
   * UᵀU; absent in θ and φ, where it is the identity.
   */
  euclidean?: Mat2;
  /** On a slice: (UᵀU)⁻¹∇L, the Euclidean steepest-ascent direction there; absent: `gradient`. */
  steepest?: Vec2;
  /** With a next point: the best-conditioned metric of the step (κ* its condition number), or null (see `note`). */
  implied?: { metric: Mat2; kappa: number } | null;
  /** Why something is missing (F singular, outside the map's domain, an uphill step). */
  note?: string;
}

type GeometrySession = Pick<Session, 'problem' | 'reparam' | 'objective'>;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** F(θ) and ∇L(θ) in float64, or why not. The row tensor is disposed here. */
async function thetaParts(session: GeometrySession, theta: Vec2): Promise<{ F: Mat2; g: Vec2 } | string> {
  if (!theta.every(Number.isFinite)) return 'the point is not finite';
  const outside = session.problem.domainError(theta);
  if (outside) return `outside the problem's domain: ${outside}`;
  const objective = session.objective('theta');
  const row = tf.tensor2d([[...theta]]) as Tensor2D;
  try {
    const F = await fisherMatrix(objective, row);
    const gt = tf.tidy(() => gradient(objective, row));
    let g: Vec2;
    try {
      g = Array.from(await gt.data());
    } finally {
      gt.dispose();
    }
    return { F, g };
  } catch (err) {
    return `the Fisher could not be formed: ${message(err)}`;
  } finally {
    row.dispose();
  }
}

/** The map's θ = f(φ) and J = ∂θ/∂φ at φ, or why not (outside f's domain or image). */
function mapAt(session: GeometrySession, phi: Vec2): { theta: Vec2; J: Mat2 } | string {
  try {
    const theta = session.reparam.forward64(phi);
    const outside = session.reparam.domainError(theta);
    if (outside) return `the map leaves its domain here: ${outside}`;
    const J = session.reparam.jacobian64(phi);
    if (!theta.every(Number.isFinite) || !J.flat().every(Number.isFinite))
      return 'the map is not finite here';
    return { theta, J };
  } catch (err) {
    return `the map leaves its domain here: ${message(err)}`;
  }
}

/** A point the overlay leaves out, with why (geometry-slice.ts uses it too). */
export const skipped = (space: GeometrySpace, at: Vec2, note: string, withStep: boolean): GeometryAt => ({
  space,
  at: [...at],
  fisher: null,
  gradient: null,
  natural: null,
  ...(withStep ? { implied: null } : {}),
  note,
});

/**
 * The geometry at `at` in `space`; with `next`, the implied metric of the step at → next
 * in the same coordinates. Only for 2-parameter problems (and 2-D maps in φ).
 */
export async function geometryAt(
  session: GeometrySession,
  space: GeometrySpace,
  at: Vec2,
  next?: Vec2,
): Promise<GeometryAt> {
  const withStep = next !== undefined;
  if (session.problem.P !== 2) return skipped(space, at, 'only 2-parameter problems are drawn', withStep);
  if (space === 'phi' && session.reparam.Q !== 2) return skipped(space, at, 'φ is not 2-D', withStep);
  let theta = at;
  let J: Mat2 | null = null;
  if (space === 'phi') {
    const m = mapAt(session, at);
    if (typeof m === 'string') return skipped(space, at, m, withStep);
    theta = m.theta;
    J = m.J;
  }
  const parts = await thetaParts(session, theta);
  if (typeof parts === 'string') return skipped(space, at, parts, withStep);
  return assemble(space, at, parts, J, next);
}

/** The geometry at `at` from F(θ) and ∇L(θ) at θ = f(at) (J: the map's Jacobian there, φ only). */
function assemble(
  space: GeometrySpace,
  at: Vec2,
  parts: { F: Mat2; g: Vec2 },
  J: Mat2 | null,
  next?: Vec2,
): GeometryAt {
  const F = J ? pullback(parts.F, J) : parts.F;
  const g = J ? pullbackGradient(parts.g, J) : parts.g;
  const problem = metricProblem(F);
  const out: GeometryAt = {
    space,
    at: [...at],
    fisher: F,
    gradient: g,
    natural: problem ? null : solve2(F, g),
  };
  if (problem) out.note = `Fisher: ${problem}`;
  if (next) {
    const s = next.every(Number.isFinite)
      ? stepMetric(at, next, g)
      : { ok: false as const, note: 'no next point' };
    out.implied = s.ok ? { metric: s.metric, kappa: s.kappa } : null;
    if (!s.ok) out.note = out.note ? `${out.note}; ${s.note}` : s.note;
  }
  return out;
}

/** f⁻¹(θ), or why θ has no preimage. */
function preimage(session: GeometrySession, theta: Vec2): Vec2 | string {
  const outside = session.reparam.domainError(theta);
  if (outside) return `outside the image of the map: ${outside}`;
  try {
    const phi = session.reparam.inverse64(theta);
    return phi.every(Number.isFinite) ? phi : 'f⁻¹ is not finite here';
  } catch (err) {
    return `outside the image of the map: ${message(err)}`;
  }
}

/**
 * A sparse n × n grid of points over the θ window (cell centres, so no ellipse sits on the
 * frame), with the geometry at each; and, when the map is 2-D and not the identity, the
 * same points carried to φ = f⁻¹(θ) with the pulled-back Fisher there.
 */
export async function geometryGrid(
  session: GeometrySession,
  window: Window,
  n: number,
  withPhi: boolean,
): Promise<{ theta: GeometryAt[]; phi: GeometryAt[] }> {
  const [[x0, x1], [y0, y1]] = window;
  const theta: GeometryAt[] = [];
  const phi: GeometryAt[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const p: Vec2 = [x0 + ((x1 - x0) * (i + 0.5)) / n, y0 + ((y1 - y0) * (j + 0.5)) / n];
      // One Fisher per grid point, pulled back for φ (θ = f(f⁻¹(θ)) is the same point).
      const parts =
        session.problem.P === 2 ? await thetaParts(session, p) : 'only 2-parameter problems are drawn';
      theta.push(
        typeof parts === 'string' ? skipped('theta', p, parts, false) : assemble('theta', p, parts, null),
      );
      if (!withPhi) continue;
      const q = preimage(session, p);
      if (typeof q === 'string') {
        phi.push(skipped('phi', [NaN, NaN], q, false));
        continue;
      }
      const m = mapAt(session, q);
      if (typeof m === 'string') phi.push(skipped('phi', q, m, false));
      else if (typeof parts === 'string') phi.push(skipped('phi', q, parts, false));
      else phi.push(assemble('phi', q, parts, m.J));
    }
  }
  return { theta, phi };
}

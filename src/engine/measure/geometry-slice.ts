/**
 * The geometry on a network's 2-D slice θ = c + a·u + b·v (docs/theory.md §1, §5; the slice:
 * landscape/slice.ts). With U = [u v] (P×2) the slice coordinates (a, b) carry
 *
 *   the Fisher restricted to the plane   F_s = UᵀF(θ)U   (the Fisher factor times U, or J u and J v)
 *   the Euclidean metric of the plane    G   = UᵀU       (u, v need not be orthonormal)
 *   the gradient of L along the plane    g_s = Uᵀ∇L(θ)
 *
 * and the steepest-descent directions within the plane are −G⁻¹g_s (Euclidean) and −F_s⁻¹g_s
 * (Fisher). A point off the plane is taken at θ itself (its Fisher and gradient) and drawn at
 * its projection (a, b) = G⁻¹Uᵀ(θ − c). The implied metric of a step θ_k → θ_{k+1} is that
 * of the step's and the gradient's orthogonal projections onto the plane, formed in an
 * orthonormal basis Q of it (U = QR, G = RᵀR), where the Euclidean metric is I and κ* keeps
 * its meaning (a gradient step: κ* = 1), and carried to (a, b) as RᵀMR: a gradient step's
 * ellipse is G's. All 2×2 arithmetic in float64.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient, type Objective } from '../objective';
import type { Session } from '../experiment';
import type { Window } from '../landscape/grid';
import { checkSlice, slicePoint, type Slice } from '../landscape/slice';
import { fisherFactorTensor } from '../optimizers/curvature/fisher';
import { fisherRows } from '../problems/likelihood';
import { roundoffRadius } from './implied-metric';
import { metricProblem, solve2, stepMetric, type Mat2, type Vec2 } from './geometry';
import { skipped, type GeometryAt } from './geometry-at';

/** Largest Fisher factor (N·C·P numbers) formed on the backend for F_s; above it two directional derivatives. */
export const SLICE_FACTOR_MAX_ENTRIES = 4_000_000;

/** The plane's Euclidean metric G = UᵀU and its Cholesky factor R (upper triangular, G = RᵀR). */
export interface SliceFrame {
  slice: Slice;
  gram: Mat2;
  R: Mat2;
}

const dot = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (y[i] as number);
  return s;
};

/** G = UᵀU and R; throws when u and v span no plane. */
export function sliceFrame(slice: Slice): SliceFrame {
  const g11 = dot(slice.d1, slice.d1);
  const g12 = dot(slice.d1, slice.d2);
  const g22 = dot(slice.d2, slice.d2);
  if (!(g11 * g22 - g12 * g12 > 1e-12 * g11 * g22))
    throw new Error('the slice directions are not linearly independent');
  const r11 = Math.sqrt(g11);
  const r12 = g12 / r11;
  const r22 = Math.sqrt(g22 - r12 * r12);
  return {
    slice,
    gram: [
      [g11, g12],
      [g12, g22],
    ],
    R: [
      [r11, r12],
      [0, r22],
    ],
  };
}

/** Uᵀx for a P-vector x. */
export function restrict(frame: SliceFrame, x: ArrayLike<number>): Vec2 {
  return [dot(frame.slice.d1, x), dot(frame.slice.d2, x)];
}

/** The slice coordinates of θ's orthogonal projection: G⁻¹Uᵀ(θ − c). */
export function sliceCoords(frame: SliceFrame, theta: readonly number[]): Vec2 {
  const x = theta.map((t, i) => t - (frame.slice.centre[i] as number));
  return solve2(frame.gram, restrict(frame, x)) ?? [NaN, NaN];
}

/**
 * J_n d for every example n at `row`: the outputs' derivative along the direction d, [N, C].
 * Along the line θ + t·d the outputs h(t) are a function of one number t, and
 * ∂/∂t Σ w ⊙ h = wᵀ(J d) is linear in w, so its gradient in w is J d (a nested gradient, as in
 * curvature/matrix-free.ts, but over one batch at a single parameter row: no per-example tiling).
 */
function directionalOutputs(obj: Objective, row: Tensor2D, d: Tensor2D): Tensor2D {
  const { N, C } = obj.problem;
  const along = (w: Tensor2D): Tensor2D =>
    tf.grad((t) => tf.sum(tf.mul(tf.squeeze(obj.outputs(tf.add(row, tf.mul(t, d)) as Tensor2D), [0]), w)))(
      tf.zeros([1, 1]),
    ) as Tensor2D;
  return tf.grad((w) => tf.sum(along(w as Tensor2D)))(tf.zeros([N, C])) as Tensor2D;
}

/**
 * F_s = UᵀF(θ)U in float64, as (WU)ᵀ(WU)/N with W the Fisher factor (F = WᵀW/N,
 * curvature/fisher.ts; rows M'_n J_n, M'ᵀM' = Λ_n). While W has at most
 * SLICE_FACTOR_MAX_ENTRIES numbers it is formed (the dense networks' fast path) and
 * multiplied by U on the backend; above that (digits) WU comes from the two directional
 * derivatives J u, J v of the outputs and M' — the work of a few gradients, never [N, P].
 */
export async function restrictedFisher(
  obj: Objective,
  theta: readonly number[],
  frame: SliceFrame,
  maxFactorEntries = SLICE_FACTOR_MAX_ENTRIES,
): Promise<Mat2> {
  const { N, C } = obj.problem;
  const P = obj.P;
  const { d1, d2 } = frame.slice;
  const WU = tf.tidy(() => {
    const row = tf.tensor2d([Array.from(theta)]) as Tensor2D;
    const basis = tf.tensor2d(Float32Array.from([...d1, ...d2]), [2, P]) as Tensor2D;
    if (N * C * P <= maxFactorEntries)
      return tf.matMul(fisherFactorTensor(obj, row), basis, false, true) as Tensor2D;
    const M = fisherRows(obj.problem.likelihood, tf.squeeze(obj.outputs(row), [0]) as Tensor2D); // [N, r, C]
    const r = M.shape[1];
    const cols = [0, 1].map((k) => {
      const Jd = directionalOutputs(obj, row, tf.slice(basis, [k, 0], [1, P]) as Tensor2D); // [N, C]
      return tf.reshape(tf.matMul(M, tf.expandDims(Jd, 2)), [N * r, 1]);
    });
    return tf.concat(cols, 1) as Tensor2D;
  });
  let data: Float32Array | Int32Array | Uint8Array;
  try {
    data = await WU.data();
  } finally {
    WU.dispose();
  }
  let [s11, s12, s22] = [0, 0, 0];
  for (let k = 0; k + 1 < data.length; k += 2) {
    const [x, y] = [data[k] as number, data[k + 1] as number];
    s11 += x * x;
    s12 += x * y;
    s22 += y * y;
  }
  return [
    [s11 / N, s12 / N],
    [s12 / N, s22 / N],
  ];
}

type SliceSession = Pick<Session, 'problem' | 'objective'>;

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** ∇L(θ) in float64 (from the backend's float32). */
async function gradientAt(obj: Objective, theta: readonly number[]): Promise<number[]> {
  const g = tf.tidy(() => gradient(obj, tf.tensor2d([Array.from(theta)]) as Tensor2D));
  try {
    return Array.from(await g.data());
  } finally {
    g.dispose();
  }
}

/** Rx and R⁻ᵀy for the upper-triangular R of the frame. */
const timesR = (R: Mat2, x: Vec2): Vec2 => [
  (R[0]![0] as number) * (x[0] as number) + (R[0]![1] as number) * (x[1] as number),
  (R[1]![1] as number) * (x[1] as number),
];
const solveRt = (R: Mat2, y: Vec2): Vec2 => {
  const z0 = (y[0] as number) / (R[0]![0] as number);
  return [z0, ((y[1] as number) - (R[0]![1] as number) * z0) / (R[1]![1] as number)];
};
/** RᵀMR. */
const congruence = (M: Mat2, R: Mat2): Mat2 =>
  [0, 1].map((i) =>
    [0, 1].map((j) =>
      [0, 1].reduce(
        (s, k) =>
          s +
          [0, 1].reduce((t, l) => t + (R[k]![i] as number) * (M[k]![l] as number) * (R[l]![j] as number), 0),
        0,
      ),
    ),
  );

/**
 * The implied metric in (a, b) of the step θ → next with ∇L(θ) = g: the best-conditioned
 * metric of the projected step and projected gradient in the orthonormal coordinates
 * w = R(a, b), carried back as RᵀMR (κ* unchanged).
 */
export function sliceStepMetric(
  frame: SliceFrame,
  theta: readonly number[],
  next: readonly number[],
  gs: Vec2,
): { ok: true; metric: Mat2; kappa: number } | { ok: false; note: string } {
  if (!next.every(Number.isFinite) || next.length !== theta.length)
    return { ok: false, note: 'no next point' };
  const before = timesR(frame.R, sliceCoords(frame, [...theta]));
  const after = timesR(frame.R, sliceCoords(frame, [...next]));
  // The projected step is noise when it is within θ's own float32 round-off.
  if (!(Math.hypot(before[0]! - after[0]!, before[1]! - after[1]!) > roundoffRadius(theta, next)))
    return { ok: false, note: 'the step’s projection on the slice is within float32 round-off' };
  const s = stepMetric(before, after, solveRt(frame.R, gs));
  if (!s.ok) return { ok: false, note: `${s.note} (within the slice)` };
  return { ok: true, metric: congruence(s.metric, frame.R), kappa: s.kappa };
}

/**
 * The geometry at the full parameter vector θ, in slice coordinates: `at` is θ's projection,
 * `fisher` F_s, `gradient` g_s, `euclidean` G, `steepest` G⁻¹g_s, `natural` F_s⁻¹g_s; with
 * `next`, the implied metric of the step θ → next (`sliceStepMetric`).
 */
export async function sliceGeometryAt(
  session: SliceSession,
  frame: SliceFrame,
  theta: readonly number[],
  next?: readonly number[],
  at?: Vec2,
): Promise<GeometryAt> {
  const withStep = next !== undefined;
  const P = session.problem.P;
  if (theta.length !== P)
    return skipped('theta', [NaN, NaN], `the point has ${theta.length} entries, not ${P}`, withStep);
  if (!theta.every(Number.isFinite)) return skipped('theta', [NaN, NaN], 'the point is not finite', withStep);
  const ab = at ?? sliceCoords(frame, [...theta]);
  const outside = session.problem.domainError([...theta]);
  if (outside) return skipped('theta', ab, `outside the problem's domain: ${outside}`, withStep);
  const obj = session.objective('theta');
  let F: Mat2;
  let g: number[];
  try {
    F = await restrictedFisher(obj, theta, frame);
    g = await gradientAt(obj, theta);
  } catch (err) {
    return skipped('theta', ab, `the Fisher could not be formed: ${message(err)}`, withStep);
  }
  const gs = restrict(frame, g);
  const problem = metricProblem(F);
  const out: GeometryAt = {
    space: 'theta',
    at: [...ab],
    fisher: F,
    gradient: gs,
    natural: problem ? null : solve2(F, gs),
    euclidean: frame.gram,
    steepest: solve2(frame.gram, gs) ?? undefined,
  };
  if (problem) out.note = `Fisher on the slice: ${problem}`;
  if (next) {
    const s = sliceStepMetric(frame, theta, next, gs);
    out.implied = s.ok ? { metric: s.metric, kappa: s.kappa } : null;
    if (!s.ok) out.note = out.note ? `${out.note}; ${s.note}` : s.note;
  }
  return out;
}

/**
 * The geometry on an n × n grid of cell centres over the slice window (row-major, b up),
 * at the points c + a·u + b·v of the plane. `current` is asked between points: false stops
 * the grid early (what was computed is returned).
 */
export async function sliceGeometryGrid(
  session: SliceSession,
  frame: SliceFrame,
  window: Window,
  n: number,
  current: () => boolean = () => true,
): Promise<GeometryAt[]> {
  checkSlice(frame.slice, session.problem.P);
  const [[x0, x1], [y0, y1]] = window;
  const out: GeometryAt[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (!current()) return out;
      const ab: Vec2 = [x0 + ((x1 - x0) * (i + 0.5)) / n, y0 + ((y1 - y0) * (j + 0.5)) / n];
      out.push(await sliceGeometryAt(session, frame, slicePoint(frame.slice, ab[0]!, ab[1]!), undefined, ab));
    }
  }
  return out;
}

/**
 * The shared engine of every curvature-based optimizer: per-row solves in float64,
 * damping (none | λI, optionally adaptive | Fisher-norm trust region, see damping.ts) and
 * the integrators of docs/theory.md §4:
 *   euler     p' = p − η M(p)⁻¹ g(p)
 *   midpoint  p½ = p − (η/2) M(p)⁻¹ g(p),  p' = p − η M(p½)⁻¹ g(p½)
 * An optimizer supplies only its curvature at one row (`MetricAt`). Each of the R rows
 * is an independent run. Non-finite values never throw: the row becomes NaN and the
 * session marks the run diverged. How each row's direction was solved (Cholesky,
 * pseudo-inverse, |eigen|, Woodbury, CG) is reported by `info()`.
 *
 * Exported state (state.ts), per row: `lambda` (scalar, the adaptive λ), `previous` (the
 * last solved direction δ = M⁻¹g, a tangent vector; the warm start of Hessian-free and of
 * the exact methods' damped CG) and the optimizer's own entries through its `stateCodec`
 * (K-FAC's factors). `info()` is not state: after an import it is empty until the next step.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient, type Objective } from '../objective';
import { allFinite, nanVec, type Vec } from '../linalg/dense';
import type { CgReport, SolveMethod } from '../linalg/solve';
import type { AnyMetric, AsyncMetric } from './curvature/metric';
import type { Hyper, Optimizer, OptimizerDef } from './optimizer';
import { checkState, entryOf, type OptimizerState, type StateKind } from './state';
import { adaptLambda, initialLambda, predictedDecrease, trustScale } from './damping';

/** What happened to one row in the last step. */
export interface StepInfo {
  /** How the (last) direction was solved; 'non-finite' when the row diverged. */
  method: SolveMethod;
  /** The λ used (0 unless damping is `lm`). */
  lambda: number;
  /** The trust-region factor applied to the step (1 when inside or not used). */
  trustScale: number;
  /** CG solves: iterations and final relative residual. */
  cg?: CgReport;
}

export interface SecondOrderOptimizer extends Optimizer {
  /** One entry per row, from the last step (empty before the first). */
  info(): readonly StepInfo[];
}

/** Context a curvature builder may use: hyper-parameters, this row's last direction and state. */
export interface MetricContext<S> {
  hyper: Hyper;
  /**
   * The direction δ (of M δ = g) this row solved last, or null: the previous step's, or
   * at the midpoint rule's half point this step's first (a warm start for CG).
   */
  previous: Vec | null;
  /** This row's own state (e.g. K-FAC's running factors), made by `initState`. */
  state: S;
}

/**
 * The curvature of an optimizer at one parameter row [1, P], in float64. Reads back from
 * the backend asynchronously (`await t.data()`): a synchronous read loses the device on
 * tfjs-webgpu. `row` stays alive until the promise settles.
 */
export type MetricAt<S> = (
  obj: Objective,
  row: Tensor2D,
  ctx: MetricContext<S>,
) => AnyMetric | Promise<AnyMetric>;

/** One row's own state as named flat arrays (null: absent), and back. */
export interface StateCodec<S> {
  kinds: Record<string, StateKind>;
  encode(state: S): Record<string, number[] | null>;
  /** `values` has every name of `kinds`; the objective gives the layout (e.g. layer blocks). */
  decode(values: Record<string, number[] | null>, obj: Objective): S;
}

/**
 * The gradient (float64) and the curvature of one row from one pass (K-FAC on a dense
 * network: one forward, one read). `metric` is null when g is not finite (then the row's
 * state is left as it was).
 */
export type GradientAndMetricAt<S> = (
  obj: Objective,
  row: Tensor2D,
  ctx: MetricContext<S>,
) => Promise<{ g: Vec; metric: AnyMetric | null }>;

export interface SecondOrderSpec<S> extends Omit<OptimizerDef, 'create'> {
  metric: MetricAt<S>;
  /**
   * Optional: gradient and curvature together, used for every row instead of the batch
   * gradient + `metric` when `applies(obj)`. It must compute the same g as `gradient`.
   */
  withGradient?: { applies: (obj: Objective) => boolean; at: GradientAndMetricAt<S> };
  /** Fresh per-row state (plain data, no tensors), for curvature that remembers. */
  initState?: () => S;
  /** Required with `initState`: how the per-row state is exported and imported. */
  stateCodec?: StateCodec<S>;
}

/** Free what a metric holds between its products (a matrix-free metric's forward pass). */
function release(metric: AnyMetric | null): void {
  (metric as AsyncMetric | null)?.dispose?.();
}

interface Direction {
  g: Vec;
  delta: Vec;
  metric: AnyMetric | null;
  method: SolveMethod;
  cg?: CgReport;
}

/** Build an OptimizerDef from a curvature. */
export function secondOrder<S = undefined>(spec: SecondOrderSpec<S>): OptimizerDef {
  const { metric, withGradient, initState, stateCodec, ...def } = spec;
  const fresh = (): S => (initState ? initState() : (undefined as S));
  return {
    ...def,
    create: (objective, hyper, rows) => {
      const fused = withGradient?.applies(objective) ? withGradient.at : null;
      return createSecondOrder(objective, hyper, rows, def, metric, fused, fresh, stateCodec ?? null);
    },
  };
}

function createSecondOrder<S>(
  obj: Objective,
  hyper: Hyper,
  R: number,
  def: Omit<OptimizerDef, 'create'>,
  metricAt: MetricAt<S>,
  fused: GradientAndMetricAt<S> | null,
  fresh: () => S,
  codec: StateCodec<S> | null,
): SecondOrderOptimizer {
  const P = obj.P;
  const damping = hyper.damping;
  // Only optimizers that declare an integrator (ngd, ggn) take the midpoint rule.
  const midpoint = hyper.integrator === 'midpoint' && def.uses.includes('integrator');
  // Per-row state, indexed by row; `keepRows` narrows every array together.
  let states = Array.from({ length: R }, fresh);
  let lambdas = new Array<number>(R).fill(initialLambda(damping));
  let previous: (Vec | null)[] = new Array<Vec | null>(R).fill(null);
  let last: StepInfo[] = [];

  /** Gradient and solved direction of every row at points `at` (float64 rows). */
  // Tensors live only between a tidy part and the read that follows it; each is disposed
  // in a `finally`, so a throw (or a failed read) leaks nothing. The metrics of the
  // returned directions may hold tensors until `release` (the step releases them).
  async function directions(at: number[][], warm: readonly (Vec | null)[]): Promise<Direction[]> {
    // The batch gradient, unless gradient and curvature come together row by row.
    let grads: number[][] | null = null;
    if (!fused) {
      const gT = tf.tidy(() => gradient(obj, tf.tensor2d(at, [at.length, P])));
      try {
        grads = await gT.array();
      } finally {
        gT.dispose();
      }
    }
    const out: Direction[] = [];
    try {
      await eachRow(at, grads, warm, out);
    } catch (err) {
      out.forEach((d) => release(d.metric));
      throw err;
    }
    return out;
  }

  /** The directions of the rows `at` into `out`, in turn (see `directions`). */
  async function eachRow(
    at: number[][],
    grads: number[][] | null,
    warm: readonly (Vec | null)[],
    out: Direction[],
  ): Promise<void> {
    // Rows in turn: a metric may update its row's state (K-FAC's running factors).
    for (const [r, p] of at.entries()) {
      const batchG = grads ? (grads[r] as Vec) : null;
      if (!allFinite(p) || (batchG && !allFinite(batchG))) {
        out.push({ g: batchG ?? nanVec(P), delta: nanVec(P), metric: null, method: 'non-finite' });
        continue;
      }
      const ctx = { hyper, previous: warm[r] ?? null, state: states[r] as S };
      const row = tf.tensor2d(Float32Array.from(p), [1, P]);
      let g: Vec;
      let metric: AnyMetric | null;
      try {
        ({ g, metric } = batchG
          ? { g: batchG, metric: await metricAt(obj, row, ctx) }
          : await (fused as GradientAndMetricAt<S>)(obj, row, ctx));
      } finally {
        row.dispose();
      }
      if (!metric || !allFinite(g)) {
        release(metric);
        out.push({ g, delta: nanVec(P), metric: null, method: 'non-finite' });
        continue;
      }
      let solved;
      try {
        solved = await metric.solve(g, lambdas[r] as number);
      } catch (err) {
        release(metric);
        throw err;
      }
      const { x, method, cg } = solved;
      out.push({ g, delta: x, metric, method, ...(cg ? { cg } : {}) });
    }
  }

  /** p − η' δ, scaled into the trust region of radius `radius` when that damping is on. */
  function advance(p: Vec, d: Direction, lr: number, radius: number): { next: Vec; scale: number } {
    const scale = damping.type === 'trust-region' ? trustScale(d.g, d.delta, lr, radius) : 1;
    return { next: p.map((v, j) => v - lr * scale * (d.delta[j] as number)), scale };
  }

  async function step(params: Tensor2D): Promise<Tensor2D> {
    const p0 = await params.array();
    const made: Direction[][] = [];
    try {
      return await stepFrom(p0, made);
    } finally {
      made.flat().forEach((d) => release(d.metric));
    }
  }

  /** The step from the rows p0; every direction it solves is put in `made` (released by `step`). */
  async function stepFrom(p0: number[][], made: Direction[][]): Promise<Tensor2D> {
    const radius = damping.value;
    let dirs = await directions(p0, previous);
    made.push(dirs);
    const first = dirs;
    if (midpoint) {
      // The half step's trust radius is r/4: ½(Δ/2)ᵀM(Δ/2) = ¼·½ΔᵀMΔ.
      const half = p0.map((p, r) => advance(p, dirs[r] as Direction, hyper.lr / 2, radius / 4).next);
      dirs = await directions(
        half,
        dirs.map((d) => (allFinite(d.delta) ? d.delta : null)),
      );
      made.push(dirs);
    }
    const moved = p0.map((p, r) => advance(p, dirs[r] as Direction, hyper.lr, radius));
    const next = moved.map((m) => m.next);
    last = dirs.map((d, r) => ({
      method: allFinite(next[r] as Vec) ? d.method : 'non-finite',
      lambda: lambdas[r] as number,
      trustScale: (moved[r] as { scale: number }).scale,
      ...(d.cg ? { cg: d.cg } : {}),
    }));
    dirs.forEach((d, r) => (previous[r] = allFinite(d.delta) ? d.delta : null));
    if (damping.type === 'lm' && damping.adaptive) await adapt(p0, next, first);
    // One flat float32 buffer (what tf.tensor2d would flatten nested rows into).
    const flat = new Float32Array(p0.length * P);
    next.forEach((row, r) =>
      allFinite(row) ? flat.set(row, r * P) : flat.fill(Number.NaN, r * P, (r + 1) * P),
    );
    return tf.tensor2d(flat, [p0.length, P]);
  }

  /** Levenberg–Marquardt: one λ per row from the gain ratio of its step. */
  async function adapt(p0: number[][], next: number[][], first: Direction[]): Promise<void> {
    const n = p0.length;
    const lossT = tf.tidy(() => obj.loss(tf.tensor2d([...p0, ...next], [2 * n, P])));
    let losses: Float32Array | Int32Array | Uint8Array;
    try {
      losses = await lossT.data();
    } finally {
      lossT.dispose();
    }
    for (const [r, d] of first.entries()) {
      if (!d.metric) continue;
      const stepVec = (next[r] as Vec).map((v, j) => v - ((p0[r] as Vec)[j] as number));
      const pred = predictedDecrease(d.g, stepVec, await d.metric.apply(stepVec));
      const actual = (losses[r] as number) - (losses[n + r] as number);
      lambdas[r] = adaptLambda(lambdas[r] as number, actual, pred);
    }
  }

  /** Narrow the per-row state to the surviving rows (a run of the batch diverged). */
  function keepRows(rows: readonly number[]): void {
    const pick = <T>(xs: readonly T[]): T[] => rows.map((i) => xs[i] as T);
    states = pick(states);
    lambdas = pick(lambdas);
    previous = pick(previous);
    last = last.length ? pick(last) : last;
  }

  function exportState(): OptimizerState {
    const entries: OptimizerState['entries'] = {
      lambda: { kind: 'scalar', rows: lambdas.map((l) => [l]) },
      previous: { kind: 'vector', rows: previous.map((p) => (p ? [...p] : null)) },
    };
    if (codec) {
      const encoded = states.map((s) => codec.encode(s));
      for (const [name, kind] of Object.entries(codec.kinds)) {
        entries[name] = { kind, rows: encoded.map((e) => e[name] ?? null) };
      }
    }
    return { optimizer: def.id, rows: lambdas.length, P, counters: {}, entries };
  }

  function importState(state: OptimizerState): void {
    const R = lambdas.length;
    checkState(state, def.id, R, P);
    const lam = entryOf(state, 'lambda').rows;
    const prev = entryOf(state, 'previous').rows;
    const own = codec
      ? Object.keys(codec.kinds).map((name) => [name, entryOf(state, name).rows] as const)
      : [];
    lambdas = lam.map((l) => l?.[0] ?? initialLambda(damping));
    previous = prev.map((p) => (p ? [...p] : null));
    states = codec
      ? Array.from({ length: R }, (_, r) =>
          codec.decode(Object.fromEntries(own.map(([n, rs]) => [n, rs[r] ?? null])), obj),
        )
      : Array.from({ length: R }, fresh);
    last = [];
  }

  return { step, keepRows, exportState, importState, dispose: () => {}, info: () => last };
}

/**
 * Transport of an optimizer's state (optimizers/state.ts) from θ to φ coordinates at a
 * point φ_k = f⁻¹(θ_k), with J = J_f(φ_k) = ∂θ/∂φ (square), in float64:
 * - vector (velocity, last direction): v_φ = J⁻¹ v_θ (LU solve; NaN when J is singular,
 *   so the run diverges visibly instead of jumping);
 * - covector (Adam's first moment, an average of gradients): m_φ = Jᵀ m_θ, the law of
 *   each gradient at the current point;
 * - second-moment (Adam's / RMSProp's elementwise average of g²): no law for a general J;
 *   `SecondMomentPolicy` decides (default 'reset');
 * - curvature (K-FAC factors): dropped, so the optimizer rebuilds them from the
 *   φ-objective at its next step (a fresh running average);
 * - scalar (λ, step counts): kept.
 * Exact for affine maps; for a nonlinear f the laws hold at φ_k only (the state averages
 * past points), which is as far as a tensor law can go.
 */
import type { Mat } from './linalg/dense';
import { solveSquare } from './linalg/lu';
import type { OptimizerState, StateEntry } from './optimizers/state';

/**
 * What happens to a second moment v (no transformation law):
 * - 'reset': v = 0 and its bias correction restarts (Adam: t₂ = 0);
 * - 'keep': the numbers stay as they are, read as φ-coordinates;
 * - 'diagonal': v_φ,j = Σ_i J_ij² v_θ,i — the diagonal of Jᵀ diag(v) J, exact when J is
 *   a signed permutation times a diagonal (then E[ggᵀ] stays diagonal).
 */
export type SecondMomentPolicy = 'reset' | 'keep' | 'diagonal';
export const secondMomentPolicies: readonly SecondMomentPolicy[] = ['reset', 'keep', 'diagonal'];

const matTVec = (J: Mat, v: readonly number[]): number[] =>
  (J[0] ?? []).map((_, j) => J.reduce((s, row, i) => s + (row[j] as number) * (v[i] as number), 0));

function transportEntry(e: StateEntry, Js: readonly Mat[], policy: SecondMomentPolicy): StateEntry {
  const each = (f: (row: number[], J: Mat) => number[] | null): StateEntry => ({
    ...e,
    rows: e.rows.map((row, r) => (row ? f(row, Js[r] as Mat) : null)),
  });
  switch (e.kind) {
    case 'vector':
      return each((v, J) => solveSquare(J, v));
    case 'covector':
      return each((m, J) => matTVec(J, m));
    case 'second-moment':
      if (policy === 'keep') return e;
      if (policy === 'reset') return each((v) => v.map(() => 0));
      return each((v, J) =>
        (J[0] ?? []).map((_, j) =>
          J.reduce((s, row, i) => s + (row[j] as number) ** 2 * (v[i] as number), 0),
        ),
      );
    case 'curvature':
      return { ...e, rows: e.rows.map(() => null) };
    case 'scalar':
      return e;
  }
}

/**
 * The state in φ coordinates. `Js[r]` is J_f at row r's φ_k (P rows of P; throws when not
 * square: a map with dim φ ≠ dim θ has no inverse to transport by).
 */
export function transportState(
  state: OptimizerState,
  Js: readonly Mat[],
  policy: SecondMomentPolicy,
): OptimizerState {
  if (Js.length !== state.rows) throw new Error(`transport: ${Js.length} Jacobians for ${state.rows} rows`);
  for (const J of Js) {
    if (J.length !== state.P || J.some((r) => r.length !== state.P)) {
      throw new Error(
        `transport: J must be ${state.P}×${state.P} (square); got ${J.length}×${J[0]?.length ?? 0}`,
      );
    }
  }
  const counters = { ...state.counters };
  const entries: Record<string, StateEntry> = {};
  for (const [name, e] of Object.entries(state.entries)) {
    entries[name] = transportEntry(e, Js, policy);
    if (e.kind === 'second-moment' && policy === 'reset' && e.counter) counters[e.counter] = 0;
  }
  return { ...state, counters, entries };
}

/** Readable names of the registered optimizers' state entries (others show as named). */
const entryNames: Record<string, string> = {
  velocity: 'velocity',
  previous: 'last direction δ = M⁻¹g',
  m: 'first moment m',
  v: 'v',
};

const kindText: Record<string, (names: string, policy: SecondMomentPolicy, k: number) => string> = {
  vector: (names) => `${names} transported as a vector (↦ J⁻¹·)`,
  covector: (names) => `${names} transported as a covector (↦ Jᵀ·)`,
  'second-moment': (names, policy, k) =>
    policy === 'reset'
      ? `second moment ${names} reset at step ${k}: it has no transformation law`
      : policy === 'keep'
        ? `second moment ${names} kept unchanged at step ${k}: it has no transformation law`
        : `second moment ${names} mapped to diag(Jᵀ diag(${names}) J) at step ${k}: it has no transformation law (exact only for signed permutations × scalings)`,
  curvature: () => 'curvature averages rebuilt from the φ-objective',
};

/**
 * What a switch at step k does to this optimizer's state, for people: e.g. "Adam, θ→φ at
 * step 20: m transported as a covector (↦ Jᵀ·); second moment v reset at step 20: it has
 * no transformation law".
 */
export function transportNote(
  label: string,
  state: OptimizerState,
  policy: SecondMomentPolicy,
  k: number,
): string {
  const byKind = new Map<string, string[]>();
  for (const [name, e] of Object.entries(state.entries))
    byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), entryNames[name] ?? name]);
  const parts = [...byKind].flatMap(([kind, names]) => {
    const text = kindText[kind];
    return text ? [text(names.join(', '), policy, k)] : [];
  });
  return `${label}, θ→φ at step ${k}: ${parts.length ? parts.join('; ') : 'no state to transport'}`;
}

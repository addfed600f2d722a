/**
 * Naturality defects (docs/theory.md §1). With θ_k the θ-run and θ̃_k = f(φ_k) the pushed-
 * forward φ-run:
 *   D_K    = max_k ‖θ̃_k − θ_k‖ / max(1, ‖θ_0‖)                (parameter space)
 *   D^fn_K = max_k sqrt((1/N) Σ_n ‖h(x_n; θ̃_k) − h(x_n; θ_k)‖²)  (function space)
 * Only steps where both runs have a point are compared.
 */

/** Euclidean norm. */
export function norm(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** Per-step parameter distance ‖θ̃_k − θ_k‖ / max(1, ‖θ_0‖), k = 0..min length − 1. */
export function parameterDistances(theta: readonly number[][], pushed: readonly number[][]): number[] {
  const k = Math.min(theta.length, pushed.length);
  const scale = Math.max(1, norm(theta[0] ?? []));
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const a = theta[i] as number[];
    const b = pushed[i] as number[];
    out.push(norm(a.map((v, j) => v - (b[j] as number))) / scale);
  }
  return out;
}

/** D_K: the largest per-step parameter distance (0 when there are no common steps). */
export function parameterDefect(theta: readonly number[][], pushed: readonly number[][]): number {
  return maxDistance(parameterDistances(theta, pushed));
}

/** Running maximum of a sequence (D_K as a function of K). */
export function runningMax(values: readonly number[]): number[] {
  let m = 0;
  return values.map((v) => (m = Math.max(m, v)));
}

/** The largest of a series of distances, 0 when empty; a NaN anywhere makes it NaN (a diverged pair). */
export function maxDistance(values: readonly number[]): number {
  let m = 0;
  for (const d of values) {
    if (Number.isNaN(d)) return NaN;
    if (d > m) m = d;
  }
  return m;
}

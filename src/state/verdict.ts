/**
 * The words for a naturality defect D_K (docs/theory.md §1), used by the defect table and
 * by the scene captions, so both say the same thing about the same number.
 */

/** Below this D_K the two runs agree to float32 round-off (docs/theory.md §3: ≲ 1e-4). */
export const COINCIDE = 1e-4;
/**
 * Below this they stay within 5% of the parameter scale max(1, ‖θ₀‖) at every step: on the
 * lab's plots the two paths overlap (e.g. NGD's O(η) Euler defect, docs/theory.md §4).
 */
export const NEARLY = 5e-2;

export type Verdict = 'coincide' | 'nearly coincide' | 'drift apart';

/** The verdict for D_K (NaN: a diverged pair, "drift apart"). */
export function naturalityVerdict(d: number): Verdict {
  if (d < COINCIDE) return 'coincide';
  return d < NEARLY ? 'nearly coincide' : 'drift apart';
}

/** D_K as the defect table prints it (3 significant digits, exponent form). */
export const formatDefect = (v: number): string => (Number.isFinite(v) ? v.toExponential(2) : String(v));

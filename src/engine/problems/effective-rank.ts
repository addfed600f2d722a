/** The participation ratio of a spectrum, tfjs- and ml-matrix-free (the page computes it from a report). */
/**
 * Effective rank (Σσ)² / Σσ² of a spectrum: 1 for a rank-1 matrix, r for r equal singular
 * values, and in between otherwise (the participation ratio). NaN for an all-zero spectrum.
 */
export function effectiveRank(sv: readonly number[]): number {
  const s1 = sv.reduce((t, v) => t + Math.abs(v), 0);
  const s2 = sv.reduce((t, v) => t + v * v, 0);
  return s2 > 0 ? (s1 * s1) / s2 : Number.NaN;
}

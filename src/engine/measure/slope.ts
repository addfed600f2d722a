/**
 * Order of naturality (docs/theory.md §4): the least-squares slope of log D against log η.
 * Over a fixed horizon, NGD Euler has D = O(η) (slope ≈ 1), the midpoint rule O(η²)
 * (slope ≈ 2), GD and Newton a non-vanishing defect (slope ≈ 0 as η → 0).
 */

export interface SlopeFit {
  /** d log y / d log x. */
  slope: number;
  /** log y at log x = 0 (natural logs). */
  intercept: number;
  /** Coefficient of determination of the fit in log-log space (1 = a perfect power law). */
  r2: number;
}

/**
 * Fit log y = intercept + slope · log x by ordinary least squares. Needs at least two
 * distinct positive x and positive y; otherwise every field is NaN (a zero or NaN defect
 * has no logarithm, and the caller should show that rather than a number).
 */
export function logLogSlope(x: readonly number[], y: readonly number[]): SlopeFit {
  const bad: SlopeFit = { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN };
  const n = Math.min(x.length, y.length);
  if (n < 2) return bad;
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    const yi = y[i] as number;
    if (!(xi > 0) || !(yi > 0) || !Number.isFinite(xi) || !Number.isFinite(yi)) return bad;
    lx.push(Math.log(xi));
    ly.push(Math.log(yi));
  }
  const mx = lx.reduce((s, v) => s + v, 0) / n;
  const my = ly.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (lx[i] as number) - mx;
    const dy = (ly[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return bad;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

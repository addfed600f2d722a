/**
 * docs/theory.md §6 reports, computed in the worker (the page only draws them): for
 * `matrix-completion` the relative error on the unobserved entries and the singular values
 * of W; for `sparse-regression` the test error (1 − accuracy) and the sorted |w|. Other
 * problems get nothing. Each call reports only the points a run gained since the previous
 * call for the same session, sampled at every 10th step plus the newest point (the SVD is
 * float64 on the CPU, so every step would cost too much at many steps per frame).
 */
import {
  type Session,
  asMatrixCompletion,
  asSparseRegression,
  singularValues,
  unobservedError,
  sortedAbsWeights,
  testAccuracy64,
  asDigits,
  DIGITS_STRIP,
  digitsEval,
  type DigitsEval,
  toRows,
} from '../engine';
import type { DigitsReport, RunReport } from '../protocol/messages';

/** Sampling stride in steps: a point is reported when step % STRIDE === 0 or it is the newest. */
export const REPORT_STRIDE = 10;

interface Measures {
  /** Test error at one θ point (dimensionless; NaN: no test set). */
  error(theta: readonly number[]): number;
  /** The spectrum at one θ point, largest first. */
  spectrum(theta: readonly number[]): number[];
  /** `digits`: the test-set evaluation at one θ point. */
  digits?: (theta: readonly number[]) => DigitsEval;
  /** `digits`: the strip's images and labels. */
  strip?: { pixels: number[][]; labels: number[] };
}

/** The report functions of a session's problem, or null when it has no §6 report. */
function measuresFor(session: Session): Measures | null {
  const mc = asMatrixCompletion(session.problem);
  if (mc) return { error: (t) => unobservedError(mc, t), spectrum: (t) => singularValues(mc, t) };
  const dg = asDigits(session.problem);
  if (dg) {
    // One evaluation per point serves the error, the loss and the newest predictions.
    const seen = new WeakMap<readonly number[], DigitsEval>();
    const at = (t: readonly number[]): DigitsEval => {
      let e = seen.get(t);
      if (!e) seen.set(t, (e = digitsEval(dg.digits, t)));
      return e;
    };
    return {
      error: (t) => 1 - at(t).accuracy,
      spectrum: () => [],
      digits: at,
      strip: {
        pixels: dg.digits.testX.slice(0, DIGITS_STRIP).map((r) => [...r]),
        labels: dg.digits.testLabels.slice(0, DIGITS_STRIP),
      },
    };
  }
  const sr = asSparseRegression(session.problem);
  if (sr)
    return {
      error: (t) => {
        const acc = testAccuracy64(sr, t);
        return acc === null ? Number.NaN : 1 - acc;
      },
      spectrum: (t) => sortedAbsWeights(sr, t),
    };
  return null;
}

/** Points already reported, per session and run id (a new session starts from 0). */
const sent = new WeakMap<Session, Map<string, number>>();

/** Indices in [from, to) to report: multiples of the stride, plus to − 1. */
export function reportSteps(from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k < to; k++) if (k % REPORT_STRIDE === 0 || k === to - 1) out.push(k);
  return out;
}

/**
 * New report points of every run since the last call for this session (runs with no new
 * points are left out), or null when the problem has no §6 report. `spectrum` is that of
 * the newest point.
 */
export function reportDeltas(session: Session): RunReport[] | null {
  const m = measuresFor(session);
  if (!m) return null;
  let seen = sent.get(session);
  if (!seen) sent.set(session, (seen = new Map()));
  const out: RunReport[] = [];
  for (const r of session.runs) {
    const from = seen.get(r.id) ?? 0;
    const to = r.theta.length;
    if (to <= from) continue;
    seen.set(r.id, to);
    const steps = reportSteps(from, to);
    // The sampled points as rows (the reports' evaluations take rows; a few per update).
    const at = (k: number): number[] => toRows(r.theta, k, k + 1)[0] ?? [];
    const error = steps.map((k) => m.error(at(k)));
    const last = at(to - 1);
    const spectrum = last.every(Number.isFinite) ? m.spectrum(last) : [];
    const evalAt = m.digits;
    if (evalAt) {
      const newest = evalAt(last);
      const digits: DigitsReport = {
        testLoss: steps.map((k) => evalAt(at(k)).loss),
        confusion: newest.confusion,
        predicted: newest.predicted.slice(0, DIGITS_STRIP),
        ...(from === 0 && m.strip ? { strip: m.strip } : {}),
      };
      out.push({ id: r.id, steps, error, spectrum, digits });
    } else out.push({ id: r.id, steps, error, spectrum });
  }
  return out;
}

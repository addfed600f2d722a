/**
 * What a finished scene measured, in the words and number formats of the panels that show
 * the same numbers (the defect table, the κ* chart, the run legends), for the captions'
 * filled-in sentences (scenes.ts `result`). Pure: a function of the store's data.
 */
import { type Experiment, effectiveRank } from '../engine/page';
import { optimizerLabel } from '../ui/panels/optimizer-label';
import { formatDefect, naturalityVerdict, type Verdict } from './verdict';

/** The store's data a scene's numbers come from (LabState satisfies it). */
export interface MeasureInput {
  experiment: Experiment | null;
  runs: readonly { id: string; optimizer: number; space: string; loss: readonly number[] }[];
  defects: Readonly<Record<number, { parameter: readonly number[] }>>;
  metrics: Readonly<Record<string, { kappa: readonly (number | null)[] }>>;
  reports: Readonly<Record<string, { error: readonly number[]; spectrum: readonly number[] }>>;
}

/** A filled-in number (or word): `key` names what it is, so tests can find and recompute it. */
export interface Measured {
  key: string;
  text: string;
}
export type CaptionPart = string | Measured;

/** κ* statistics of one run's steps; uphill: steps that went uphill beyond round-off (no κ*). */
export interface KappaSummary {
  median: number;
  max: number;
  uphill: number;
  steps: number;
}

/** The median of κ* over a run's descent steps, its max, and the count of uphill steps. */
export function kappaSummary(kappa: readonly (number | null)[]): KappaSummary | null {
  const ks = kappa.filter((k): k is number => k !== null && Number.isFinite(k)).sort((a, b) => a - b);
  if (ks.length === 0) return null;
  const mid = ks.length / 2;
  const median =
    ks.length % 2 ? (ks[Math.floor(mid)] as number) : ((ks[mid - 1] as number) + (ks[mid] as number)) / 2;
  return {
    median,
    max: ks.at(-1) as number,
    uphill: kappa.filter((k) => k === null).length,
    steps: kappa.length,
  };
}

/** κ* as the captions print it (3 significant digits). */
export const formatKappa = (v: number): string => (v >= 1000 ? v.toExponential(2) : v.toPrecision(3));
/** A loss (3 significant digits). */
export const formatLoss = (v: number): string =>
  Number.isFinite(v) ? (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(3)) : String(v);

/** Accessors for a scene's template; each returns a keyed part, or "?" when not measured. */
export interface SceneMeasure {
  experiment: Experiment;
  steps: number;
  /** An optimizer's label (optimizerLabel). */
  label(i: number): string;
  /** η of optimizer i, as written in the experiment. */
  lr(i: number): Measured;
  defect(i: number): Measured;
  /** D_K's value, for templates that branch on it. */
  defectValue(i: number): number;
  verdict(i: number): Measured;
  verdictValue(i: number): Verdict | null;
  kappa(runId: string): KappaSummary | null;
  kappaMedian(runId: string): Measured;
  kappaMax(runId: string): Measured;
  uphill(runId: string): Measured;
  loss(runId: string): Measured;
  /** 1 − the last test error of a run's report. */
  testAccuracy(runId: string): Measured;
  /** The largest gap between optimizer i's θ-run and φ-run training losses over the common steps. */
  lossGap(i: number): Measured;
  lossGapValue(i: number): number;
  /** The share of Σ|w| (or Σσ) held by the largest entry of the run's latest spectrum. */
  topShare(runId: string): Measured;
  /** The largest `count` singular values of a run's latest W (matrix-completion), 2 decimals. */
  singularValues(runId: string, count: number): Measured;
  /** (Σσ)² / Σσ² of a run's latest spectrum, 2 decimals. */
  effectiveRank(runId: string): Measured;
  /** The value itself, for templates and tests that compare runs. */
  effectiveRankValue(runId: string): number;
  /** The last relative error on the unobserved entries (matrix-completion), 2 decimals. */
  unobservedError(runId: string): Measured;
}

const unknown = (key: string): Measured => ({ key, text: '?' });

export function measureScene(s: MeasureInput): SceneMeasure | null {
  const experiment = s.experiment;
  if (!experiment) return null;
  const dk = (i: number): number => {
    const d = s.defects[i]?.parameter;
    if (!d || d.length === 0) return Number.NaN;
    return d.reduce((m, v) => (Number.isNaN(v) || Number.isNaN(m) ? Number.NaN : Math.max(m, v)), 0);
  };
  const run = (id: string) => s.runs.find((r) => r.id === id);
  const gap = (i: number): number => {
    const pairOf = (space: string) => s.runs.find((r) => r.optimizer === i && r.space === space)?.loss ?? [];
    const [a, b] = [pairOf('theta'), pairOf('phi')];
    const k = Math.min(a.length, b.length);
    if (k === 0) return Number.NaN;
    let m = 0;
    for (let j = 0; j < k; j++) m = Math.max(m, Math.abs((a[j] as number) - (b[j] as number)));
    return m;
  };
  const summary = (id: string): KappaSummary | null => {
    const k = s.metrics[id]?.kappa;
    return k ? kappaSummary(k) : null;
  };
  return {
    experiment,
    steps: experiment.steps,
    label: (i) => optimizerLabel(experiment, i),
    lr: (i) => ({ key: `lr:${i}`, text: String(experiment.optimizers[i]?.lr ?? '?') }),
    defect: (i) =>
      s.defects[i] ? { key: `defect:${i}`, text: formatDefect(dk(i)) } : unknown(`defect:${i}`),
    defectValue: dk,
    verdict: (i) =>
      s.defects[i] ? { key: `verdict:${i}`, text: naturalityVerdict(dk(i)) } : unknown(`verdict:${i}`),
    verdictValue: (i) => (s.defects[i] ? naturalityVerdict(dk(i)) : null),
    kappa: summary,
    kappaMedian: (id) => {
      const k = summary(id);
      return k ? { key: `kappa-median:${id}`, text: formatKappa(k.median) } : unknown(`kappa-median:${id}`);
    },
    kappaMax: (id) => {
      const k = summary(id);
      return k ? { key: `kappa-max:${id}`, text: formatKappa(k.max) } : unknown(`kappa-max:${id}`);
    },
    uphill: (id) => {
      const k = s.metrics[id]?.kappa;
      return k
        ? { key: `uphill:${id}`, text: String(k.filter((v) => v === null).length) }
        : unknown(`uphill:${id}`);
    },
    loss: (id) => {
      const l = run(id)?.loss.at(-1);
      return l === undefined ? unknown(`loss:${id}`) : { key: `loss:${id}`, text: formatLoss(l) };
    },
    testAccuracy: (id) => {
      const e = s.reports[id]?.error.at(-1);
      return e === undefined
        ? unknown(`accuracy:${id}`)
        : { key: `accuracy:${id}`, text: (1 - e).toFixed(2) };
    },
    lossGap: (i) => {
      const g = gap(i);
      return Number.isFinite(g)
        ? { key: `loss-gap:${i}`, text: g.toExponential(1) }
        : unknown(`loss-gap:${i}`);
    },
    lossGapValue: gap,
    topShare: (id) => {
      const sp = s.reports[id]?.spectrum ?? [];
      const total = sp.reduce((t, v) => t + Math.abs(v), 0);
      if (!(total > 0)) return unknown(`top-share:${id}`);
      return { key: `top-share:${id}`, text: `${Math.round((100 * Math.abs(sp[0] as number)) / total)}%` };
    },
    singularValues: (id, count) => {
      const sp = s.reports[id]?.spectrum ?? [];
      return sp.length === 0
        ? unknown(`singular-values:${id}`)
        : {
            key: `singular-values:${id}`,
            text: sp
              .slice(0, count)
              .map((v) => v.toFixed(2))
              .join(', '),
          };
    },
    effectiveRank: (id) => {
      const r = effectiveRank(s.reports[id]?.spectrum ?? []);
      return Number.isFinite(r)
        ? { key: `effective-rank:${id}`, text: r.toFixed(2) }
        : unknown(`effective-rank:${id}`);
    },
    effectiveRankValue: (id) => effectiveRank(s.reports[id]?.spectrum ?? []),
    unobservedError: (id) => {
      const e = s.reports[id]?.error.at(-1);
      return e === undefined || !Number.isFinite(e)
        ? unknown(`unobserved-error:${id}`)
        : { key: `unobserved-error:${id}`, text: e.toFixed(2) };
    },
  };
}

/** The plain text of caption parts (for tests and aria). */
export const captionText = (parts: readonly CaptionPart[]): string =>
  parts.map((p) => (typeof p === 'string' ? p : p.text)).join('');

/**
 * Per-step implied metric and Fisher conditioning (docs/theory.md §5): κ* of every step — the
 * smallest condition number of a metric M with M u = g, so the step is natural gradient
 * descent for M (GD: 1) — and κ(F) at every point, both in each run's own coordinates.
 * For NGD, κ(F) ≥ κ*. The worker computes them only for P ≤ 50 (a dense Fisher per point).
 * Redrawn at most once per animation frame from transient store updates, when a series changed.
 */
import { useEffect, useRef } from 'react';
import { STEP_METRICS_MAX_P, ROUNDOFF_ULPS } from '../../engine/page';
import { useLab, useLabContext } from '../lab-context';
import type { LabState } from '../../state/store';
import { runStroke } from './colors';
import { drawStepSeries, type StepSeries } from './metric-draw';
import { useSize } from './use-size';
import { drawOnFrames } from './frame-draw';
import { changeDetector, seriesParts } from './change-key';
import { optimizerLabel } from '../panels/optimizer-label';
import '../panels/analyses.css';
import { WhatIsThis } from '../math/Tex';

type Which = 'kappa' | 'cond';

/** The tooltip of "judged up to float32 round-off" (implied-metric.ts ROUNDOFF_ULPS). */
export const ROUNDOFF_NOTE =
  `The iterates are float32, so each coordinate of a measured step θ_k − θ_{k+1} may be off by ` +
  `${ROUNDOFF_ULPS} ulp (2⁻²³·|θ_i|, rounded up to a power of two). ψ is the smallest angle to the gradient ` +
  `of any step within that distance: a step no longer than its round-off gets κ* = 1, and a step is ` +
  `marked × only when it goes uphill beyond round-off.`;

/** One shared empty series (a fresh `[]` per frame would look like a change). */
const NONE: (number | null)[] = [];

function seriesOf(s: LabState, which: Which): StepSeries[] {
  return s.runs.map((r) => ({
    ...runStroke(s.experiment, r),
    label: optimizerLabel(s.experiment, r.optimizer),
    values: s.metrics[r.id]?.[which] ?? NONE,
  }));
}

function Chart({ which, label, yLabel }: { which: Which; label: string; yLabel: string }) {
  const { store } = useLabContext();
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);

  useEffect(() => {
    const el = svg.current;
    if (!el || width === 0) return;
    const changed = changeDetector();
    const draw = (): void => {
      const s = store.getState();
      const series = seriesOf(s, which);
      if (!changed([s.experiment, ...series.flatMap((r) => seriesParts(r.values))])) return;
      drawStepSeries(el, series, width, height, yLabel);
    };
    draw();
    return drawOnFrames(store, draw);
  }, [store, width, height, which, yLabel]);

  return (
    <div className="plot-box metric-chart" ref={box}>
      <svg ref={svg} role="img" aria-label={label} />
    </div>
  );
}

/** Counts of steps that are not descent steps (κ* has no value), per run, for the note. */
function nonDescent(s: LabState): number {
  return Object.values(s.metrics).reduce((n, m) => n + m.kappa.filter((k) => k === null).length, 0);
}

export function MetricPlot() {
  const P = useLab((s) => s.paramNames.length);
  const skipped = useLab(nonDescent);
  const tooLarge = P > STEP_METRICS_MAX_P;
  return (
    <figure
      className="plot metrics"
      data-panel="metrics"
      aria-label="Implied metric and Fisher condition number"
    >
      <figcaption>Implied metric κ* of each step, and κ(F) of the Fisher</figcaption>
      <WhatIsThis
        formula="\kappa^* = \frac{1 + \sin\psi}{1 - \sin\psi},\qquad \cos\psi = \frac{u^{\top} g}{\lVert u \rVert \lVert g \rVert},\quad \Delta\theta = -\eta u"
        text="Every step that goes downhill is a natural-gradient step $u = M^{-1} g$ for some positive definite metric $M$; $\kappa^*$ is the smallest condition number such an $M$ can have, from the angle $\psi$ between the step and the gradient. Gradient descent has $\kappa^* = 1$; a step almost sideways has a huge one; a step uphill has none (×). Steps are judged up to float32 round-off of the iterates (one ulp per coordinate). The lower chart is $\kappa(F)$, the condition number of the Fisher at each point: for natural gradient $\kappa(F) \ge \kappa^*$."
      />
      {tooLarge ? (
        <p className="hint" role="note">
          Not computed for P &gt; {STEP_METRICS_MAX_P} (this problem has P = {P}): a dense Fisher per step
          would slow the runs.
        </p>
      ) : (
        <>
          <p className="hint">
            κ* = (1 + sin ψ)/(1 − sin ψ), ψ the angle between the step and the gradient: the best-conditioned
            metric that makes the step a natural-gradient step (GD: κ* = 1). For NGD, κ(F) ≥ κ*.{' '}
            <span className="tolerance" title={ROUNDOFF_NOTE} data-ulps={ROUNDOFF_ULPS}>
              Judged up to float32 round-off
            </span>
            .
            {skipped > 0
              ? ` × marks ${skipped} step${skipped === 1 ? '' : 's'} that went uphill beyond round-off: no metric.`
              : ''}
          </p>
          <h3 className="chart-title">κ* per step (log)</h3>
          <Chart
            which="kappa"
            label="Implied-metric condition number κ* per step for every run, log scale"
            yLabel="κ*"
          />
          <h3 className="chart-title">κ(F) per step (log)</h3>
          <Chart
            which="cond"
            label="Condition number of the Fisher at each step for every run, log scale"
            yLabel="κ(F)"
          />
        </>
      )}
    </figure>
  );
}

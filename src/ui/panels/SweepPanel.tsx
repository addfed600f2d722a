/**
 * The "defect vs learning rate" panel (docs/theory.md §4): runs the sweep in the worker on the
 * current experiment (fixed horizon T, η = T/10 … T/80, K = T/η steps) and plots log D_K
 * against log η with each optimizer's fitted slope: ≈ 1 for NGD Euler, ≈ 2 for the
 * midpoint rule, ≈ 0 for methods whose flow is not natural (GD).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { defaultSweep } from '../../engine/page';
import { useLab, useLabContext } from '../lab-context';
import { optimizerColor } from '../plots/colors';
import { drawSweep, fmtSlope, type SweepCurve } from '../plots/sweep-draw';
import { useSize } from '../plots/use-size';
import { optimizerLabel } from './optimizer-label';
import './analyses.css';
import { WhatIsThis } from '../math/Tex';

const fmt = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : 'diverged');

export function SweepPanel() {
  const { client } = useLabContext();
  const sweep = useLab((s) => s.sweep);
  const experiment = useLab((s) => s.experiment);
  const [horizon, setHorizon] = useState<number>(defaultSweep.horizon);
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);
  const inputId = useId();
  const paired = experiment !== null && experiment.reparam.id !== 'identity';
  const running = sweep?.status === 'running';
  const result = sweep?.result ?? null;
  const curves: SweepCurve[] = (result?.series ?? []).map((s) => ({
    optimizer: s.optimizer,
    label: optimizerLabel(experiment, s.optimizer),
    color: optimizerColor(experiment, s.optimizer),
    etas: result?.etas ?? [],
    defects: s.defects,
    slope: s.slope,
    intercept: s.intercept,
  }));

  useEffect(() => {
    if (!svg.current || width <= 0) return;
    const empty = !paired
      ? 'The sweep needs a map other than the identity.'
      : running
        ? 'Sweeping…'
        : sweep?.status === 'error' || sweep?.status === 'cancelled'
          ? 'No result.'
          : 'No sweep yet: press “Run sweep”.';
    drawSweep(svg.current, curves, width, height, empty);
  });

  const valid = Number.isFinite(horizon) && horizon > 0;
  const run = (): void => void client.sweep({ horizon });
  const status = running
    ? `Running… ${Math.round((sweep?.progress ?? 0) * 100)}%`
    : sweep?.status === 'cancelled'
      ? `Stopped: ${sweep.message ?? 'cancelled'}.`
      : sweep?.status === 'error'
        ? `Could not run: ${sweep.message ?? 'unknown error'}`
        : result
          ? `Done: T = ${result.horizon}, K = ${result.steps.join(', ')}.`
          : '';

  return (
    <figure className="plot sweep" data-panel="sweep" aria-labelledby={`${inputId}-caption`}>
      <figcaption id={`${inputId}-caption`}>Defect vs learning rate (order of naturality)</figcaption>
      <WhatIsThis
        formula="K = T/\eta,\qquad \log D_K \approx p \log \eta + c"
        text="The sweep fixes a horizon $T$, runs each optimizer with smaller and smaller step sizes $\eta$ for $K = T/\eta$ steps in θ and in φ, and measures the defect $D_K$ each time. The slope $p$ of $\log D_K$ against $\log \eta$ is the order of naturality: about 1 for natural gradient with Euler steps (an $O(\eta^2)$ error per step, $K$ steps), 2 for the midpoint integrator, and 0 for methods whose flows differ (gradient descent, Newton under a nonlinear map)."
      />
      <p className="hint">
        Each optimizer runs in θ and in φ for K = T/η steps, η = T/10 … T/80. Over a fixed horizon the defect
        D<sub>K</sub> of a natural flow shrinks like η<sup>order</sup>: slope ≈ 1 for NGD (Euler), ≈ 2 for the
        midpoint rule, ≈ 0 for GD.
      </p>
      <div className="analysis-controls">
        <label htmlFor={inputId}>horizon T</label>
        <input
          id={inputId}
          type="number"
          min={0.01}
          step={0.1}
          value={Number.isFinite(horizon) ? horizon : ''}
          onChange={(e) => setHorizon(e.target.valueAsNumber)}
        />
        <button type="button" className="primary" onClick={run} disabled={!paired || running || !valid}>
          Run sweep
        </button>
        {running ? <progress aria-label="Sweep progress" max={1} value={sweep?.progress ?? 0} /> : null}
        <span role="status" className="analysis-status">
          {paired ? status : 'Choose a map θ = f(φ) other than the identity to compare runs.'}
        </span>
      </div>
      <div className="plot-box sweep-chart" ref={box}>
        <svg
          ref={svg}
          role="img"
          aria-label="Naturality defect against learning rate on log-log axes, one line per optimizer"
        />
      </div>
      {result ? (
        <div className="table-scroll">
          <table className="defect-table sweep-table">
            <caption className="visually-hidden">Sweep results: the fitted slope, then D_K at each η</caption>
            <thead>
              <tr>
                <th scope="col">optimizer</th>
                <th scope="col" className="num">
                  slope
                </th>
                {result.etas.map((e) => (
                  <th scope="col" key={e} className="num">
                    η = {Number(e.toPrecision(3))}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.series.map((s) => (
                <tr key={s.optimizer} data-optimizer={s.optimizer}>
                  <th scope="row">
                    <span
                      className="swatch"
                      aria-hidden="true"
                      style={{ background: optimizerColor(experiment, s.optimizer) }}
                    />{' '}
                    {optimizerLabel(experiment, s.optimizer)}
                  </th>
                  <td className="num" data-slope={s.slope}>
                    <strong>{fmtSlope(s.slope)}</strong>
                  </td>
                  {s.defects.map((d, i) => (
                    <td key={i} className="num">
                      {fmt(d)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </figure>
  );
}

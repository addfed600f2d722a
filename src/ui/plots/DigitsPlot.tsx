/**
 * The `digits` views (nothing for other problems), from the store's `reports` (computed in
 * worker/reports.ts): test accuracy over steps, a confusion matrix per run (θ-run beside
 * φ-run), and a strip of test digits with each run's prediction. Redrawn in the animation
 * frame after a report arrives, not for every telemetry frame (new steps alone change nothing
 * here).
 */
import { useEffect, useRef } from 'react';
import { useLab, useLabContext } from '../lab-context';
import { runStroke } from './colors';
import { useSize } from './use-size';
import { drawOnFrames } from './frame-draw';
import { drawConfusions, drawDigitsAccuracy, drawStrip, type DigitsSeries } from './digits-draw';
import { runLabel } from '../panels/optimizer-label';
import type { LabState } from '../../state/store';

function seriesOf(s: LabState): DigitsSeries[] {
  return s.runs.flatMap((r) => {
    const rep = s.reports[r.id];
    if (!rep?.digits) return [];
    const stroke = runStroke(s.experiment, r);
    return [
      {
        id: r.id,
        label: runLabel(s.experiment, r),
        color: stroke.color,
        dashed: stroke.dashed,
        steps: rep.steps,
        error: rep.error,
        confusion: rep.digits.confusion,
        predicted: rep.digits.predicted,
      },
    ];
  });
}

function DigitsViews() {
  const { store } = useLabContext();
  const box = useRef<HTMLDivElement>(null);
  const acc = useRef<SVGSVGElement>(null);
  const conf = useRef<SVGSVGElement>(null);
  const strip = useRef<SVGSVGElement>(null);
  const { width } = useSize(box);

  useEffect(() => {
    if (width === 0) return;
    const render = (): void => {
      const s = store.getState();
      const series = seriesOf(s);
      if (acc.current) drawDigitsAccuracy(acc.current, series, width, 180);
      if (conf.current) drawConfusions(conf.current, series, width);
      const first = Object.values(s.reports).find((r) => r.digits?.strip)?.digits?.strip;
      if (strip.current && first) drawStrip(strip.current, first, series, width);
    };
    render();
    return drawOnFrames(
      store,
      render,
      (s, prev) =>
        s.reportsVersion !== prev.reportsVersion || s.runs !== prev.runs || s.experiment !== prev.experiment,
    );
  }, [store, width]);

  return (
    <div ref={box} className="digits-views">
      <svg ref={acc} role="img" aria-label="test accuracy per run" data-chart="accuracy" />
      <svg ref={conf} role="img" aria-label="confusion matrix per run" data-chart="confusion" />
      <svg ref={strip} role="img" aria-label="test digits with each run’s prediction" data-chart="strip" />
    </div>
  );
}

export function DigitsPlot() {
  const problem = useLab((s) => s.experiment?.problem.id ?? null);
  if (problem !== 'digits') return null;
  return (
    <figure
      className="plot digits"
      aria-label="Test accuracy, confusion matrices and predictions on test digits"
    >
      <figcaption>
        Test digits: accuracy over steps, confusion matrices (rows: true digit, columns: prediction),
        predictions (✗ wrong)
      </figcaption>
      <DigitsViews />
    </figure>
  );
}

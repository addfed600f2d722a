/**
 * docs/theory.md §6 reports for `matrix-completion` and `sparse-regression` (nothing for other
 * problems): test error over steps and the newest spectrum per run, from the store's
 * `reports` (computed in worker/reports.ts), redrawn per animation frame.
 */
import { useEffect, useRef } from 'react';
import { useLab, useLabContext } from '../lab-context';
import { drawReportError, drawReportSpectrum, type ReportSeries } from './report-draw';
import { runStroke } from './colors';
import { useSize } from './use-size';
import { drawOnFrames } from './frame-draw';

const labels: Record<string, { error: string; spectrum: string; caption: string }> = {
  'matrix-completion': {
    error: 'unseen-entry error',
    spectrum: 'singular value',
    caption: 'Test error (unobserved entries) and singular values of W',
  },
  'sparse-regression': {
    error: 'test error',
    spectrum: '|w|',
    caption: 'Test error and sorted |w|',
  },
};

type Draw = typeof drawReportError;

/** The shortest interval between two rebuilds of a report chart while runs train (ms). */
const REDRAW_MS = 200;

function ReportChart({ draw, yLabel, name }: { draw: Draw; yLabel: string; name: string }) {
  const { store } = useLabContext();
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);

  useEffect(() => {
    const el = svg.current;
    if (!el || width === 0) return;
    // Reports grow in place, up to one per step; the chart is rebuilt only when one did, and
    // at most every REDRAW_MS (a rebuild of both charts costs milliseconds; a trailing draw
    // shows the last report).
    let drawn = '';
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const render = (): void => {
      const s = store.getState();
      const series: ReportSeries[] = s.runs.flatMap((r) => {
        const rep = s.reports[r.id];
        return rep
          ? [
              {
                ...runStroke(s.experiment, r),
                ...rep,
              },
            ]
          : [];
      });
      const key = series.map((x) => `${x.id}:${x.steps.length}:${x.color}:${x.dashed}`).join('|');
      if (key === drawn) return;
      const wait = last + REDRAW_MS - performance.now();
      if (wait > 0) {
        timer ??= setTimeout(() => {
          timer = undefined;
          render();
        }, wait);
        return;
      }
      last = performance.now();
      drawn = key;
      draw(el, series, width, height, yLabel);
    };
    render();
    const stop = drawOnFrames(store, render);
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [store, width, height, draw, yLabel]);

  return (
    <div className="plot-box" ref={box} style={{ height: 200 }} data-chart={name}>
      <svg ref={svg} role="img" aria-label={`${yLabel} per run`} />
    </div>
  );
}

/** Whether problem `id` has a report (test error and spectrum) to show. */
export const hasReport = (id: string | undefined): boolean => id !== undefined && Object.hasOwn(labels, id);

export function ReportPlot() {
  const problem = useLab((s) => s.experiment?.problem.id ?? null);
  const text = problem ? labels[problem] : undefined;
  if (!text) return null;
  return (
    <figure className="plot report" aria-label={text.caption}>
      <figcaption>{text.caption} (θ-runs solid, φ-runs dashed / hollow)</figcaption>
      <ReportChart draw={drawReportError} yLabel={text.error} name="error" />
      <ReportChart draw={drawReportSpectrum} yLabel={text.spectrum} name="spectrum" />
    </figure>
  );
}

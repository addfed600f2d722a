/**
 * Draw a positive per-step quantity of every run on a log scale (κ* of each step, κ(F)
 * at each point): θ-runs solid, φ-runs dashed. NaN (a point the worker did not sample)
 * is skipped and the line joins its neighbours; null — "not a descent step" for κ* — and
 * Infinity (a singular Fisher) leave gaps, and a null is marked with a small × on the axis.
 * Pure drawing.
 */
import * as d3 from 'd3';
import { stepAxes, stepFrame, stepLegend } from './step-chart';
import { columnPath } from './path-data';

export interface StepSeries {
  id: string;
  /** The optimizer's index and label (`optimizerLabel`), for the legend. */
  optimizer: number;
  label: string;
  color: string;
  dashed: boolean;
  /** Switch runs (θ → φ at step k). */
  dotted?: boolean;
  values: (number | null)[];
}

const shown = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;

export function drawStepSeries(
  svgEl: SVGSVGElement,
  series: StepSeries[],
  width: number,
  height: number,
  yLabel: string,
): void {
  const all = series.flatMap((s) => s.values.filter(shown));
  const frame = stepFrame(svgEl, width, height, d3.max(series, (s) => s.values.length - 1) ?? 1);
  const { x } = frame;
  const lo = Math.max(0.5, (d3.min(all) ?? 1) / 1.5);
  const hi = Math.max(lo * 10, (d3.max(all) ?? 10) * 1.5);
  const y = d3.scaleLog().domain([lo, hi]).range(frame.yRange).clamp(true);
  stepAxes(frame, d3.axisLeft(y).ticks(4, '~g'), yLabel, height);
  const pointsOf = (values: (number | null)[]): [number, number | null][] =>
    values.flatMap((v, i): [number, number | null][] => (v !== null && Number.isNaN(v) ? [] : [[i, v]]));
  const lineOf = (values: (number | null)[]): string => {
    const pts = pointsOf(values);
    return columnPath(
      pts.length,
      (i) => x(pts[i]?.[0] as number),
      (i) => y(pts[i]?.[1] as number),
      (i) => shown(pts[i]?.[1] ?? null),
    );
  };
  const g = frame.series
    .selectAll<SVGGElement, StepSeries>(':scope > g')
    .data(series, (s) => s.id)
    .join((enter) => {
      const e = enter.append('g');
      e.append('path').attr('class', 'metric-line').attr('fill', 'none');
      e.append('path')
        .attr('class', 'no-metric')
        .append('title')
        .text('× not a descent step: no metric exists');
      return e;
    })
    .attr('data-run', (s) => s.id);
  g.select('path.metric-line')
    .attr('d', (s) => lineOf(s.values))
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', (s) => (s.dashed ? 1.5 : 2))
    .attr('stroke-dasharray', (s) => (s.dotted ? '1 4' : s.dashed ? '6 4' : null));
  // Non-descent steps (no metric exists) as tick marks along the bottom: one path per
  // run, so the DOM does not grow with the number of steps.
  g.select('path.no-metric')
    .attr('d', (s) =>
      s.values.flatMap((v, i) => (v === null ? [`M${x(i)},${frame.yRange[0] - 1}v-7`] : [])).join(''),
    )
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 1.5);
  stepLegend(
    frame,
    series,
    y,
    { dashed: '6 4', dotted: '1 4', width: 2 },
    {
      solid: 'θ-run',
      dashed: 'φ-run (in φ)',
      dotted: 'switch run θ→φ',
    },
  );
}

/** Draw the naturality distance per step for each optimizer on a log scale. Pure drawing. */
import * as d3 from 'd3';
import { stepAxes, stepFrame, stepLegend } from './step-chart';
import { columnPath } from './path-data';

export interface DefectSeries {
  optimizer: number;
  label: string;
  color: string;
  values: number[];
}

const FLOOR = 1e-9;

export function drawDefects(
  svgEl: SVGSVGElement,
  series: DefectSeries[],
  width: number,
  height: number,
): void {
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v) && v > 0));
  const frame = stepFrame(svgEl, width, height, d3.max(series, (s) => s.values.length - 1) ?? 1);
  const { x } = frame;
  const lo = Math.max(FLOOR, (d3.min(all) ?? 1e-6) / 2);
  const hi = Math.max(lo * 10, (d3.max(all) ?? 1) * 2);
  const y = d3.scaleLog().domain([lo, hi]).range(frame.yRange).clamp(true);
  stepAxes(frame, d3.axisLeft(y).ticks(5, '.0e'), '‖θ̃ₖ − θₖ‖', height);
  frame.series
    .selectAll<SVGPathElement, DefectSeries>('path.defect-line')
    .data(series, (s) => String(s.optimizer))
    .join('path')
    .attr('class', 'defect-line')
    .attr('data-optimizer', (s) => s.optimizer)
    .attr('d', (s) =>
      columnPath(
        s.values.length,
        (i) => x(i),
        (i) => y(Math.max(FLOOR, s.values[i] as number)),
        (i) => i > 0 && Number.isFinite(s.values[i]),
      ),
    )
    .attr('fill', 'none')
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 2);
  // One line per optimizer: the legend names them (one line style, so no style key).
  stepLegend(frame, series, (v) => y(Math.max(FLOOR, v)), { dashed: '', dotted: '', width: 2 });
}

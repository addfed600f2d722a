/** Draw loss against step for every run (θ-runs solid, φ-runs dashed). Pure drawing. */
import * as d3 from 'd3';
import { stepAxes, stepFrame } from './step-chart';

export interface LossSeries {
  id: string;
  color: string;
  dashed: boolean;
  loss: number[];
}

export function drawLoss(svgEl: SVGSVGElement, series: LossSeries[], width: number, height: number): void {
  const all = series.flatMap((s) => s.loss.filter(Number.isFinite));
  const frame = stepFrame(svgEl, width, height, d3.max(series, (s) => s.loss.length - 1) ?? 1);
  const { svg, x } = frame;
  const [lo, hi] = all.length ? (d3.extent(all) as [number, number]) : [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  const y = d3
    .scaleLinear()
    .domain([lo - pad, hi + pad])
    .range(frame.yRange);
  stepAxes(frame, d3.axisLeft(y).ticks(5), 'loss', height);
  const line = d3
    .line<number>()
    .x((_, i) => x(i))
    .y((v) => y(v))
    .defined(Number.isFinite);
  svg
    .append('g')
    .selectAll('path')
    .data(series)
    .join('path')
    .attr('class', 'loss-line')
    .attr('data-run', (s) => s.id)
    .attr('d', (s) => line(s.loss))
    .attr('fill', 'none')
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 2)
    .attr('stroke-dasharray', (s) => (s.dashed ? '6 4' : null));
}

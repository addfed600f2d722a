/**
 * The frame shared by the charts over steps (loss, defect, κ*): a cleared SVG of the
 * given size, a step x-scale, and labelled axes. Each chart brings its own y-scale.
 */
import * as d3 from 'd3';

const M = { top: 10, right: 12, bottom: 34, left: 56 };

export interface StepFrame {
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  x: d3.ScaleLinear<number, number>;
  /** The y pixel range, bottom to top, for the chart's own y-scale. */
  yRange: [number, number];
}

/** Clear `svgEl`, size it, and build the step scale for steps 0..`steps`. */
export function stepFrame(svgEl: SVGSVGElement, width: number, height: number, steps: number): StepFrame {
  const w = Math.max(10, width - M.left - M.right);
  const h = Math.max(10, height - M.top - M.bottom);
  const svg = d3
    .select(svgEl)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  svg.selectAll('*').remove();
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, steps)])
    .range([M.left, M.left + w]);
  return { svg, x, yRange: [M.top + h, M.top] };
}

/** Axes with "step" below and `yLabel` at the side; `yAxis` sets the y ticks. */
export function stepAxes(
  frame: StepFrame,
  yAxis: d3.Axis<d3.NumberValue>,
  yLabel: string,
  height: number,
): void {
  const { svg, x, yRange } = frame;
  const [bottom, top] = yRange;
  const [left, right] = x.range() as [number, number];
  svg.append('g').attr('transform', `translate(0,${bottom})`).call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${left},0)`).call(yAxis);
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', (left + right) / 2)
    .attr('y', height - 4)
    .attr('text-anchor', 'middle')
    .text('step');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(14,${(top + bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yLabel);
}

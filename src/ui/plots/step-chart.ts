/**
 * The frame shared by the charts over steps (loss, defect, κ*): an SVG of the given size,
 * a step x-scale, and labelled axes. Each chart brings its own y-scale. The charts redraw
 * while runs train, so the axes and labels are kept and updated in place (not rebuilt),
 * and the series go into one kept group (`series`) that each chart joins its lines into.
 */
import * as d3 from 'd3';
import { sizedSvg } from './svg-size';
import { scaledMargin, typeScale } from './plot-type';
import { drawRunLegend, legendItems, samplePoints, type LegendKey, type PlotRect } from './run-legend';

const MARGIN = { top: 10, right: 12, bottom: 34, left: 56 };

export interface StepFrame {
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>;
  /** The group the chart's lines go in (kept between draws: join into it by run). */
  series: d3.Selection<SVGGElement, unknown, null, undefined>;
  x: d3.ScaleLinear<number, number>;
  /** The y pixel range, bottom to top, for the chart's own y-scale. */
  yRange: [number, number];
  /** The kept group of the run legend (run-legend.ts), over the series. */
  legend: SVGGElement;
  /** The plot area in pixels. */
  plot: PlotRect;
  /** The type scale it was drawn at (plot-type.ts). */
  k: number;
}

/** The kept children of each chart's SVG by class (no selector query per frame). */
const kept = new WeakMap<SVGSVGElement, Map<string, SVGGElement | SVGTextElement>>();

/** The kept child of `svg` with this class, created (as `tag`) on first use. */
function part<E extends SVGGElement | SVGTextElement>(
  svg: d3.Selection<SVGSVGElement, unknown, null, undefined>,
  tag: 'g' | 'text',
  cls: string,
): d3.Selection<E, unknown, null, undefined> {
  const node = svg.node() as SVGSVGElement;
  const parts = kept.get(node) ?? new Map<string, SVGGElement | SVGTextElement>();
  kept.set(node, parts);
  let el = parts.get(cls);
  if (!el || el.parentNode !== node) {
    el = svg.append<E>(tag).attr('class', cls).node() as E;
    parts.set(cls, el);
  }
  return d3.select(el as E);
}

/** Size `svgEl` and build the step scale for steps 0..`steps` (the first call clears it). */
export function stepFrame(svgEl: SVGSVGElement, width: number, height: number, steps: number): StepFrame {
  const k = typeScale(svgEl, width, height);
  const M = scaledMargin(MARGIN, k);
  const w = Math.max(10, width - M.left - M.right);
  const h = Math.max(10, height - M.top - M.bottom);
  const svg = sizedSvg(svgEl, width, height);
  svgEl.dataset.typeScale = String(k);
  if (!svgEl.querySelector(':scope > g.series')) svg.selectAll('*').remove();
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, steps)])
    .range([M.left, M.left + w]);
  part<SVGGElement>(svg, 'g', 'x-axis');
  part<SVGGElement>(svg, 'g', 'y-axis');
  const series = part<SVGGElement>(svg, 'g', 'series');
  const legend = part<SVGGElement>(svg, 'g', 'run-legend-layer')
    .attr('aria-hidden', 'true')
    .node() as SVGGElement;
  const plot = { left: M.left, top: M.top, right: M.left + w, bottom: M.top + h };
  return { svg, series, x, yRange: [M.top + h, M.top], legend, plot, k };
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
  axis(part<SVGGElement>(svg, 'g', 'x-axis'), `translate(0,${bottom})`, d3.axisBottom(x).ticks(6));
  axis(part<SVGGElement>(svg, 'g', 'y-axis'), `translate(${left},0)`, yAxis);
  part<SVGTextElement>(svg, 'text', 'axis-label x-label')
    .attr('x', (left + right) / 2)
    .attr('y', height - 4 * frame.k)
    .attr('text-anchor', 'middle')
    .text('step');
  part<SVGTextElement>(svg, 'text', 'axis-label y-label')
    .attr('transform', `translate(${Math.round(14 * frame.k)},${(top + bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(yLabel);
}

/** Draw an axis into its kept group, unless its scale's domain and range are what it shows. */
function axis(
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
  transform: string,
  a: d3.Axis<d3.NumberValue>,
): void {
  const scale = a.scale<d3.AxisScale<d3.NumberValue>>() as unknown as {
    domain(): unknown[];
    range(): unknown[];
  };
  const key = `${transform}|${String(scale.domain())}|${String(scale.range())}`;
  const el = g.node() as SVGGElement;
  if (el.dataset.key === key) return;
  el.dataset.key = key;
  g.attr('transform', transform).call(a);
}

/** A step chart's series as the legend needs it. */
export interface LegendSeries {
  optimizer: number;
  label: string;
  color: string;
  dashed?: boolean;
  dotted?: boolean;
  values: readonly (number | null)[];
}

/**
 * The chart's run legend: one row per optimizer, and the line styles present (solid θ-run,
 * dashed φ-run, dotted switch run; `dashes` as the chart draws them). It avoids the lines'
 * pixels, `py` mapping a value to y (null or non-finite: not drawn).
 */
export function stepLegend(
  frame: StepFrame,
  series: readonly LegendSeries[],
  py: (v: number) => number,
  dashes: { dashed: string; dotted: string; width: number },
  labels: { solid: string; dashed: string; dotted: string } = {
    solid: 'θ-run',
    dashed: 'φ-run',
    dotted: 'switch run θ→φ',
  },
): void {
  const labelOf = new Map(series.map((s) => [s.optimizer, s.label]));
  const colorOf = new Map(series.map((s) => [s.optimizer, s.color]));
  const items = legendItems(
    series,
    (i) => labelOf.get(i) ?? '',
    (i) => colorOf.get(i) ?? '',
  );
  const keys: LegendKey[] = [];
  if (series.some((s) => !s.dashed && !s.dotted))
    keys.push({ style: 'solid', label: labels.solid, dash: null });
  if (series.some((s) => s.dashed && !s.dotted))
    keys.push({ style: 'dashed', label: labels.dashed, dash: dashes.dashed });
  if (series.some((s) => s.dotted)) keys.push({ style: 'dotted', label: labels.dotted, dash: dashes.dotted });
  const { x } = frame;
  const points = function* (): Generator<readonly [number, number]> {
    for (const s of series)
      yield* samplePoints(s.values.length, (i) => {
        const v = s.values[i];
        return v === null || v === undefined || !Number.isFinite(v) ? null : [x(i), py(v)];
      });
  };
  drawRunLegend(frame.legend, items, keys.length > 1 || keys[0]?.style !== 'solid' ? keys : [], frame.plot, {
    points: points(),
    strokeWidth: dashes.width,
  });
}

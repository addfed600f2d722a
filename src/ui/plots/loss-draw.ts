/**
 * Loss against step for every run (θ-runs solid, φ-runs dashed, switch runs dotted). Pure
 * drawing, called up to once per animation frame while runs train, so it does not rebuild
 * its lines: each path is in data coordinates (step, loss − ref) and grows by the new
 * steps only; the group's transform maps data to pixels (strokes keep their width through
 * `vector-effect: non-scaling-stroke`), so a rescale moves no vertex. A path with far more
 * vertices than the chart has pixel columns is rebuilt thinned (path-data.ts).
 */
import * as d3 from 'd3';
import { stepAxes, stepFrame, stepLegend } from './step-chart';
import { columnIndices, pathThrough, PEN_UP } from './path-data';

export interface LossSeries {
  id: string;
  /** The optimizer's index and label (`optimizerLabel`), for the legend. */
  optimizer: number;
  label: string;
  color: string;
  dashed: boolean;
  /** Switch runs (θ → φ at step k). */
  dotted?: boolean;
  loss: number[];
}

export interface LossChart {
  /** Draw `series` (appended in place since the last call, or replaced) at this size. */
  update(series: readonly LossSeries[], width: number, height: number): void;
}

/** One run's line: the series it follows, how far its extent and its path reach. */
interface Line {
  values: number[];
  scanned: number;
  lo: number;
  hi: number;
  drawn: number;
  d: string;
  down: boolean;
  vertices: number;
}

const newLine = (values: number[]): Line => ({
  values,
  scanned: 0,
  lo: Infinity,
  hi: -Infinity,
  drawn: 0,
  d: '',
  down: false,
  vertices: 0,
});

const DASHED = '6 4';
const DOTTED = '1 4';

/** Rebuild a path thinned once it has this many vertices per pixel column. */
const MAX_PER_COLUMN = 6;

export function createLossChart(svgEl: SVGSVGElement): LossChart {
  const lines = new Map<string, Line>();
  const shown = new WeakMap<SVGPathElement, string>();
  /** The data origin of y in every path (a loss of the chart): float32 (Skia) keeps its digits. */
  let ref = NaN;
  const yData = (v: number): string => String(+(v - ref).toPrecision(8));

  return {
    update(series, width, height) {
      let reset = false;
      for (const s of series) {
        let l = lines.get(s.id);
        if (!l || l.values !== s.loss || s.loss.length < l.scanned) {
          lines.set(s.id, (l = newLine(s.loss)));
          reset = true;
        }
        for (let i = l.scanned; i < s.loss.length; i++) {
          const v = s.loss[i] as number;
          if (!Number.isFinite(v)) continue;
          if (v < l.lo) l.lo = v;
          if (v > l.hi) l.hi = v;
          if (!Number.isFinite(ref)) ref = v;
        }
        l.scanned = s.loss.length;
      }
      const ids = new Set(series.map((s) => s.id));
      for (const id of lines.keys()) if (!ids.has(id)) lines.delete(id);
      if (reset) {
        // New runs: a fresh origin and every path from the start.
        ref = NaN;
        for (const l of lines.values()) {
          Object.assign(l, { drawn: 0, d: '', down: false, vertices: 0 });
          if (!Number.isFinite(ref) && Number.isFinite(l.lo)) ref = l.values.find(Number.isFinite) ?? NaN;
        }
      }

      const frame = stepFrame(svgEl, width, height, d3.max(series, (s) => s.loss.length - 1) ?? 1);
      const { x } = frame;
      const all = [...lines.values()].filter((l) => l.lo <= l.hi);
      const [lo, hi] = all.length ? [d3.min(all, (l) => l.lo), d3.max(all, (l) => l.hi)] : [0, 1];
      const pad = ((hi as number) - (lo as number)) * 0.05 || 1;
      const y = d3
        .scaleLinear()
        .domain([(lo as number) - pad, (hi as number) + pad])
        .range(frame.yRange);
      stepAxes(frame, d3.axisLeft(y).ticks(5), 'loss', height);
      const origin = Number.isFinite(ref) ? ref : 0;
      // Data (step, loss − ref) to pixels.
      const a = x(1) - x(0);
      const k = y(origin + 1) - y(origin);
      frame.series.attr('transform', `matrix(${a} 0 0 ${k} ${x(0)} ${y(origin)})`);
      const columns = Math.max(1, x.range()[1]! - x.range()[0]!);
      frame.series
        .selectAll<SVGPathElement, LossSeries>('path.loss-line')
        .data(series, (s) => s.id)
        .join('path')
        .attr('class', 'loss-line')
        .attr('data-run', (s) => s.id)
        .attr('fill', 'none')
        .attr('vector-effect', 'non-scaling-stroke')
        .attr('stroke', (s) => s.color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', (s) => (s.dotted ? DOTTED : s.dashed ? DASHED : null))
        .each(function (s) {
          const l = lines.get(s.id);
          if (!l) return;
          const v = l.values;
          if (l.vertices > MAX_PER_COLUMN * columns) {
            const kept = columnIndices(
              v.length,
              (i) => x(i),
              (i) => y(v[i] as number),
            );
            l.d = pathThrough(kept, (i) => `${i},${yData(v[i] as number)}`);
            l.vertices = kept.length;
            l.drawn = v.length;
            l.down = kept[kept.length - 1] !== PEN_UP;
          }
          let d = l.d;
          for (let i = l.drawn; i < v.length; i++) {
            const val = v[i] as number;
            if (!Number.isFinite(val)) {
              l.down = false;
              continue;
            }
            d += `${l.down ? 'L' : 'M'}${i},${yData(val)}`;
            l.down = true;
            l.vertices++;
          }
          l.drawn = v.length;
          // Compared with what this element was given (reading the attribute back copies it).
          if (shown.get(this) !== d) this.setAttribute('d', d);
          shown.set(this, (l.d = d));
        });
      stepLegend(
        frame,
        series.map((s) => ({ ...s, values: s.loss })),
        y,
        { dashed: DASHED, dotted: DOTTED, width: 2 },
      );
    },
  };
}

/**
 * The measured naturality defects of every θ/φ pair: D_K (parameter space) and D^fn_K
 * (function space), docs/theory.md §1, with a chart of the per-step distance. The verdict
 * words (state/verdict.ts) are the scene captions' too.
 */
import { maxDistance } from '../../engine/page';
import { useEffect, useRef, useState } from 'react';
import { formatDefect, naturalityVerdict as verdict } from '../../state/verdict';
import { optimizerLabel } from './optimizer-label';
import { useLab, useLabContext } from '../lab-context';
import { optimizerColor } from '../plots/colors';
import { drawDefects, type DefectSeries } from '../plots/defect-draw';
import { useSize } from '../plots/use-size';
import { changeDetector, seriesParts } from '../plots/change-key';

const fmt = formatDefect;

/**
 * The per-step distance chart. Its own component, mounted with the first defects, so its
 * size observer starts on a box that exists (the panel renders nothing before them).
 * The panel re-renders on every telemetry frame (the table's numbers); the chart redraws
 * only when a series grew.
 */
function DefectChart({ series, experiment }: { series: DefectSeries[]; experiment: unknown }) {
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);
  const [changed] = useState(changeDetector);
  useEffect(() => {
    const parts = [svg.current, width, height, experiment, ...series.flatMap((r) => seriesParts(r.values))];
    if (svg.current && width > 0 && changed(parts)) drawDefects(svg.current, series, width, height);
  });
  return (
    <div className="plot-box defect-chart" ref={box}>
      <svg ref={svg} role="img" aria-label="Per-step distance between each θ-run and its φ-twin, log scale" />
    </div>
  );
}

export function DefectPanel() {
  const { store } = useLabContext();
  useLab((s) => s.runsVersion);
  const s = store.getState();
  const rows = Object.entries(s.defects).map(([k, d]) => {
    const i = Number(k);
    return {
      i,
      label: optimizerLabel(s.experiment, i),
      color: optimizerColor(s.experiment, i),
      parameter: maxDistance(d.parameter),
      fn: maxDistance(d.function),
      values: d.parameter,
    };
  });

  if (rows.length === 0) return null;
  return (
    <figure className="plot defects" aria-label="Naturality defect">
      <figcaption>Naturality defect: θ-run vs pushed-forward φ-run</figcaption>
      <table className="defect-table">
        <thead>
          <tr>
            <th scope="col">optimizer</th>
            <th scope="col">
              D<sub>K</sub> (parameters)
            </th>
            <th scope="col">
              D<sup>fn</sup>
              <sub>K</sub> (function)
            </th>
            <th scope="col">runs</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.i} data-optimizer={r.i}>
              <th scope="row">
                <span className="swatch" style={{ background: r.color }} aria-hidden="true" /> {r.label}
              </th>
              <td className="num" data-defect="parameter">
                {fmt(r.parameter)}
              </td>
              <td className="num" data-defect="function">
                {fmt(r.fn)}
              </td>
              <td data-verdict>{verdict(r.parameter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <DefectChart
        series={rows.map((r) => ({ optimizer: r.i, label: r.label, color: r.color, values: r.values }))}
        experiment={s.experiment}
      />
    </figure>
  );
}

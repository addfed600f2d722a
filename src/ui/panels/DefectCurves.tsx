/**
 * Beside the naturality table: D_K of lowrank-fisher against its rank k and of truncated
 * NGD against its CG iterations m, under the table's general linear map and under the
 * cubic map (docs/theory.md §9.2, §9.3). Log scale in D_K; the round-off line marks
 * "equivariant". Drawn as plain SVG from the measured points.
 */
import * as d3 from 'd3';
import { type DefectCurve, type DefectCurves as Curves, EQUIVARIANT_BELOW } from '../../engine/page';

const W = 220;
const H = 150;
const M = { top: 22, right: 10, bottom: 30, left: 44 };
const colors = { linear: '#1f77b4', nonlinear: '#d62728' } as const;

function Curve({ title, xLabel, curves }: { title: string; xLabel: string; curves: DefectCurve[] }) {
  const values = curves[0]?.values ?? [];
  const finite = curves.flatMap((c) => c.defects).filter((d) => Number.isFinite(d) && d > 0);
  const lo = Math.min(EQUIVARIANT_BELOW / 10, ...finite);
  const hi = Math.max(1, ...finite);
  const x = d3
    .scalePoint<number>()
    .domain(values)
    .range([M.left, W - M.right]);
  const y = d3
    .scaleLog()
    .domain([lo, hi])
    .range([H - M.bottom, M.top])
    .clamp(true);
  const line = d3
    .line<[number, number]>()
    .defined((p) => Number.isFinite(p[1]) && p[1] > 0)
    .x((p) => x(p[0]) ?? 0)
    .y((p) => y(p[1]));
  const ticks = y.ticks(4).filter((t) => Number.isInteger(Math.log10(t)));
  return (
    <svg
      className="defect-curve"
      width={W}
      height={H}
      role="img"
      aria-label={`${title}: ${curves
        .map(
          (c) =>
            `${c.map}: ${c.values.map((v, i) => `${v} → ${(c.defects[i] ?? NaN).toExponential(1)}`).join(', ')}`,
        )
        .join('; ')}`}
    >
      <text x={M.left} y={10} fontSize={11}>
        {title}
      </text>
      <line
        x1={M.left}
        x2={W - M.right}
        y1={y(EQUIVARIANT_BELOW)}
        y2={y(EQUIVARIANT_BELOW)}
        stroke="currentColor"
        strokeDasharray="3 3"
        opacity={0.5}
      />
      {ticks.map((t) => (
        <text key={t} x={M.left - 4} y={y(t) + 3} fontSize={9} textAnchor="end">
          {t.toExponential(0)}
        </text>
      ))}
      {values.map((v) => (
        <text key={v} x={x(v) ?? 0} y={H - M.bottom + 12} fontSize={9} textAnchor="middle">
          {v}
        </text>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 4} fontSize={10} textAnchor="middle">
        {xLabel}
      </text>
      {curves.map((c) => (
        <g key={c.map} data-curve={`${c.kind}-${c.map}`}>
          <path
            d={line(c.values.map((v, i) => [v, c.defects[i] ?? NaN])) ?? ''}
            fill="none"
            stroke={colors[c.map]}
            strokeWidth={1.5}
          />
          {c.values.map((v, i) =>
            Number.isFinite(c.defects[i]) ? (
              <circle key={v} cx={x(v) ?? 0} cy={y(c.defects[i] as number)} r={2.5} fill={colors[c.map]} />
            ) : null,
          )}
        </g>
      ))}
    </svg>
  );
}

export function DefectCurves({ curves }: { curves: Curves }) {
  const of = (kind: DefectCurve['kind']) => curves.curves.filter((c) => c.kind === kind);
  return (
    <div className="defect-curves" data-panel="defect-curves">
      <p className="hint">
        How much of the Fisher buys how much invariance: D<sub>K</sub> ({curves.steps} steps, undamped)
        against the rank k of <code>lowrank-fisher</code> and the CG iterations m of truncated NGD, under the
        general linear map (<span style={{ color: colors.linear }}>blue</span>) and the cubic map θ = φ +
        0.3φ³ (<span style={{ color: colors.nonlinear }}>red</span>). At k = m = P = {curves.P} both are NGD:
        round-off under the linear map, NGD&apos;s own O(η) defect under the cubic one (docs/theory.md §9).
        Dashed: the round-off line.
      </p>
      <div className="defect-curves-row">
        <Curve title="lowrank-fisher: D_K vs k" xLabel="rank k" curves={of('rank')} />
        <Curve title="truncated NGD: D_K vs m" xLabel="CG iterations m" curves={of('cgIters')} />
      </div>
    </div>
  );
}

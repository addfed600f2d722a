/**
 * The function-space view for `mlp` classification: each run's decision regions
 * at its latest point as a small heatmap, θ-run beside φ-run, with the training points.
 * Two runs that coincide in function space look alike even if their parameters differ.
 * A legend names each class's colour and what the shading means (DecisionLegend.tsx).
 */
import { memo, useEffect, useMemo, useRef, type CSSProperties } from 'react';
import { useLab } from '../lab-context';
import type { LabState } from '../../state/store';
import { optimizerLabel } from '../panels/optimizer-label';
import { drawDecision } from './decision-draw';
import { DecisionLegend } from './DecisionLegend';

const SIZE = 160;

type Decision = NonNullable<LabState['decision']>;

/**
 * One run's heatmap. Memoized on its own grid (the store keeps a run's Float32Array until
 * new regions for it arrive) so a decision event repaints only the runs it carries.
 */
const Heatmap = memo(function Heatmap({
  decision,
  values,
  id,
  label,
  classes,
}: {
  decision: Omit<Decision, 'runs'>;
  values: Float32Array | undefined;
  id: string;
  label: string;
  classes: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { window, n, points, labels } = decision;
  useEffect(() => {
    if (canvas.current && values)
      drawDecision(canvas.current, { window, n, points, labels, values, classes }, SIZE);
  }, [window, n, points, labels, values, classes]);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: '0.2rem' }}>
      <canvas
        ref={canvas}
        className="decision-heatmap"
        data-run={id}
        role="img"
        aria-label={`decision regions of ${label}`}
        style={{ width: SIZE, height: SIZE, border: '1px solid var(--border)' }}
      />
      <span className="decision-label" style={{ fontSize: '0.85rem' }} title={label}>
        {label}
      </span>
    </div>
  );
});

export function DecisionRegions() {
  const decision = useLab((s) => s.decision);
  const runs = useLab((s) => s.runs);
  const experiment = useLab((s) => s.experiment);
  // The part every heatmap shares, kept while only the runs' grids change.
  const [window, n, points, labels] = [decision?.window, decision?.n, decision?.points, decision?.labels];
  const shared = useMemo(
    () => (window && n !== undefined && points && labels ? { window, n, points, labels } : null),
    [window, n, points, labels],
  );
  if (!decision || !shared || runs.length === 0) return null;
  let classes = 2;
  for (const l of decision.labels) classes = Math.max(classes, l + 1);
  const optimizers = [...new Set(runs.map((r) => r.optimizer))];
  // Rows and columns of heatmaps, for a layout that sizes them to the space (presentation mode).
  const columns = Math.max(1, ...optimizers.map((o) => runs.filter((r) => r.optimizer === o).length));
  const grid = { '--decision-rows': optimizers.length, '--decision-cols': columns } as CSSProperties;
  return (
    <figure className="plot decision" aria-label="Decision regions per run" style={grid}>
      <figcaption>Decision regions (function space)</figcaption>
      <DecisionLegend classes={classes} />
      <div className="decision-grid">
        {optimizers.map((o) => (
          <div key={o} style={{ display: 'flex', gap: '0.8rem', flexWrap: 'wrap', padding: '0.3rem' }}>
            {runs
              .filter((r) => r.optimizer === o)
              .map((r) => (
                <Heatmap
                  key={r.id}
                  decision={shared}
                  values={decision.runs[r.id]}
                  id={r.id}
                  classes={classes}
                  label={`${optimizerLabel(experiment, o)} in ${r.space === 'phi' ? 'φ' : 'θ'}`}
                />
              ))}
          </div>
        ))}
      </div>
    </figure>
  );
}

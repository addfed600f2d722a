/**
 * The function-space view for `mlp` classification (issue 6): each run's decision regions
 * at its latest point as a small heatmap, θ-run beside φ-run, with the training points.
 * Two runs that coincide in function space look alike even if their parameters differ.
 */
import { useEffect, useRef } from 'react';
import { useLab } from '../lab-context';
import type { LabState } from '../../state/store';
import { optimizerLabel } from '../panels/optimizer-label';
import { drawDecision } from './decision-draw';

const SIZE = 160;

type Decision = NonNullable<LabState['decision']>;

function Heatmap({
  decision,
  id,
  label,
  classes,
}: {
  decision: Decision;
  id: string;
  label: string;
  classes: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const values = decision.runs[id];
  useEffect(() => {
    if (canvas.current && values) drawDecision(canvas.current, { ...decision, values, classes }, SIZE);
  }, [decision, values, classes]);
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
      <span style={{ fontSize: '0.85rem' }}>{label}</span>
    </div>
  );
}

export function DecisionRegions() {
  const decision = useLab((s) => s.decision);
  const runs = useLab((s) => s.runs);
  const experiment = useLab((s) => s.experiment);
  if (!decision || runs.length === 0) return null;
  let classes = 2;
  for (const l of decision.labels) classes = Math.max(classes, l + 1);
  const optimizers = [...new Set(runs.map((r) => r.optimizer))];
  return (
    <figure className="plot decision" aria-label="Decision regions per run">
      <figcaption>
        Decision regions (function space){' '}
        <span className="hint">
          {classes === 2 ? 'P(class 1): blue 0 · white 0.5 · vermilion 1' : 'argmax class'}
        </span>
      </figcaption>
      {optimizers.map((o) => (
        <div key={o} style={{ display: 'flex', gap: '0.8rem', flexWrap: 'wrap', padding: '0.3rem' }}>
          {runs
            .filter((r) => r.optimizer === o)
            .map((r) => (
              <Heatmap
                key={r.id}
                decision={decision}
                id={r.id}
                classes={classes}
                label={`${optimizerLabel(experiment, o)} in ${r.space === 'phi' ? 'φ' : 'θ'}`}
              />
            ))}
        </div>
      ))}
    </figure>
  );
}

/**
 * The key to the decision-region heatmaps: one entry per class (the region's tint with
 * a training point's dot in the class colour, and the class label), and what the shading
 * means — P(class 1) on a diverging scale for two classes, the argmax class otherwise.
 */
import { ARGMAX_TINT, classColor, decisionColor } from './decision-draw';

const css = ([r, g, b]: [number, number, number]): string => `rgb(${r},${g},${b})`;

/** Region colour shown in a class's swatch: a confident two-class cell, or the argmax tint. */
function regionColor(c: number, classes: number): string {
  return css(decisionColor(classes > 2 ? c : c === 1 ? 1 : 0, classes));
}

export function DecisionLegend({ classes }: { classes: number }) {
  const stops = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
    .map((p) => `${css(decisionColor(p, 2))} ${100 * p}%`)
    .join(', ');
  return (
    <div className="decision-legend">
      <ul aria-label="Classes">
        {Array.from({ length: classes }, (_, c) => (
          <li key={c} className="class-entry" data-class={c}>
            <span className="class-swatch" aria-hidden="true" style={{ background: regionColor(c, classes) }}>
              <span className="class-dot" style={{ background: classColor(c) }} />
            </span>
            class {c}
          </li>
        ))}
      </ul>
      {classes === 2 ? (
        <div className="probability-key">
          <span
            className="probability-bar"
            role="img"
            aria-label="Shading scale: predicted probability of class 1, from 0 (class 0 colour) through 0.5 (white) to 1 (class 1 colour)"
            style={{ background: `linear-gradient(to right, ${stops})` }}
          />
          <span className="probability-ticks" aria-hidden="true">
            <span>0</span>
            <span>0.5</span>
            <span>1</span>
          </span>
          <span className="legend-note">
            shading: predicted P(class 1); white = 0.5, the decision boundary
          </span>
        </div>
      ) : (
        <span className="legend-note">
          shading: predicted class (argmax), a flat {Math.round(100 * ARGMAX_TINT)}% tint — no probability
        </span>
      )}
      <span className="legend-note">dots: training points, coloured by their label</span>
    </div>
  );
}

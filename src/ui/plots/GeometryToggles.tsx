/**
 * The view controls' geometry toggles (2-parameter landscapes and networks' slices): the Fisher's ellipses,
 * the implied metric of each run's step, and the steepest-descent arrows. View settings
 * (`view.geometry`): the runs go on, links keep them, scenes that teach them turn them on.
 */
import { useLab } from '../lab-context';
import { useViewEdit } from '../panels/use-edit';
import { geometryStore } from '../../state/geometry';
import { useStore } from 'zustand';

const toggles = [
  [
    'fisher',
    'Fisher ellipses',
    'The Fisher metric’s ellipses δᵀF(θ)δ = c on a grid and along the runs; in φ the same ones carried by the map (JᵀFJ); on a network’s slice the Fisher restricted to the plane (UᵀFU), points off the plane drawn at their projection',
  ],
  [
    'implied',
    'implied metric',
    'The best-conditioned metric for which each run’s current step is a natural-gradient step (κ* its condition number), next to the Fisher’s ellipse',
  ],
  [
    'arrows',
    'steepest descent',
    'At each run’s current point: −∇L (Euclidean, white) and −F⁻¹∇L (natural gradient, pink); on a network’s slice the steepest descent within the plane, −(UᵀU)⁻¹Uᵀ∇L and −(UᵀFU)⁻¹Uᵀ∇L',
  ],
] as const;

export function GeometryToggles() {
  const editView = useViewEdit();
  // 2-parameter landscapes and networks' slices (the geometry within the plane).
  const shown = useLab((s) => s.windows !== null && (s.slice !== null || s.paramNames.length === 2));
  const on = useLab((s) => s.experiment?.view.geometry);
  const notes = useStore(geometryStore, (g) => g.drawn.theta.notes.length + g.drawn.phi.notes.length);
  const error = useStore(geometryStore, (g) => g.error);
  const sliced = useLab((s) => s.slice !== null);
  if (!shown) return null;
  return (
    <fieldset className="geometry-toggles inline" aria-label="Geometry overlays">
      <legend>Geometry</legend>
      {toggles.map(([name, label, title]) => (
        <label key={name} className="inline" title={title}>
          <input
            type="checkbox"
            name={`geometry-${name}`}
            checked={!!on?.[name]}
            onChange={(e) => {
              const checked = e.target.checked;
              void editView((v) => ({ ...v, geometry: { ...v.geometry, [name]: checked } }));
            }}
          />{' '}
          {label}
        </label>
      ))}
      {sliced && (on?.fisher || on?.implied || on?.arrows) ? (
        <span className="hint geometry-slice-note">
          Within the slice’s plane: the Fisher restricted to it, the steps’ and gradients’ projections; points
          off the plane are drawn at their projection.
        </span>
      ) : null}
      {notes > 0 || error ? (
        <span
          className="hint"
          role="status"
          title={[
            error ?? '',
            ...geometryStore.getState().drawn.theta.notes,
            ...geometryStore.getState().drawn.phi.notes,
          ]
            .filter(Boolean)
            .join('\n')}
        >
          {error
            ? `not drawn: ${error}`
            : `${notes} point${notes === 1 ? '' : 's'} not drawn (hover for why)`}
        </span>
      ) : null}
    </fieldset>
  );
}

/**
 * The view controls' geometry toggles (2-parameter landscapes only): the Fisher's ellipses,
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
    'The Fisher metric’s ellipses δᵀF(θ)δ = c on a grid and along the runs; in φ the same ones carried by the map (JᵀFJ)',
  ],
  [
    'implied',
    'implied metric',
    'The best-conditioned metric for which each run’s current step is a natural-gradient step (κ* its condition number), next to the Fisher’s ellipse',
  ],
  [
    'arrows',
    'steepest descent',
    'At each run’s current point: −∇L (Euclidean, white) and −F⁻¹∇L (natural gradient, pink)',
  ],
] as const;

export function GeometryToggles() {
  const editView = useViewEdit();
  const shown = useLab((s) => s.windows !== null && s.slice === null && s.paramNames.length === 2);
  const on = useLab((s) => s.experiment?.view.geometry);
  const notes = useStore(geometryStore, (g) => g.drawn.theta.notes.length + g.drawn.phi.notes.length);
  const error = useStore(geometryStore, (g) => g.error);
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

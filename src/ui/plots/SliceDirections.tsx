/**
 * The θ slice's directions for networks (view.directions, so the link keeps the choice):
 * principal directions of the runs (the default; fitted when they stop) or filter-normalized
 * random ones. A zoomed window is dropped with the switch: its (a, b) belong to the old plane.
 */
import type { Experiment } from '../../engine/page';
import { useLab } from '../lab-context';
import { useViewEdit } from '../panels/use-edit';

type Directions = NonNullable<Experiment['view']['directions']>;

export function SliceDirections() {
  const editView = useViewEdit();
  const value = useLab((s) => s.experiment?.view.directions ?? 'pca');
  const pending = useLab((s) => value === 'pca' && s.slice?.kind === 'random');
  const choose = (directions: Directions): void =>
    void editView((v) => ({ ...v, directions, window: undefined }));
  return (
    <label className="hint">
      directions:{' '}
      <select
        aria-label="Slice directions"
        value={value}
        onChange={(e) => choose(e.target.value === 'random' ? 'random' : 'pca')}
      >
        <option value="pca">principal (PCA of the runs)</option>
        <option value="random">random (filter-normalized)</option>
      </select>
      {pending ? ' (fitted when the runs pause)' : ''}
    </label>
  );
}

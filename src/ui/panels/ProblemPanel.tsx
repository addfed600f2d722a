/** The problem, its data (generated, or loaded from a CSV file), its seed and the number of steps. */
import { problemCatalog, problemIds, type ProblemId, withoutSuggestedKeys } from '../../engine/page';
import { useHidden, useLab } from '../lab-context';
import { CommitInput } from './CommitInput';
import { DataLoader } from './DataLoader';
import { useEdit } from './use-edit';

export function ProblemPanel() {
  const experiment = useLab((s) => s.experiment);
  const hideSteps = useHidden('steps');
  const hideSeed = useHidden('seed');
  const edit = useEdit();
  if (!experiment) return null;
  return (
    <fieldset className="problem-panel">
      <legend>Problem</legend>
      <label>
        Problem
        <select
          aria-label="Problem"
          title={`id: ${experiment.problem.id}`}
          value={experiment.problem.id}
          onChange={(e) =>
            void edit((x) => ({
              ...x,
              problem: { id: e.target.value as ProblemId },
              // η and damping left out: the new problem's suggestions fill them (schema.ts).
              optimizers: x.optimizers.map(withoutSuggestedKeys),
              reparam: { id: 'identity' },
              init: undefined,
              view: { ...x.view, window: undefined },
            }))
          }
        >
          {problemIds.map((id) => (
            <option key={id} value={id} title={id}>
              {problemCatalog[id].label}
            </option>
          ))}
        </select>
      </label>
      <DataLoader experiment={experiment} />
      <div className="optimizer-row">
        {hideSteps ? null : (
          <label className="inline">
            steps
            <CommitInput
              inputMode="numeric"
              value={String(experiment.steps)}
              onCommit={(t) => void edit((x) => ({ ...x, steps: Number(t) }))}
            />
          </label>
        )}
        {hideSeed ? null : (
          <label className="inline">
            seed
            <CommitInput
              inputMode="numeric"
              value={String(experiment.seed)}
              onCommit={(t) => void edit((x) => ({ ...x, seed: Number(t) }))}
            />
          </label>
        )}
      </div>
    </fieldset>
  );
}

/** The problem, its data (generated, or loaded from a CSV file), its seed and the number of steps. */
import { useEffect, useState } from 'react';
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
  const [batchError, setBatchError] = useState<string | null>(null);
  const problemId = experiment?.problem.id;
  const batch = experiment?.problem.batch;
  // A refused size's message belongs to the experiment it was typed into: another problem, or a
  // batch size set elsewhere (a link, a scene, the command line), clears it.
  useEffect(() => setBatchError(null), [problemId, batch]);
  if (!experiment) return null;
  const setBatch = async (text: string): Promise<void> => {
    const t = text.trim();
    if (t !== '' && !Number.isFinite(Number(t))) {
      setBatchError(`problem.batch: "${t}" is not a number of images`);
      return;
    }
    const error = await edit(
      (x) => {
        const { batch: _old, ...rest } = x.problem;
        return { ...x, problem: t === '' ? rest : { ...rest, batch: Number(t) } };
      },
      { quiet: true },
    );
    setBatchError(error);
  };
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
      {takesBatch(experiment.problem.id) ? (
        <>
          <label className="inline">
            mini-batch
            <CommitInput
              aria-label="mini-batch size"
              inputMode="numeric"
              className="batch-size"
              placeholder="full batch"
              title="training images per step, drawn by the seed (the same for every run at a step); empty: the full batch. The loss plotted is the full training loss."
              value={typeof batch === 'number' ? String(batch) : ''}
              onCommit={(t) => void setBatch(t)}
            />
          </label>
          {typeof batch === 'number' && !batchError ? (
            <p className="batch-hint" data-testid="batch-hint">
              Each step uses {batch} training images, drawn by the seed (every run sees the same ones at a
              step); the loss plotted is on the full training set.
            </p>
          ) : null}
          {batchError ? (
            <p className="field-error" role="alert" data-testid="batch-error">
              {batchError} — the previous batch size is still in use.
            </p>
          ) : null}
        </>
      ) : null}
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

/** Whether the problem has a mini-batch size (a `batch` parameter: problems/params.ts). */
function takesBatch(id: ProblemId): boolean {
  const shape = (problemCatalog[id].params as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && 'batch' in shape;
}

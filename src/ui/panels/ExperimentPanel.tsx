/** Problem, map and optimizers of the experiment. Every change goes through the worker's validation. */
import { problems, problemIds, type ProblemId } from '../../engine/problems';
import { implementedReparams } from '../../engine/reparam';
import { optimizers } from '../../engine/optimizers';
import type { OptimizerId } from '../../engine/optimizers/ids';
import { useHidden, useLab } from '../lab-context';
import { optimizerColor } from '../plots/colors';
import { useEdit } from './use-edit';

export function ExperimentPanel() {
  const experiment = useLab((s) => s.experiment);
  const edit = useEdit();
  const hide = {
    problem: useHidden('problem'),
    reparam: useHidden('reparam'),
    optimizers: useHidden('optimizers'),
  };
  if (hide.problem && hide.reparam && hide.optimizers) return null;
  if (!experiment) return <section className="panel">Loading…</section>;
  const optimizerIds = Object.keys(optimizers) as OptimizerId[];
  return (
    <section className="panel experiment" aria-label="Experiment">
      {hide.problem ? null : (
        <label>
          Problem
          <select
            value={experiment.problem.id}
            onChange={(e) =>
              void edit((x) => ({
                ...x,
                problem: { id: e.target.value as ProblemId },
                init: undefined,
                view: { ...x.view, window: undefined },
              }))
            }
          >
            {problemIds.map((id) => (
              <option key={id} value={id}>
                {problems[id].label}
              </option>
            ))}
          </select>
        </label>
      )}
      {hide.reparam ? null : (
        <label>
          Map θ = f(φ)
          <select
            value={experiment.reparam.id}
            onChange={(e) => void edit((x) => ({ ...x, reparam: { id: e.target.value } }))}
          >
            {implementedReparams().map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
      )}
      {hide.optimizers ? null : (
        <fieldset>
          <legend>Optimizers</legend>
          {experiment.optimizers.map((o, i) => (
            <div className="optimizer-row" key={i}>
              <span
                className="swatch"
                style={{ background: optimizerColor(experiment, i) }}
                aria-hidden="true"
              />
              <select
                aria-label={`Optimizer ${i + 1}`}
                value={o.id}
                onChange={(e) =>
                  void edit((x) => {
                    x.optimizers[i] = { ...o, id: e.target.value as OptimizerId };
                    return x;
                  })
                }
              >
                {optimizerIds.map((id) => (
                  <option key={id} value={id}>
                    {optimizers[id]?.label ?? id}
                  </option>
                ))}
              </select>
              <label className="inline">
                η
                <input
                  type="number"
                  aria-label={`Learning rate of optimizer ${i + 1}`}
                  step="any"
                  min="0"
                  defaultValue={o.lr ?? optimizers[o.id]?.defaults.lr ?? 0.1}
                  key={`${o.id}-${o.lr}`}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') e.currentTarget.blur();
                  }}
                  onBlur={(e) => {
                    const lr = e.target.valueAsNumber;
                    if (lr === o.lr) return;
                    void edit((x) => {
                      x.optimizers[i] = { ...o, lr };
                      return x;
                    });
                  }}
                />
              </label>
            </div>
          ))}
        </fieldset>
      )}
    </section>
  );
}

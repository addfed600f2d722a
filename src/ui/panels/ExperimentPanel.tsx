/** Problem, map and optimizers of the experiment; each part can be hidden by a classroom link. */
import { useHidden, useLab } from '../lab-context';
import { MapPanel } from './MapPanel';
import { OptimizersPanel } from './OptimizersPanel';
import { ProblemPanel } from './ProblemPanel';

export function ExperimentPanel() {
  const loaded = useLab((s) => s.experiment !== null);
  const hide = {
    problem: useHidden('problem'),
    reparam: useHidden('reparam'),
    optimizers: useHidden('optimizers'),
  };
  if (hide.problem && hide.reparam && hide.optimizers) return null;
  if (!loaded) return <section className="panel">Loading…</section>;
  return (
    <section className="panel experiment" aria-label="Experiment">
      {hide.problem ? null : <ProblemPanel />}
      {hide.reparam ? null : <MapPanel />}
      {hide.optimizers ? null : <OptimizersPanel />}
    </section>
  );
}

/** Copy a link to the current experiment, or download it as an Experiment JSON file. */
import { experimentHash } from '../../link/url';
import { useLab, useLabContext } from '../lab-context';
import { download } from '../plots/export-figure';
import { runsToCsv } from '../../engine/page';

export function ShareControls() {
  const experiment = useLab((s) => s.experiment);
  const { store } = useLabContext();
  const notify = useLab((s) => s.notify);
  if (!experiment) return null;
  const link = (): string =>
    `${window.location.origin}${window.location.pathname}${window.location.search}${experimentHash(experiment)}`;
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(link());
      notify('info', 'Link copied to the clipboard.');
    } catch {
      notify('warning', `The clipboard is not available here; the link is: ${link()}`);
    }
  };
  const exportJson = (): void => {
    const s = store.getState();
    const automation = window.reparamLab?.state();
    const result = {
      experiment,
      backend: s.backend?.name ?? null,
      runs: automation?.runs ?? [],
      defects: automation?.defects ?? [],
    };
    download(
      `reparam-lab-${experiment.problem.id}.json`,
      JSON.stringify(result, null, 1),
      'application/json',
    );
  };
  const exportCsv = (): void =>
    download(`reparam-lab-${experiment.problem.id}.csv`, runsToCsv(store.getState().runs), 'text/csv');
  return (
    <section className="panel share" aria-label="Share">
      <div className="buttons">
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
        <button type="button" onClick={exportJson}>
          Export JSON
        </button>
        <button type="button" onClick={exportCsv}>
          Export CSV
        </button>
      </div>
    </section>
  );
}

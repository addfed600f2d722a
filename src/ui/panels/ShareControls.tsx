/** Copy a link to the current experiment, or download it as an Experiment JSON file. */
import { experimentHash } from '../../state/url';
import { useLab } from '../lab-context';

export function ShareControls() {
  const experiment = useLab((s) => s.experiment);
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
  const download = (): void => {
    const blob = new Blob([JSON.stringify(experiment, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `experiment-${experiment.problem.id}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  return (
    <section className="panel share" aria-label="Share">
      <div className="buttons">
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
        <button type="button" onClick={download}>
          Export JSON
        </button>
      </div>
    </section>
  );
}

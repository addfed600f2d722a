/**
 * Keep the address bar and the saved experiment in step with the loaded experiment:
 * `history.replaceState` (no history flooding), at most a few times per second. With
 * `keepAddress` (the page opened a bad link) the address keeps the link as pasted until
 * the experiment first changes.
 */
import type { LabStore } from '../state/store';
import { experimentHash } from '../link/url';
import { save } from '../state/persistence';

export function syncUrlAndStorage(
  store: LabStore,
  storage: Storage | null,
  options: { keepAddress?: boolean } = {},
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** `keepAddress`: the first experiment loaded (JSON) leaves the address as it is; null once changed. */
  let first: string | null = null;
  let keep = options.keepAddress === true;
  return store.subscribe((s, prev) => {
    if (!s.experiment || s.experiment === prev.experiment) return;
    const experiment = s.experiment;
    if (keep) {
      const json = JSON.stringify(experiment);
      first ??= json;
      if (json === first) return;
      keep = false;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const url = `${window.location.pathname}${window.location.search}${experimentHash(experiment)}`;
      window.history.replaceState(null, '', url);
      save(storage, experiment);
    }, 250);
  });
}

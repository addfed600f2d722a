/**
 * Keep the address bar and the saved experiment in step with the loaded experiment:
 * `history.replaceState` (no history flooding), at most a few times per second.
 */
import type { LabStore } from '../state/store';
import { experimentHash } from '../state/url';
import { save } from '../state/persistence';

export function syncUrlAndStorage(store: LabStore, storage: Storage | null): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return store.subscribe((s, prev) => {
    if (!s.experiment || s.experiment === prev.experiment) return;
    const experiment = s.experiment;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const url = `${window.location.pathname}${window.location.search}${experimentHash(experiment)}`;
      window.history.replaceState(null, '', url);
      save(storage, experiment);
    }, 250);
  });
}

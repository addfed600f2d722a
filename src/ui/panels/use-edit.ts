/**
 * Change the current experiment: build the next one from the loaded one and ask the
 * worker to load it. A rejected change leaves the previous experiment running; the
 * reason is shown (and returned, for inline messages next to the field).
 */
import { useCallback } from 'react';
import { parseExperiment, type Experiment } from '../../engine/page';
import { useLabContext } from '../lab-context';

export type Edit = (
  change: (current: Experiment) => unknown,
  options?: { quiet?: boolean },
) => Promise<string | null>;

export function useEdit(): Edit {
  const { store, client } = useLabContext();
  return useCallback<Edit>(
    async (change, options) => {
      // A load still in flight (a scene being opened) is the experiment to change. Read
      // synchronously: callers read their event's value inside `change`, which a controlled
      // input resets once the event handler has returned.
      const pending = client.pending();
      const parsed = pending === null ? null : parseExperiment(pending);
      const current = parsed?.ok ? parsed.experiment : store.getState().experiment;
      if (!current) return 'no experiment loaded yet';
      const error = await client.load(change(structuredClone(current)));
      if (error && !options?.quiet) store.getState().notify('error', `Not applied: ${error}`);
      return error;
    },
    [store, client],
  );
}

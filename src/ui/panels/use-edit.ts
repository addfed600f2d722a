/**
 * Change the current experiment: build the next one from the loaded one and ask the
 * worker to load it (`useEdit`: new runs), or change only its view settings (`useViewEdit`:
 * window, grid, speed, slice directions, overlays; the runs go on). A rejected change
 * leaves the previous experiment running; the reason is shown (and returned, for inline
 * messages next to the field).
 */
import { useCallback } from 'react';
import { parseExperiment, type Experiment } from '../../engine/page';
import type { LabClient, ViewSettings } from '../../client/lab-client';
import type { LabStore } from '../../state/store';
import { useLabContext } from '../lab-context';

export type Edit = (
  change: (current: Experiment) => unknown,
  options?: { quiet?: boolean },
) => Promise<string | null>;

export type ViewEdit = (change: (view: ViewSettings) => ViewSettings) => Promise<string | null>;

/**
 * The experiment to change: a load still in flight (a scene being opened), else the loaded
 * one. Read synchronously: callers read their event's value inside `change`, which a
 * controlled input resets once the event handler has returned.
 */
function editing(store: LabStore, client: LabClient): { current: Experiment | null; pending: boolean } {
  const pending = client.pending();
  const parsed = pending === null ? null : parseExperiment(pending);
  return {
    current: parsed?.ok ? parsed.experiment : store.getState().experiment,
    pending: parsed?.ok === true,
  };
}

export function useEdit(): Edit {
  const { store, client } = useLabContext();
  return useCallback<Edit>(
    async (change, options) => {
      const { current } = editing(store, client);
      if (!current) return 'no experiment loaded yet';
      const error = await client.load(change(structuredClone(current)));
      if (error && !options?.quiet) store.getState().notify('error', `Not applied: ${error}`);
      return error;
    },
    [store, client],
  );
}

export function useViewEdit(): ViewEdit {
  const { store, client } = useLabContext();
  return useCallback<ViewEdit>(
    async (change) => {
      const { current, pending } = editing(store, client);
      if (!current) return 'no experiment loaded yet';
      const next = change(structuredClone(current.view));
      // A load still in flight (a scene): the view goes with its experiment; a view change
      // alone would be undone when it lands. (The worker takes a load of the same runs as a
      // view change, so this is right after a view change in flight too.)
      const error = pending ? await client.load({ ...current, view: next }) : await client.setView(next);
      if (error) store.getState().notify('error', `Not applied: ${error}`);
      return error;
    },
    [store, client],
  );
}

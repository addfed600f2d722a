/**
 * Change the current experiment: build the next one from the loaded one and ask the
 * worker to load it. A rejected change leaves the previous experiment running and
 * shows the reason.
 */
import { useCallback } from 'react';
import type { Experiment } from '../../engine/schema';
import { useLabContext } from '../lab-context';

export function useEdit(): (change: (current: Experiment) => unknown) => Promise<void> {
  const { store, client } = useLabContext();
  return useCallback(
    async (change) => {
      const current = store.getState().experiment;
      if (!current) return;
      const error = await client.load(change(structuredClone(current)));
      if (error) store.getState().notify('error', `Not applied: ${error}`);
    },
    [store, client],
  );
}

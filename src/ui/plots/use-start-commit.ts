/**
 * Restart the runs from a new start point given on a plot (dragged, moved with the
 * keys, or typed). θ plot: the point is θ₀. φ plot: the worker pushes it through the
 * map, θ₀ = f(φ₀); a φ₀ outside the map's domain is refused with its reason and the
 * previous start stays. Either way the change goes through the normal edit path.
 */
import { useCallback } from 'react';
import type { Space } from '../../engine/page';
import { useLabContext } from '../lab-context';
import { useEdit } from '../panels/use-edit';

/** Returns the commit function; it resolves to the reason of a refusal (already shown), or null. */
export function useStartCommit(space: Space): (point: readonly number[]) => Promise<string | null> {
  const { client, store } = useLabContext();
  const edit = useEdit();
  return useCallback(
    async (point) => {
      if (space === 'theta') return edit((x) => ({ ...x, init: [...point] }));
      const reply = await client.pushForward([...point]);
      if (reply.ok) return edit((x) => ({ ...x, init: reply.theta }));
      store.getState().notify('error', `That start point cannot be used: ${reply.error}`);
      return reply.error;
    },
    [space, client, store, edit],
  );
}

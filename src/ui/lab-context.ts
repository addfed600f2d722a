/** React access to the one store and the one worker client. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { LabStore, LabState, LabActions } from '../state/store';
import type { LabClient } from '../client/lab-client';
import type { Offline } from '../client/offline';
import type { ControlName } from '../link/url';

export interface Lab {
  store: LabStore;
  client: LabClient;
  /** Controls hidden by `?embed=1` / `?hide=` (classroom and slide links). */
  hidden: ReadonlySet<ControlName>;
  embed: boolean;
  /** Offline use and the new-version notice (absent: no notice). */
  offline?: Offline;
}

export const LabContext = createContext<Lab | null>(null);

export function useLabContext(): Lab {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('LabContext is missing');
  return lab;
}

/** Read the store through a selector (re-renders when the selected value changes). */
export function useLab<T>(selector: (s: LabState & LabActions) => T): T {
  return useStore(useLabContext().store, selector);
}

/** Whether a control is hidden by the link. */
export function useHidden(name: ControlName): boolean {
  return useLabContext().hidden.has(name);
}

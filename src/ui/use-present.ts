/**
 * Presentation-mode state, apart from the lab's store (a view of it, nothing the runs
 * depend on): whether presentation mode is on, which secondary plot was chosen (by the cycle
 * key or a caption action; back to the scene's own plot when the scene changes) and the
 * high-contrast palette (on <html data-contrast="high">, remembered where storage allows).
 */
import { create } from 'zustand';
import type { Secondary } from './present-scenes';

const CONTRAST_KEY = 'reparam-lab:contrast';

function savedContrast(): boolean {
  try {
    return window.localStorage.getItem(CONTRAST_KEY) === 'high';
  } catch {
    return false;
  }
}

function applyContrast(high: boolean): void {
  if (high) document.documentElement.dataset.contrast = 'high';
  else delete document.documentElement.dataset.contrast;
}

export interface PresentState {
  present: boolean;
  /** The secondary plot chosen (present-scenes.ts); null: the scene's own. */
  chosen: Secondary | null;
  /** The scene it was chosen in. */
  chosenScene: string | null;
  contrast: boolean;
  togglePresent(): void;
  /** Show `kind` beside the landscapes while `scene` is on screen. */
  choose(scene: string | null, kind: Secondary): void;
  toggleContrast(): void;
}

export const usePresent = create<PresentState>((set, get) => {
  const contrast = savedContrast();
  applyContrast(contrast);
  return {
    present: new URLSearchParams(window.location.search).get('present') === '1',
    chosen: null,
    chosenScene: null,
    contrast,
    togglePresent: () => set({ present: !get().present }),
    choose: (scene, kind) => set({ chosen: kind, chosenScene: scene }),
    toggleContrast: () => {
      const next = !get().contrast;
      applyContrast(next);
      try {
        window.localStorage.setItem(CONTRAST_KEY, next ? 'high' : 'normal');
      } catch {
        // Not remembered; the page works the same.
      }
      set({ contrast: next });
    },
  };
});

/** The secondary plot shown for `scene` out of its `cycle` (present-scenes.ts). */
export function shownSecondary(
  s: PresentState,
  scene: string | null,
  cycle: readonly Secondary[],
): Secondary {
  const chosen = s.chosenScene === scene ? s.chosen : null;
  return chosen && cycle.includes(chosen) ? chosen : (cycle[0] ?? 'loss');
}

/** Show the plot after the one shown in `scene`'s cycle. */
export function cycleSecondary(scene: string | null, cycle: readonly Secondary[]): void {
  const state = usePresent.getState();
  const at = cycle.indexOf(shownSecondary(state, scene, cycle));
  const next = cycle[(at + 1) % cycle.length];
  if (next) state.choose(scene, next);
}

/**
 * Presentation-mode state, apart from the lab's store (a view of it, nothing the runs
 * depend on): whether presentation mode is on, which secondary plot is shown (an offset
 * into the scene's cycle, back to the scene's own plot when the scene changes) and the
 * high-contrast palette (on <html data-contrast="high">, remembered where storage allows).
 */
import { create } from 'zustand';

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
  /** Which plot of the scene's cycle (present-scenes.ts) is shown; 0: the scene's own. */
  offset: number;
  /** The scene the offset was chosen in. */
  offsetScene: string | null;
  contrast: boolean;
  togglePresent(): void;
  /** Show the next secondary plot of `scene`'s cycle. */
  cycle(scene: string | null): void;
  toggleContrast(): void;
}

export const usePresent = create<PresentState>((set, get) => {
  const contrast = savedContrast();
  applyContrast(contrast);
  return {
    present: new URLSearchParams(window.location.search).get('present') === '1',
    offset: 0,
    offsetScene: null,
    contrast,
    togglePresent: () => set({ present: !get().present }),
    cycle: (scene) =>
      set({ offset: get().offsetScene === scene ? get().offset + 1 : 1, offsetScene: scene }),
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

/** The offset in effect for `scene` (0 when it was chosen in another scene). */
export const offsetFor = (s: PresentState, scene: string | null): number =>
  s.offsetScene === scene ? s.offset : 0;

/**
 * Lecture keyboard shortcuts, outside form fields: space play/pause, → or . step,
 * r reset, 1–9 scenes, + − 0 zoom the θ plot, f full screen, p presentation mode, ? help.
 * A key a focused control handles itself (the start marker's arrows) is left alone.
 */
import { useEffect } from 'react';
import type { Window } from '../engine/landscape/grid';
import { scenes } from '../state/scenes';
import { useLabContext } from './lab-context';
import { ZOOM_STEP, zoomWindow } from './plots/zoom-window';

export const shortcuts: readonly [string, string][] = [
  ['Space', 'play / pause'],
  ['→ or .', 'one step'],
  ['r', 'reset'],
  ['1–9', 'open scene 1–9'],
  ['+ / −', 'zoom the θ plot in / out (its buttons also pan)'],
  ['0', 'the θ plot’s default view'],
  ['Tab to ○, arrows', 'move the start point (Shift: larger steps, Enter: now, Esc: cancel)'],
  ['Tab to a field', 'type the start point θ₀ or φ₀ under a plot'],
  ['p', 'presentation mode on / off'],
  ['f', 'full screen'],
  ['?', 'this help'],
];

export function useShortcuts(actions: { togglePresent(): void; toggleHelp(): void }): void {
  const { client, store, hidden } = useLabContext();
  useEffect(() => {
    /** The same view change as the θ plot's wheel or buttons (view-only: the runs go on). */
    const view = (change: (w: Window) => Window | undefined): void => {
      const s = store.getState();
      const win = s.windows?.theta;
      if (!s.experiment || !win || hidden.has('view')) return;
      void client.load({ ...s.experiment, view: { ...s.experiment.view, window: change(win) } });
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) return;
      const playing = store.getState().playState === 'playing';
      switch (e.key) {
        case ' ':
          e.preventDefault();
          if (playing) client.pause();
          else client.play();
          return;
        case 'ArrowRight':
        case '.':
          void client.step();
          return;
        case 'r':
          void client.reset();
          return;
        case 'f':
          if (document.fullscreenElement) void document.exitFullscreen();
          else void document.documentElement.requestFullscreen?.().catch(() => undefined);
          return;
        case 'p':
          actions.togglePresent();
          return;
        case '?':
          actions.toggleHelp();
          return;
        case '+':
        case '=':
          view((w) => zoomWindow(w, ZOOM_STEP));
          return;
        case '-':
          view((w) => zoomWindow(w, 1 / ZOOM_STEP));
          return;
        case '0':
          view(() => undefined);
          return;
        default: {
          const n = Number(e.key);
          const scene = Number.isInteger(n) && n >= 1 ? scenes[n - 1] : undefined;
          if (scene) void client.load(scene.experiment);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, store, hidden, actions]);
}

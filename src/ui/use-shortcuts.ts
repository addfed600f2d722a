/**
 * Lecture keyboard shortcuts, outside form fields: space play/pause, → or . step,
 * r reset, 1–9 scenes, f full screen, p presentation mode, ? help.
 */
import { useEffect } from 'react';
import { scenes } from '../state/scenes';
import { useLabContext } from './lab-context';

export const shortcuts: readonly [string, string][] = [
  ['Space', 'play / pause'],
  ['→ or .', 'one step'],
  ['r', 'reset'],
  ['1–9', 'open scene 1–9'],
  ['p', 'presentation mode on / off'],
  ['f', 'full screen'],
  ['?', 'this help'],
];

export function useShortcuts(actions: { togglePresent(): void; toggleHelp(): void }): void {
  const { client, store } = useLabContext();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
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
        default: {
          const n = Number(e.key);
          const scene = Number.isInteger(n) && n >= 1 ? scenes[n - 1] : undefined;
          if (scene) void client.load(scene.experiment);
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, store, actions]);
}

/**
 * Lecture keyboard shortcuts: space play/pause (replay once done), → or . one step
 * forward, ← or , one step back on the timeline, r reset, 1–9 scenes (the one on screen
 * restarts), + − 0 zoom the θ plot, f full screen, p presentation mode (there: c the next
 * secondary plot), h high contrast, ? help.
 * Text fields, selects and checkboxes keep every key. On a focused button or slider Space
 * still means play/pause (the button is not pressed again); a button (or a details
 * toggle) keeps Enter and passes the other shortcuts on, other inputs keep their keys. A key a focused control handles itself (the start marker's
 * arrows) is left alone.
 */
import { useEffect } from 'react';
import type { Window } from '../engine/page';
import { scenes } from '../state/scenes';
import type { LabClient } from '../client/lab-client';
import type { LabStore } from '../state/store';
import { useLabContext } from './lab-context';
import { openScene } from './open-scene';
import { ZOOM_STEP, zoomWindow } from './plots/zoom-window';
import { cycleSecondary, usePresent } from './use-present';
import { availableSecondaries, secondaryCycle } from './present-scenes';

export const shortcuts: readonly [string, string][] = [
  ['Space', 'play / pause (when done: play again from the start)'],
  ['→ or .', 'one step forward (on the timeline, or a new step)'],
  ['← or ,', 'one step back on the timeline'],
  ['r', 'reset'],
  ['1–9', 'open scene 1–9 (the one on screen: from the start)'],
  ['+ / −', 'zoom the θ plot in / out (its buttons also pan)'],
  ['0', 'the θ plot’s default view'],
  ['Tab to ○, arrows', 'move the start point (Shift: larger steps, Enter: now, Esc: cancel)'],
  ['Tab to a field', 'type the start point θ₀ or φ₀ under a plot'],
  ['p', 'presentation mode on / off'],
  ['c', 'presentation mode: the next plot beside the landscapes'],
  ['h', 'high-contrast palette on / off (remembered)'],
  ['f', 'full screen on / off'],
  ['?', 'this help'],
];

/**
 * Text fields, selects, checkboxes and radio buttons: every key is theirs (Space is how a
 * keyboard user ticks a checkbox; it has no Enter to fall back on, unlike a button).
 */
function typesText(el: HTMLElement): boolean {
  if (el.isContentEditable || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'color', 'range', 'reset', 'submit', 'file', 'image'].includes(type);
}

/**
 * Full screen on / off with the browser's Fullscreen API; when the browser refuses (an
 * embedding frame without allowfullscreen, a policy, no API), `tell` gets what to do instead.
 */
export function toggleFullscreen(tell: (message: string) => void): void {
  const refused = 'The browser refused full screen here; use its own full-screen key (F11, or ⌃⌘F on a Mac).';
  if (document.fullscreenElement) {
    void document.exitFullscreen().catch(() => undefined);
    return;
  }
  const root = document.documentElement;
  if (typeof root.requestFullscreen !== 'function' || document.fullscreenEnabled === false) {
    tell(refused);
    return;
  }
  root.requestFullscreen().catch(() => tell(refused));
}

/** Play / pause; when the runs are done, play them again from step 0. */
export async function togglePlay(store: LabStore, client: LabClient): Promise<void> {
  const s = store.getState();
  s.setCursor(null);
  if (s.playState === 'playing') client.pause();
  else if (s.playState === 'done') {
    await client.reset();
    client.play();
  } else if (s.playState === 'paused') client.play();
}

/** Move the timeline cursor one step (`by` = ±1); forward from the latest step takes a new step. */
export function stepTimeline(store: LabStore, client: LabClient, by: 1 | -1): void {
  const s = store.getState();
  const at = s.cursor ?? s.step;
  if (by < 0) {
    if (s.playState === 'playing') client.pause();
    s.setCursor(Math.max(0, at - 1));
    return;
  }
  if (s.cursor !== null) s.setCursor(at + 1 >= s.step ? null : at + 1);
  else if (s.playState !== 'done' && s.playState !== 'idle') void client.step();
}

export function useShortcuts(actions: { toggleHelp(): void }): void {
  const { client, store, hidden } = useLabContext();
  useEffect(() => {
    /** The same view change as the θ plot's wheel or buttons (view-only: the runs go on). */
    const view = (change: (w: Window) => Window | undefined): void => {
      // A load in flight (a scene just opened): the window on screen is the old experiment's,
      // and a zoom built on it would replace the new experiment; the key waits for the new one.
      if (client.pending() !== null) {
        void client.settled().then(() => view(change));
        return;
      }
      const s = store.getState();
      const win = s.windows?.theta;
      if (!s.experiment || !win || hidden.has('view')) return;
      void client.setView({ ...s.experiment.view, window: change(win) });
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target && typesText(target)) return;
      // Focused controls: Space is play/pause (not a press); other keys are the control's own.
      const control = target !== null && /^(INPUT|BUTTON|SUMMARY)$/.test(target.tagName);
      const pressable = target !== null && (target.tagName === 'BUTTON' || target.tagName === 'SUMMARY');
      if (control && e.key !== ' ' && (!pressable || e.key === 'Enter')) return;
      switch (e.key) {
        case ' ':
          e.preventDefault();
          if (!e.repeat) void togglePlay(store, client);
          return;
        case 'ArrowRight':
        case '.':
          stepTimeline(store, client, 1);
          return;
        case 'ArrowLeft':
        case ',':
          stepTimeline(store, client, -1);
          return;
        case 'r':
          void client.reset();
          return;
        case 'f':
          toggleFullscreen((m) => store.getState().notify('info', m));
          return;
        case 'p':
          usePresent.getState().togglePresent();
          return;
        case 'c':
          if (usePresent.getState().present) {
            const s = store.getState();
            cycleSecondary(s.scene, secondaryCycle(s.scene, availableSecondaries(s)));
          }
          return;
        case 'h':
          usePresent.getState().toggleContrast();
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
          if (scene) void openScene({ store, client }, scene);
        }
      }
    };
    /** A focused button acts on Space's keyup: Space was play/pause already. */
    const onKeyUp = (e: KeyboardEvent): void => {
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (e.key === ' ' && target && !typesText(target)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp, true);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp, true);
    };
  }, [client, store, hidden, actions]);
}

/**
 * Keyboard equivalents of a landscape plot's mouse gestures, in a row under
 * the plot: the start point as numbers (θ₀ on the θ plot; φ₀ on the φ plot, pushed
 * through f like a drop there) and, where the plot zooms, zoom / pan / reset buttons
 * that set the same view window a wheel or drag does (view-only: the runs go on).
 */
import { useRef, useState } from 'react';
import { traj, type Space, type Window } from '../../engine/page';
import type { LabState } from '../../state/store';
import { useLab, useLabContext } from '../lab-context';
import { CommitInput } from '../panels/CommitInput';
import { useViewEdit } from '../panels/use-edit';
import { useStartCommit } from './use-start-commit';
import { PAN_STEP, panWindow, ZOOM_STEP, zoomWindow } from './zoom-window';
import { phiAxisNames } from './phi-names';

/** Six significant digits with an ASCII minus (d3's U+2212 would not parse back as a number). */
const fmt = (v: number): string => String(Number(v.toPrecision(6)));

/** The plot's start point as "a,b" (a string, so the selector compares by value), or ''. */
function startKey(s: LabState, space: Space): string {
  const run = s.runs.find((r) => space === 'theta' || r.space === 'phi');
  const t = space === 'theta' ? run?.theta : run?.phi;
  const p = t ? traj.row(t, 0) : undefined;
  return p && p.length === 2 ? p.join(',') : '';
}

export function StartFields({ space }: { space: Space }) {
  const latest = useLab((s) => startKey(s, space));
  // A restart empties the runs until the first point arrives: keep showing the last start
  // (unmounting the fields would drop the keyboard focus of the one just typed in).
  const last = useRef('');
  if (latest) last.current = latest;
  const key = latest || last.current;
  const names = useLab((s) => s.paramNames);
  const experiment = useLab((s) => s.experiment);
  const notify = useLab((s) => s.notify);
  const commitStart = useStartCommit(space);
  // Bumped to reset the fields after a refused entry (remounted with the start's value,
  // keeping focus in the field that was typed in).
  const [reset, setReset] = useState({ revision: 0, field: -1 });
  if (!key || names.length !== 2) return null;
  const start = key.split(',').map(Number);
  const symbol = space === 'theta' ? 'θ₀' : 'φ₀';
  const phiNames = phiAxisNames(experiment, names);
  const label = (i: number): string => (space === 'theta' ? names[i] : phiNames[i]) ?? `p${i + 1}`;
  const commit = (i: number, text: string): void => {
    const clean = text.trim().replace(/\u2212/g, '-');
    const v = clean === '' ? NaN : Number(clean);
    if (!Number.isFinite(v)) {
      notify('error', `Not applied: start point ${symbol}, ${label(i)}: '${text}' is not a number.`);
      setReset((r) => ({ revision: r.revision + 1, field: i }));
      return;
    }
    const next = [...start];
    next[i] = v;
    void commitStart(next).then((error) => {
      if (error) setReset((r) => ({ revision: r.revision + 1, field: i }));
    });
  };
  return (
    <div className="start-fields" role="group" aria-label={`Start point ${symbol}`}>
      <span className="tools-label">start {symbol}</span>
      {[0, 1].map((i) => (
        <label key={`${i}-${reset.revision}`} className="inline">
          {label(i)}
          <CommitInput
            // Only after a refusal, and only the field that was typed in (a remount loses focus).
            autoFocus={reset.field === i}
            aria-label={`${symbol} ${label(i)}`}
            inputMode="decimal"
            value={fmt(start[i] ?? NaN)}
            onCommit={(t) => commit(i, t)}
          />
        </label>
      ))}
    </div>
  );
}

export function ZoomButtons({ onWindow, space }: { onWindow: (w: Window) => void; space: Space }) {
  const { store } = useLabContext();
  const editView = useViewEdit();
  const change = (f: (w: Window) => Window) => (): void => {
    const win = store.getState().windows?.[space];
    if (win) onWindow(f(win));
  };
  const buttons: [string, string, () => void][] = [
    ['Zoom in', '+', change((w) => zoomWindow(w, ZOOM_STEP))],
    ['Zoom out', '−', change((w) => zoomWindow(w, 1 / ZOOM_STEP))],
    ['Pan left', '←', change((w) => panWindow(w, -PAN_STEP, 0))],
    ['Pan right', '→', change((w) => panWindow(w, PAN_STEP, 0))],
    ['Pan up', '↑', change((w) => panWindow(w, 0, PAN_STEP))],
    ['Pan down', '↓', change((w) => panWindow(w, 0, -PAN_STEP))],
  ];
  return (
    <div className="zoom-buttons" role="group" aria-label="Zoom and pan the view">
      <span className="tools-label">view</span>
      {buttons.map(([name, glyph, onClick]) => (
        <button key={name} type="button" className="small" aria-label={name} title={name} onClick={onClick}>
          {glyph}
        </button>
      ))}
      <button
        type="button"
        className="small"
        onClick={() => void editView((v) => ({ ...v, window: undefined }))}
      >
        Default view
      </button>
    </div>
  );
}

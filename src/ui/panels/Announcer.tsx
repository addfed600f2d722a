/**
 * Polite screen-reader announcements while runs train: the step and the best loss,
 * at most every few seconds (never every frame), and once when the runs finish.
 */
import { useEffect, useState } from 'react';
import { useLabContext } from '../lab-context';
import type { LabState } from '../../state/store';

const EVERY_MS = 4000;

function summary(s: LabState): string {
  const last = s.runs.map((r) => r.loss[r.loss.length - 1]).filter((v): v is number => Number.isFinite(v));
  const best = last.length ? Math.min(...last).toPrecision(3) : 'n/a';
  const diverged = s.runs.filter((r) => r.status === 'diverged').length;
  return `Step ${s.step} of ${s.experiment?.steps ?? '?'}, lowest loss ${best}${diverged ? `, ${diverged} runs diverged` : ''}.`;
}

export function Announcer() {
  const { store } = useLabContext();
  const [text, setText] = useState('');
  useEffect(() => {
    let last = 0;
    return store.subscribe((s, prev) => {
      const finished = s.playState === 'done' && prev.playState !== 'done';
      const now = Date.now();
      if (finished || (s.playState === 'playing' && s.step !== prev.step && now - last >= EVERY_MS)) {
        last = now;
        setText(finished ? `Finished. ${summary(s)}` : summary(s));
      }
    });
  }, [store]);
  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="announcer">
      {text}
    </div>
  );
}

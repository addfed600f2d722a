/** Play / pause, single step, reset, and the step counter. Keyboard: space toggles play. */
import { useEffect } from 'react';
import { useLab, useLabContext } from '../lab-context';

export function RunControls() {
  const { client } = useLabContext();
  const playState = useLab((s) => s.playState);
  const step = useLab((s) => s.step);
  const total = useLab((s) => s.experiment?.steps ?? 0);
  const playing = playState === 'playing';

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) return;
      if (e.key === ' ') {
        e.preventDefault();
        if (playing) client.pause();
        else client.play();
      } else if (e.key === '.') {
        void client.step();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, playing]);

  return (
    <section className="panel run-controls" aria-label="Run controls">
      <div className="buttons">
        <button
          type="button"
          className="primary"
          onClick={() => (playing ? client.pause() : client.play())}
          disabled={playState === 'idle' || playState === 'done'}
          aria-keyshortcuts="Space"
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <button
          type="button"
          onClick={() => void client.step()}
          disabled={playState === 'idle' || playState === 'done'}
          aria-keyshortcuts="."
        >
          Step
        </button>
        <button type="button" onClick={() => void client.reset()} disabled={playState === 'idle'}>
          Reset
        </button>
      </div>
      <output className="step-counter" aria-live="off" aria-label="Step">
        step {step} / {total}
        {playState === 'done' ? ' · done' : ''}
      </output>
    </section>
  );
}

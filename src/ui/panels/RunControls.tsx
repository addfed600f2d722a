/** Play / pause, single step, reset, timeline, speed and the step counter (shortcuts: use-shortcuts.ts). */
import { useLab, useLabContext } from '../lab-context';
import { useEdit } from './use-edit';

/** The timeline slider: its own component, so a new step re-renders only it (not the panel). */
function Timeline() {
  const step = useLab((s) => s.step);
  const cursor = useLab((s) => s.cursor);
  const setCursor = useLab((s) => s.setCursor);
  return (
    <label className="timeline">
      Timeline
      <input
        type="range"
        min={0}
        max={Math.max(step, 1)}
        value={cursor ?? step}
        aria-valuetext={`showing step ${cursor ?? step} of ${step}`}
        onChange={(e) => {
          const v = e.target.valueAsNumber;
          setCursor(v >= step ? null : v);
        }}
      />
    </label>
  );
}

/** "step k / total": its own component for the same reason. */
function StepCounter() {
  const step = useLab((s) => s.step);
  const cursor = useLab((s) => s.cursor);
  const total = useLab((s) => s.experiment?.steps ?? 0);
  const done = useLab((s) => s.playState === 'done');
  return (
    <output className="step-counter" aria-live="off" aria-label="Step">
      step {cursor ?? step} / {total}
      {cursor !== null ? ` (latest ${step})` : ''}
      {done ? ' · done' : ''}
    </output>
  );
}

export function RunControls() {
  const { client } = useLabContext();
  const playState = useLab((s) => s.playState);
  const playing = playState === 'playing';
  const setCursor = useLab((s) => s.setCursor);
  const speed = useLab((s) => s.experiment?.view.stepsPerFrame ?? 1);
  const edit = useEdit();

  return (
    <section className="panel run-controls" aria-label="Run controls">
      <div className="buttons">
        <button
          type="button"
          className="primary"
          onClick={() => {
            setCursor(null);
            if (playing) client.pause();
            else client.play();
          }}
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
      <Timeline />
      <label className="inline">
        Speed (steps per frame)
        <select
          value={speed}
          onChange={(e) =>
            void edit((x) => ({ ...x, view: { ...x.view, stepsPerFrame: Number(e.target.value) } }))
          }
        >
          {[1, 2, 5, 10, 25, 100].map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </label>
      <StepCounter />
    </section>
  );
}

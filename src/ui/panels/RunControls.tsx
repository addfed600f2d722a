/**
 * Play / pause (play again once done), single step, reset, the timeline with one-step
 * back / forward, the speed in steps per second and the step counter (shortcuts:
 * use-shortcuts.ts).
 */
import { GeometryToggles } from '../plots/GeometryToggles';
import { useLab, useLabContext } from '../lab-context';
import { stepTimeline, togglePlay } from '../use-shortcuts';
import { useViewEdit } from './use-edit';

/** The speeds offered, in steps per second: slow enough to talk over, fast enough to skip ahead. */
export const speedChoices = [2, 5, 10, 20, 30, 60, 120, 300, 600] as const;

/** Frames per second the page assumes for `stepsPerFrame` (the worker ticks every ~16 ms). */
const FRAMES_PER_SECOND = 60;

/** The timeline slider: its own component, so a new step re-renders only it (not the panel). */
function Timeline() {
  const { store, client } = useLabContext();
  const step = useLab((s) => s.step);
  const cursor = useLab((s) => s.cursor);
  const setCursor = useLab((s) => s.setCursor);
  const idle = useLab((s) => s.playState === 'idle');
  return (
    <div className="timeline-row">
      <button
        type="button"
        className="small"
        aria-label="Back"
        title="One step back on the timeline (← or ,)"
        aria-keyshortcuts="ArrowLeft"
        disabled={idle || (cursor ?? step) <= 0}
        onClick={() => stepTimeline(store, client, -1)}
      >
        ◀
      </button>
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
      <button
        type="button"
        className="small"
        aria-label="Forward"
        title="One step forward on the timeline, or a new step at the latest (→ or .)"
        aria-keyshortcuts="ArrowRight"
        disabled={idle}
        onClick={() => stepTimeline(store, client, 1)}
      >
        ▶
      </button>
    </div>
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
  const { client, store } = useLabContext();
  const playState = useLab((s) => s.playState);
  const playing = playState === 'playing';
  const done = playState === 'done';
  const speed = useLab((s) =>
    s.experiment
      ? (s.experiment.view.stepsPerSecond ?? s.experiment.view.stepsPerFrame * FRAMES_PER_SECOND)
      : 60,
  );
  const choices = [...new Set([...speedChoices, speed])].sort((a, b) => a - b);
  const editView = useViewEdit();

  return (
    <section className="panel run-controls" aria-label="Run controls">
      <div className="buttons">
        <button
          type="button"
          className="primary"
          onClick={() => void togglePlay(store, client)}
          disabled={playState === 'idle'}
          aria-keyshortcuts="Space"
          title={done ? 'Play again from step 0 (Space)' : 'Space'}
        >
          {playing ? 'Pause' : done ? 'Play again' : 'Play'}
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
        Speed
        <select
          value={speed}
          title="Steps per second while playing (view only: the runs go on)"
          onChange={(e) => void editView((v) => ({ ...v, stepsPerSecond: Number(e.target.value) }))}
        >
          {choices.map((v) => (
            <option key={v} value={v}>
              {Number(v.toPrecision(3))} steps/s
            </option>
          ))}
        </select>
      </label>
      <StepCounter />
      <GeometryToggles />
    </section>
  );
}

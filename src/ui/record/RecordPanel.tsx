/**
 * The "Record" panel: renders the current experiment's stored run (all of it, or a chosen
 * step range) as an animated GIF or a WebM video at a chosen size and 30 fps, with the
 * caption, the legend and a step counter drawn in (render.ts), a progress bar and Cancel.
 * It copies the stored steps when it starts (source.ts), so a run that keeps playing does
 * not change the recording; the page says when it records only the steps stored so far,
 * and when a long range is subsampled.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLab, useLabContext } from '../lab-context';
import { useActiveScene } from '../panels/ScenesMenu';
import { download } from '../plots/export-figure';
import { createFrameRenderer } from './render';
import { RecordCancelled, recordGif, recordWebm, webmUnsupported } from './recorder';
import {
  FPS,
  MAX_SECONDS,
  defaultFrames,
  describePlan,
  framesFor,
  planFrames,
  type FramePlan,
} from './schedule';
import { recordSource } from './source';
import type { Experiment } from '../../engine/page';
import './record.css';

/** Frame sizes offered (16:9). */
export const recordSizes = [
  [1280, 720],
  [1920, 1080],
  [854, 480],
  [640, 360],
  [320, 180],
] as const;

type Format = 'gif' | 'webm';

interface Running {
  format: Format;
  done: number;
  total: number;
  controller: AbortController;
}

/** The caption of an experiment that is no scene: problem, map and optimizers. */
function experimentCaption(e: Experiment | null): { title: string; caption: string } {
  if (!e) return { title: 'Reparam Lab', caption: '' };
  const opts = e.optimizers.map((o) => `${o.id} (η = ${'lr' in o ? String(o.lr) : '?'})`).join(', ');
  return {
    title: `${e.problem.id} under the map ${e.reparam.id}`,
    caption: `Optimizers: ${opts}; ${e.steps} steps. Each optimizer runs in θ (solid) and in φ (dashed, pushed into θ).`,
  };
}

const parseInt10 = (text: string, fallback: number): number => (text.trim() === '' ? fallback : Number(text));

export function RecordPanel() {
  const { store } = useLabContext();
  const { scene, modified } = useActiveScene();
  const experiment = useLab((s) => s.experiment);
  const stored = useLab((s) => Math.max(0, ...s.runs.map((r) => r.theta.length)) - 1);
  const playing = useLab((s) => s.playState === 'playing');
  const [fromText, setFrom] = useState('');
  const [toText, setTo] = useState('');
  const [secondsText, setSeconds] = useState('');
  const [size, setSize] = useState(0);
  const [running, setRunning] = useState<Running | null>(null);
  const [result, setResult] = useState<{ level: 'info' | 'warning' | 'error'; text: string } | null>(null);
  const webmWhy = useMemo(() => webmUnsupported(), []);
  const controller = useRef<AbortController | null>(null);
  // Leaving the page (or the panel) cancels a recording in progress.
  useEffect(() => () => controller.current?.abort(), []);

  const from = parseInt10(fromText, 0);
  const to = parseInt10(toText, stored);
  const seconds = secondsText.trim() === '' ? null : Number(secondsText);
  const frames =
    seconds === null
      ? defaultFrames(Math.max(0, to - from))
      : Number.isFinite(seconds)
        ? framesFor(seconds)
        : NaN;
  const plan: FramePlan | string =
    seconds !== null && (!Number.isFinite(seconds) || seconds <= 0)
      ? 'The length must be a positive number of seconds.'
      : planFrames(stored, from, to, frames);
  const total = experiment?.steps ?? 0;
  const partial =
    stored >= 1 && stored < total
      ? playing
        ? `The run is still playing: a recording uses the ${stored.toLocaleString('en')} steps stored so far (of ${total.toLocaleString('en')}).`
        : `The run has ${stored.toLocaleString('en')} of its ${total.toLocaleString('en')} steps: a recording uses those.`
      : null;

  const start = async (format: Format): Promise<void> => {
    if (typeof plan === 'string' || running) return;
    const [width, height] = recordSizes[size] ?? recordSizes[0];
    const caption = scene
      ? { title: `${scene.title}${modified ? ' (modified)' : ''}`, caption: scene.caption }
      : experimentCaption(store.getState().experiment);
    const source = recordSource(store.getState(), caption.title, caption.caption);
    if (!source) {
      setResult({ level: 'error', text: 'Nothing to record yet: load an experiment and run it.' });
      return;
    }
    const notes = [describePlan(plan)];
    if (partial) notes.push(partial.replace('a recording uses', 'this recording used'));
    if (source.missingLandscapes.length > 0)
      notes.push(
        `The ${source.missingLandscapes.map((s) => (s === 'theta' ? 'θ' : 'φ')).join(' and ')} landscape was still being computed: drawn blank.`,
      );
    const c = new AbortController();
    controller.current = c;
    setResult(null);
    setRunning({ format, done: 0, total: plan.steps.length, controller: c });
    try {
      const renderer = createFrameRenderer(source, width, height);
      const opts = {
        signal: c.signal,
        onProgress: (done: number, n: number) =>
          setRunning((r) => (r && r.controller === c ? { ...r, done, total: n } : r)),
      };
      const blob =
        format === 'gif' ? await recordGif(renderer, plan, opts) : await recordWebm(renderer, plan, opts);
      const name = `reparam-lab-${scene?.id ?? experiment?.problem.id ?? 'run'}-${plan.from}-${plan.to}-${width}x${height}.${format}`;
      download(name, blob);
      setResult({
        level: partial || plan.subsampled ? 'warning' : 'info',
        text: `Saved ${name} (${(blob.size / 1e6).toFixed(2)} MB, ${plan.steps.length} frames at ${width}×${height}). ${notes.join(' ')}`,
      });
    } catch (e) {
      if (e instanceof RecordCancelled || c.signal.aborted)
        setResult({ level: 'info', text: 'Recording cancelled; nothing was saved.' });
      else
        setResult({
          level: 'error',
          text: `The recording failed: ${e instanceof Error ? e.message : String(e)}`,
        });
    } finally {
      if (controller.current === c) controller.current = null;
      setRunning(null);
    }
  };

  if (!experiment) return null;
  const busy = running !== null;
  return (
    <section className="panel record" aria-label="Record">
      <h2 className="record-title">Record</h2>
      <div className="record-fields">
        <label>
          From step
          <input
            type="number"
            min={0}
            step={1}
            value={fromText}
            placeholder="0"
            disabled={busy}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label>
          To step
          <input
            type="number"
            min={0}
            step={1}
            value={toText}
            placeholder={String(Math.max(0, stored))}
            disabled={busy}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <label>
          Length (s)
          <input
            type="number"
            min={0.1}
            max={MAX_SECONDS}
            step={0.1}
            value={secondsText}
            placeholder={Number.isFinite(frames) ? (frames / FPS).toFixed(1) : ''}
            disabled={busy}
            onChange={(e) => setSeconds(e.target.value)}
          />
        </label>
        <label>
          Size
          <select value={size} disabled={busy} onChange={(e) => setSize(Number(e.target.value))}>
            {recordSizes.map(([w, h], i) => (
              <option key={`${w}x${h}`} value={i}>
                {w}×{h}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="record-plan hint" data-subsampled={typeof plan !== 'string' && plan.subsampled}>
        {typeof plan === 'string' ? plan : describePlan(plan)}
      </p>
      {partial ? <p className="record-partial hint">{partial}</p> : null}
      <div className="buttons">
        <button type="button" disabled={busy || typeof plan === 'string'} onClick={() => void start('gif')}>
          Record GIF
        </button>
        <button
          type="button"
          disabled={busy || typeof plan === 'string' || webmWhy !== null}
          title={webmWhy ?? 'Records in real time: as long as the video lasts'}
          onClick={() => void start('webm')}
        >
          Record WebM
        </button>
      </div>
      {webmWhy ? <p className="record-webm-why hint">{webmWhy}</p> : null}
      {running ? (
        <div className="record-progress">
          <progress
            value={running.done}
            max={running.total}
            aria-label={`Recording ${running.format === 'gif' ? 'GIF' : 'WebM'}`}
          />
          <span role="status">
            {running.format === 'gif' ? 'GIF' : 'WebM'}: frame {running.done} of {running.total}
          </span>
          <button type="button" className="small" onClick={() => running.controller.abort()}>
            Cancel
          </button>
        </div>
      ) : null}
      {result ? (
        <p className={`record-result ${result.level}`} role="status">
          {result.text}
        </p>
      ) : null}
    </section>
  );
}

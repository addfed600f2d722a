/**
 * The scene menu and the caption of the scene on screen. A scene's caption shows while
 * the loaded experiment is exactly that scene's (derived, so it can never go stale).
 */
import { useEffect, useMemo, useState } from 'react';
import { parseExperiment } from '../../engine/schema';
import { scenes, type Scene } from '../../state/scenes';
import { useLab, useLabContext } from '../lab-context';
import { measureScene, type CaptionPart } from '../../state/scene-measure';
import { sceneWhy } from '../../state/scene-why';
import { WhyPanel } from './WhyPanel';

/** Scenes with their validated experiments, in menu order (keys 1–9 pick them). */
export function useScenes() {
  return useMemo(
    () =>
      scenes.map((scene) => {
        const parsed = parseExperiment(scene.experiment);
        return { scene, key: parsed.ok ? JSON.stringify(parsed.experiment) : null };
      }),
    [],
  );
}

/** The loaded experiment as JSON: stringified when it changes, not on every store update (telemetry). */
function useExperimentKey(): string {
  const experiment = useLab((s) => s.experiment);
  return useMemo(() => (experiment ? JSON.stringify(experiment) : ''), [experiment]);
}

export function ScenesMenu() {
  const { client, store } = useLabContext();
  const list = useScenes();
  const current = useExperimentKey();
  const active = list.find((s) => s.key === current)?.scene ?? null;
  return (
    <label className="scene-select">
      Scene
      <select
        aria-label="Scene"
        value={active?.id ?? ''}
        onChange={(e) => {
          const scene = scenes.find((s) => s.id === e.target.value);
          if (!scene) return;
          void client.load(scene.experiment).then((err) => {
            if (err) store.getState().notify('error', `Scene "${scene.title}" could not be loaded: ${err}`);
          });
        }}
      >
        <option value="" disabled>
          {active ? '' : 'choose a scene…'}
        </option>
        {scenes.map((s, i) => (
          <option key={s.id} value={s.id}>
            {i + 1}. {s.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The scene's claim with this run's numbers, once it is done (each number a span with
 * data-measure naming it, e.g. "defect:1", so tests can check it against the panels).
 */
function SceneResult({ scene }: { scene: Scene }) {
  const done = useLab((s) => s.playState === 'done');
  useLab((s) => s.frame);
  const { store } = useLabContext();
  if (!done)
    return <p className="scene-result hint">The measured numbers appear here when the run is done.</p>;
  const m = measureScene(store.getState());
  if (!m) return null;
  const parts: CaptionPart[] = scene.result(m);
  return (
    <p className="scene-result" data-filled="true">
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <span key={i} className="measured" data-measure={p.key}>
            {p.text}
          </span>
        ),
      )}
    </p>
  );
}

export function SceneCaption() {
  const list = useScenes();
  const current = useExperimentKey();
  const active = list.find((s) => s.key === current)?.scene;
  const [whyOpen, setWhyOpen] = useState(false);
  // A new scene closes the panel of the old one.
  useEffect(() => setWhyOpen(false), [active?.id]);
  if (!active) return null;
  return (
    <section className="scene-caption" aria-label="Scene caption" data-scene={active.id}>
      <h2>{active.title}</h2>
      <p>
        {active.caption}{' '}
        {sceneWhy[active.id] ? (
          <button
            type="button"
            className="small why-button"
            aria-haspopup="dialog"
            aria-expanded={whyOpen}
            onClick={() => setWhyOpen(true)}
          >
            Why?
          </button>
        ) : null}
      </p>
      <SceneResult scene={active} />
      {whyOpen ? <WhyPanel scene={active} onClose={() => setWhyOpen(false)} /> : null}
    </section>
  );
}

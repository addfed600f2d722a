/**
 * The scene menu and the caption of the scene on screen. A scene's caption shows while
 * the loaded experiment is exactly that scene's (derived, so it can never go stale).
 */
import { useMemo } from 'react';
import { parseExperiment } from '../../engine/schema';
import { scenes } from '../../state/scenes';
import { useLab, useLabContext } from '../lab-context';

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

export function SceneCaption() {
  const list = useScenes();
  const current = useExperimentKey();
  const active = list.find((s) => s.key === current)?.scene;
  if (!active) return null;
  return (
    <section className="scene-caption" aria-label="Scene caption" data-scene={active.id}>
      <h2>{active.title}</h2>
      <p>
        {active.caption} <span className="theory">docs/theory.md {active.theory}</span>
      </p>
    </section>
  );
}

/**
 * The scene menu and the caption of the scene on screen. The scene stays through view-only
 * changes (zoom, pan, speed, theme, presentation); an edit of the experiment keeps the
 * caption and marks it "modified", with a button that restores the scene. A page opened
 * on a scene's experiment (a link) shows that scene.
 */
import { useEffect, useMemo, useState } from 'react';
import { parseExperiment } from '../../engine/page';
import { scenes, type Scene } from '../../state/scenes';
import { experimentCore, sceneActions, type SceneAction } from '../../state/scene-actions';
import { useLab, useLabContext } from '../lab-context';
import { openScene, sceneOf } from '../open-scene';
import { measureScene, type CaptionPart } from '../../state/scene-measure';
import { sceneWhy } from '../../state/scene-why';
import { WhyPanel } from './WhyPanel';

/** The experiment without its view (stringified when the experiment changes, not on every step). */
function useCore(): string | null {
  const experiment = useLab((s) => s.experiment);
  return useMemo(() => (experiment ? experimentCore(experiment) : null), [experiment]);
}

/** Each scene's core, by id. */
const sceneCores = new Map(
  scenes.map((s) => {
    const p = parseExperiment(s.experiment);
    return [s.id, p.ok ? experimentCore(p.experiment) : null] as const;
  }),
);

/** The scene on screen and whether the experiment differs from it beyond the view. */
export function useActiveScene(): { scene: Scene | null; modified: boolean } {
  const { store } = useLabContext();
  const id = useLab((s) => s.scene);
  const experiment = useLab((s) => s.experiment);
  const core = useCore();
  // Adopt a scene the page opened on (a link to it, the saved experiment).
  const derived = useMemo(() => (id === null ? sceneOf(experiment, scenes) : null), [id, experiment]);
  useEffect(() => {
    if (derived) store.getState().setScene(derived.id);
  }, [derived, store]);
  const scene = scenes.find((s) => s.id === id) ?? derived;
  return { scene, modified: scene !== null && core !== null && sceneCores.get(scene.id) !== core };
}

export function ScenesMenu() {
  const lab = useLabContext();
  const { scene } = useActiveScene();
  return (
    <label className="scene-select">
      Scene
      <select
        aria-label="Scene"
        value={scene?.id ?? ''}
        title={scene ? `id: ${scene.id}` : undefined}
        onChange={(e) => {
          const next = scenes.find((s) => s.id === e.target.value);
          if (next) void openScene(lab, next);
        }}
      >
        <option value="" disabled>
          choose a scene…
        </option>
        {scenes.map((s, i) => (
          <option key={s.id} value={s.id} title={s.id}>
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
  useLab((s) => s.runsVersion);
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

export function ActionButton({ action }: { action: SceneAction }) {
  const lab = useLabContext();
  const { store, client } = lab;
  const [busy, setBusy] = useState(false);
  const run = async (): Promise<void> => {
    const experiment = store.getState().experiment;
    if (!experiment) return;
    setBusy(true);
    try {
      const error = await action.run({
        experiment: structuredClone(experiment),
        load: (next) => client.load(next),
        setView: (view) => client.setView(view),
        play: () => client.play(),
        sweep: (horizon) => void client.sweep({ horizon }),
        table: (steps) => void client.naturalityTable({ steps }),
        reveal: (panel) => {
          store.getState().reveal(panel);
          // After React has shown it.
          requestAnimationFrame(() =>
            document.querySelector(`[data-panel="${panel}"]`)?.scrollIntoView({ block: 'nearest' }),
          );
        },
      });
      if (error) store.getState().notify('error', `“${action.label}” could not be applied: ${error}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="scene-action"
      title={action.title}
      disabled={busy}
      onClick={() => void run()}
    >
      {action.label}
    </button>
  );
}

export function SceneCaption() {
  const lab = useLabContext();
  const { scene, modified } = useActiveScene();
  const [whyOpen, setWhyOpen] = useState(false);
  // A new scene closes the panel of the old one.
  useEffect(() => setWhyOpen(false), [scene?.id]);
  if (!scene) return null;
  const actions = sceneActions[scene.id] ?? [];
  return (
    <section
      className={`scene-caption${modified ? ' modified' : ''}`}
      aria-label="Scene caption"
      data-scene={scene.id}
      data-modified={modified}
    >
      <h2>
        {scene.title}
        {modified ? <span className="scene-modified"> · modified — reset to restore</span> : null}
      </h2>
      <p>
        {scene.caption}{' '}
        {sceneWhy[scene.id] ? (
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
      <div className="scene-actions">
        {actions.map((a) => (
          <ActionButton key={a.label} action={a} />
        ))}
        {modified ? (
          <button type="button" className="scene-action" onClick={() => void openScene(lab, scene)}>
            Reset scene
          </button>
        ) : null}
      </div>
      <SceneResult scene={scene} />
      {whyOpen ? <WhyPanel scene={scene} onClose={() => setWhyOpen(false)} /> : null}
    </section>
  );
}

/**
 * Open a scene: its experiment from step 0, made the scene on screen. Opening the scene
 * already on screen restarts it (a load of the same runs alone would only change the view),
 * playing on if it was playing.
 */
import { parseExperiment, type Experiment } from '../engine/page';
import { experimentCore } from '../state/scene-actions';
import type { Scene } from '../state/scenes';
import type { Lab } from './lab-context';

export async function openScene(lab: Pick<Lab, 'store' | 'client'>, scene: Scene): Promise<void> {
  const { store, client } = lab;
  const before = store.getState();
  const parsed = parseExperiment(scene.experiment);
  const same =
    parsed.ok &&
    before.experiment !== null &&
    experimentCore(before.experiment) === experimentCore(parsed.experiment);
  const wasPlaying = before.playState === 'playing';
  store.getState().setScene(scene.id);
  store.getState().setCursor(null);
  // Load and restart are sent together, so a Play pressed meanwhile (Space right after the
  // scene's key) reaches the worker after them instead of being undone by the restart.
  const loading = client.load(scene.experiment);
  const restarting = same ? client.reset() : null;
  if (same && wasPlaying) client.play();
  const err = await loading;
  await restarting;
  if (err) store.getState().notify('error', `Scene "${scene.title}" could not be loaded: ${err}`);
}

/** The scene a loaded experiment is, ignoring view-only fields (links to a scene show its caption). */
export function sceneOf(experiment: Experiment | null, scenes: readonly Scene[]): Scene | null {
  if (!experiment) return null;
  const core = experimentCore(experiment);
  return (
    scenes.find((s) => {
      const p = parseExperiment(s.experiment);
      return p.ok && experimentCore(p.experiment) === core;
    }) ?? null
  );
}

/**
 * Scenes paced for talking over and each with a caption action: at its default speed a
 * scene's run takes 5–15 s, and every action names a scene that exists. (Each action's
 * effect in the page is checked in e2e/lecture.spec.ts.)
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../engine/schema';
import { scenes } from './scenes';
import { experimentCore, sceneActions } from './scene-actions';

describe('scene pacing and actions', () => {
  for (const scene of scenes) {
    it(`${scene.id}: 5–15 s at its speed, and at least one caption action`, () => {
      const parsed = parseExperiment(scene.experiment);
      if (!parsed.ok) throw new Error(parsed.error);
      const rate = parsed.experiment.view.stepsPerSecond;
      expect(rate).toBeDefined();
      const seconds = parsed.experiment.steps / (rate ?? 1);
      expect(seconds).toBeGreaterThanOrEqual(5);
      expect(seconds).toBeLessThanOrEqual(15);
      const labels = (sceneActions[scene.id] ?? []).map((a) => a.label);
      expect(labels.length).toBeGreaterThan(0);
      expect(new Set(labels).size).toBe(labels.length);
    });
  }
  it('every action belongs to a scene', () => {
    const ids = new Set(scenes.map((s) => s.id));
    for (const id of Object.keys(sceneActions)) expect(ids.has(id)).toBe(true);
  });
  it('the scene core ignores the view and colours only', () => {
    const parsed = parseExperiment(scenes[0]?.experiment);
    if (!parsed.ok) throw new Error(parsed.error);
    const e = parsed.experiment;
    const viewed = { ...e, view: { ...e.view, grid: 16, stepsPerSecond: 600 } };
    const coloured = { ...e, optimizers: e.optimizers.map((o) => ({ ...o, color: '#123456' })) };
    expect(experimentCore(viewed)).toBe(experimentCore(e));
    expect(experimentCore(coloured)).toBe(experimentCore(e));
    expect(experimentCore({ ...e, steps: e.steps + 1 })).not.toBe(experimentCore(e));
  });
});

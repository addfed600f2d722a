import { describe, expect, it } from 'vitest';
import { scenes } from '../state/scenes';
import { presentScenes, secondaries, secondaryCycle } from './present-scenes';

describe('presentation choices per scene', () => {
  it('every scene has a secondary plot and a one-sentence line short enough for two projector lines', () => {
    for (const scene of scenes) {
      const p = presentScenes[scene.id];
      expect(p, scene.id).toBeDefined();
      expect(secondaries).toContain(p?.plot);
      // Title + line within ~2 lines of ~95 characters at 1280 px.
      expect(`${scene.title}. ${p?.line ?? ''}`.length, scene.id).toBeLessThanOrEqual(180);
    }
    expect(Object.keys(presentScenes).sort()).toEqual(scenes.map((s) => s.id).sort());
  });

  it('the scenes the issue names show κ*, the sweep and the table', () => {
    expect(presentScenes['every-rule-is-ngd']?.plot).toBe('metrics');
    expect(presentScenes['order-of-naturality']?.plot).toBe('sweep');
    expect(presentScenes['what-each-optimizer-forgives']?.plot).toBe('table');
  });

  it('the cycle starts with the scene’s own plot, then the others available, each once', () => {
    const all = [...secondaries];
    expect(secondaryCycle('order-of-naturality', all)).toEqual([
      'sweep',
      'loss',
      'defect',
      'metrics',
      'report',
      'table',
    ]);
    // Not available here (no map, so no sweep): the loss first.
    expect(secondaryCycle('order-of-naturality', ['loss', 'table'])).toEqual(['loss', 'table']);
    expect(secondaryCycle(null, ['loss', 'defect'])).toEqual(['loss', 'defect']);
  });
});

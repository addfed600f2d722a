import { describe, expect, it } from 'vitest';
import { scenes } from './scenes';
import { parseExperiment } from '../engine/schema';
import { decodeExperiment, experimentHash } from './url';
import { createSession } from '../engine/experiment';

describe('scenes', () => {
  it('have unique ids and two-sentence captions', () => {
    expect(new Set(scenes.map((s) => s.id)).size).toBe(scenes.length);
    for (const s of scenes)
      expect(s.caption.split(/[.!?](\s|$)/).filter((p) => p.trim().length > 3).length).toBeGreaterThanOrEqual(
        2,
      );
  });

  for (const scene of scenes) {
    it(`${scene.id}: validates, round-trips through a link and builds its runs`, () => {
      const parsed = parseExperiment(scene.experiment);
      if (!parsed.ok) throw new Error(parsed.error);
      const back = decodeExperiment(experimentHash(parsed.experiment));
      expect(back.ok && back.experiment).toEqual(parsed.experiment);
      const session = createSession(parsed.experiment);
      expect(session.runs.length).toBeGreaterThan(0);
      session.dispose();
    });
  }
});

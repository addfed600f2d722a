import { describe, expect, it } from 'vitest';
import { scenes } from './scenes';
import { parseExperiment } from '../engine/schema';
import { decodeExperiment, experimentHash } from '../link/url';
import { createSession } from '../engine/experiment';
import katex from 'katex';
import { sceneWhy } from './scene-why';
import { captionText, kappaSummary, measureScene } from './scene-measure';
import { formatDefect, naturalityVerdict } from './verdict';

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

describe('scene Why panels', () => {
  for (const scene of scenes) {
    it(`${scene.id}: has 5–15 lines, equations KaTeX can parse, and a paper with an arXiv id`, () => {
      const why = sceneWhy[scene.id];
      if (!why) throw new Error(`no Why entry for ${scene.id}`);
      expect(why.lines.length).toBeGreaterThanOrEqual(5);
      expect(why.lines.length).toBeLessThanOrEqual(15);
      expect(why.equations.length).toBeGreaterThan(0);
      for (const tex of why.equations)
        expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow();
      for (const line of why.lines) {
        const pieces = line.split('$');
        expect(pieces.length % 2, `unbalanced $ in: ${line}`).toBe(1);
        pieces
          .filter((_, i) => i % 2 === 1)
          .forEach((tex) => expect(() => katex.renderToString(tex, { throwOnError: true })).not.toThrow());
      }
      expect(why.papers.length).toBeGreaterThan(0);
      for (const p of why.papers) expect(p.arxiv).toMatch(/^\d{4}\.\d{4,5}$/);
      expect(why.theory).toBe(scene.theory);
    });
  }
});

describe('scene captions filled from a run', () => {
  it('use the defect table’s verdict words and numbers for the same D_K', () => {
    const scene = scenes.find((s) => s.id === 'newton-affine-only')!;
    const parsed = parseExperiment(scene.experiment);
    if (!parsed.ok) throw new Error(parsed.error);
    const m = measureScene({
      experiment: parsed.experiment,
      runs: [],
      defects: { 0: { parameter: [0, 0.5, 1.655] }, 1: { parameter: [0, 0.0164] } },
      metrics: {},
      reports: {},
    })!;
    const parts = scene.result(m);
    const text = captionText(parts);
    expect(text).toContain(`newton #0’s runs ${naturalityVerdict(1.655)} (D_K = ${formatDefect(1.655)})`);
    expect(text).toContain(`ngd #1’s ${naturalityVerdict(0.0164)} (D_K = 1.64e-2)`);
    expect(text).toContain('η = 0.05 over 40 steps');
    expect(parts.filter((p) => typeof p !== 'string').every((p) => p.text !== '?')).toBe(true);
  });

  it('κ* summaries: median over descent steps, max, and uphill steps counted apart', () => {
    expect(kappaSummary([1, 3, null, 2, null])).toEqual({ median: 2, max: 3, uphill: 2, steps: 5 });
    expect(kappaSummary([1, 4])?.median).toBe(2.5);
    expect(kappaSummary([null])).toBeNull();
  });
});

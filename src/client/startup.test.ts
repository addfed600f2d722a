/** The page's first experiment: link, else the saved one, else the first view — played only on a first visit. */
import { describe, expect, it } from 'vitest';
import { startupCandidates } from './startup';
import { firstView } from '../state/scenes';
import { experimentHash } from '../link/url';
import { defaultExperiment } from '../engine/schema';

function memoryStorage(items: Record<string, string> = {}): Storage {
  const map = new Map(Object.entries(items));
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

describe('startup candidates', () => {
  it('a first visit (no link, nothing saved) opens the first view, playing', () => {
    const { candidates, warnings } = startupCandidates('', memoryStorage());
    expect(warnings).toEqual([]);
    expect(candidates).toEqual([{ experiment: firstView.experiment, source: 'default', play: true }]);
    expect(firstView.id).toBe('naturality-square');
  });

  it('a returning visitor gets the saved experiment first, not played', () => {
    const saved = memoryStorage({ 'reparam-lab:experiment:v1': JSON.stringify(defaultExperiment) });
    const { candidates } = startupCandidates('', saved);
    expect(candidates.map((c) => [c.source, c.play ?? false])).toEqual([
      ['saved', false],
      ['default', false],
    ]);
    expect(candidates[0]?.experiment).toMatchObject({
      problem: { id: 'gaussian-fit' },
      optimizers: [{ id: 'gd' }],
    });
  });

  it('a link comes first and plays unless ?paused=1; a corrupt save is not a first visit', () => {
    const { candidates } = startupCandidates(experimentHash(defaultExperiment), memoryStorage());
    expect(candidates.map((c) => [c.source, c.play ?? false])).toEqual([
      ['link', true],
      ['default', false],
    ]);
    const paused = startupCandidates(experimentHash(defaultExperiment), memoryStorage(), { paused: true });
    expect(paused.candidates.map((c) => [c.source, c.play ?? false])).toEqual([
      ['link', false],
      ['default', false],
    ]);
    const pausedFirst = startupCandidates('', memoryStorage(), { paused: true });
    expect(pausedFirst.candidates.map((c) => [c.source, c.play ?? false])).toEqual([['default', false]]);
    const corrupt = startupCandidates('', memoryStorage({ 'reparam-lab:experiment:v1': '{bad' }));
    expect(corrupt.candidates.map((c) => [c.source, c.play ?? false])).toEqual([['default', false]]);
  });
});

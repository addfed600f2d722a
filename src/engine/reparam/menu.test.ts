/**
 * Every map the menu offers for a problem runs there: chosen with its starter parameters
 * (and otherwise its schema defaults), the session builds, both runs take steps and stay
 * finite. Every map the menu disables for a problem is refused by the engine too, so the
 * reason shown is the real one.
 */
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { createSession } from '../experiment';
import { problemIds, type ProblemId } from '../problems/catalog';
import { parseExperiment } from '../schema';
import { reparamIds, type ReparamId } from './ids';
import { mapStarter, mapUnavailable, reparamLabels } from './menu';

const STEPS = 3;

/** A step size the problem's own gradient descent takes without blowing up (Rosenbrock is steep). */
const lr = (problem: ProblemId): number => (problem === 'rosenbrock' ? 1e-4 : 0.01);

function experiment(problem: ProblemId, reparam: Record<string, unknown> & { id: ReparamId }) {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: problem },
    reparam,
    optimizers: [{ id: 'gd', lr: lr(problem) }],
    steps: STEPS,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.experiment;
}

/** The problem's default start θ₀ (what the page shows before a map is chosen). */
function start(problem: ProblemId): number[] {
  const s = createSession(experiment(problem, { id: 'identity' }));
  try {
    return (s.runs[0] && toRows(s.runs[0].theta)[0]) ?? [];
  } finally {
    s.dispose();
  }
}

function build(problem: ProblemId, map: ReparamId, theta0: readonly number[]) {
  return createSession(experiment(problem, { id: map, ...mapStarter(map, problem, theta0) }));
}

describe('the map menu', () => {
  it('labels every map', () => {
    for (const id of reparamIds) expect(reparamLabels[id].length).toBeGreaterThan(2);
  });

  for (const problem of problemIds) {
    const theta0 = start(problem);
    it(`${problem} has a start point`, () => expect(theta0.length).toBeGreaterThan(1));
    for (const map of reparamIds) {
      const reason = mapUnavailable(map, problem, theta0);
      if (reason) {
        it(`${map} on ${problem}: disabled, and the engine refuses it`, async () => {
          expect(() => {
            const s = build(problem, map, theta0);
            s.dispose();
          }).toThrow();
        });
      } else {
        it(`${map} on ${problem}: runs with its starter parameters`, async () => {
          const s = build(problem, map, theta0);
          try {
            await s.ready;
            while (!s.done) await s.advance(STEPS);
            expect(s.step).toBe(STEPS);
            expect(s.runs.length).toBe(map === 'identity' ? 1 : 2);
            for (const r of s.runs) {
              expect(r.status).toBe('ok');
              expect(r.loss.every(Number.isFinite)).toBe(true);
            }
          } finally {
            s.dispose();
          }
        }, 60_000);
      }
    }
  }
});

/**
 * Restore (docs/reliability.md) from a checkpoint through the run loop: the loop sends checkpoints while
 * playing (each after the telemetry of its step) and when paused; a second loop loaded with
 * one of them plus the page's trajectories continues from its step, replays only the steps
 * since, and its telemetry — and everything after — equals the uninterrupted loop's. A
 * checkpoint that does not fit the trajectories is refused and the runs replayed from 0.
 */
import { describe, expect, it } from 'vitest';
import type { LoadReply, PackedCheckpoint, ResumeData, WorkerEvent } from '../protocol/messages';
import { createRunLoop, type RunLoop } from './run-loop';

const experiment = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'exp', coords: [1] },
  optimizers: [
    { id: 'gd', lr: 0.02 },
    { id: 'adam', lr: 0.02 },
  ],
  steps: 200,
  seed: 5,
  init: [-1, 2],
  view: { grid: 8, stepsPerFrame: 20 },
};

interface Model {
  step: number;
  runs: Map<string, { theta: number[]; phi: number[] | null; loss: number[] }>;
}

/** The page's model of the runs, built from telemetry as the store builds it (flat arrays). */
function model(events: readonly WorkerEvent[]): Model {
  const m: Model = { step: 0, runs: new Map() };
  for (const e of events) {
    if (e.type === 'loaded') m.runs = new Map();
    if (e.type !== 'telemetry') continue;
    const { P, Q } = e;
    for (const d of e.runs) {
      const r = m.runs.get(d.id) ?? { theta: [], phi: d.phi ? [] : null, loss: [] };
      r.theta = [...r.theta.slice(0, d.from * P), ...d.theta];
      if (r.phi && d.phi) r.phi = [...r.phi.slice(0, d.from * Q), ...d.phi];
      r.loss = [...r.loss.slice(0, d.lossFrom), ...d.loss];
      m.runs.set(d.id, r);
    }
    m.step = e.step;
  }
  return m;
}

/** κ(F) per point by run, from the telemetry's metric deltas (NaN: not sampled). */
function conds(events: readonly WorkerEvent[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of events) {
    if (e.type === 'loaded') out.clear();
    if (e.type !== 'telemetry') continue;
    for (const d of e.metrics ?? [])
      out.set(d.id, [...(out.get(d.id) ?? []).slice(0, d.condFrom), ...d.cond]);
  }
  return out;
}

function resumeData(m: Model, checkpoint: PackedCheckpoint, metrics?: Map<string, number[]>): ResumeData {
  return {
    ...(metrics
      ? {
          metrics: [...metrics].map(([id, cond]) => ({
            id,
            kappaFrom: 0,
            kappa: new Float64Array(Math.max(0, cond.length - 1)).fill(-1),
            condFrom: 0,
            cond: Float64Array.from(cond),
          })),
        }
      : {}),
    checkpoint,
    P: 2,
    Q: 2,
    runs: [...m.runs].map(([id, r]) => ({
      id,
      theta: Float64Array.from(r.theta),
      phi: r.phi ? Float64Array.from(r.phi) : null,
      loss: Float64Array.from(r.loss),
    })),
  };
}

const until = async (events: WorkerEvent[], pred: (e: WorkerEvent) => boolean): Promise<void> => {
  while (!events.some(pred)) await new Promise((r) => setTimeout(r, 5));
};

async function playToEnd(loop: RunLoop, events: WorkerEvent[]): Promise<void> {
  loop.play();
  await until(events, (e) => e.type === 'play-state' && e.state === 'done');
  await loop.settled();
}

describe('restoring the run loop from a checkpoint', () => {
  it('continues exactly where the uninterrupted loop was, replaying only the steps since', async () => {
    const a: WorkerEvent[] = [];
    const loopA = createRunLoop((e) => a.push(e));
    await loopA.load(experiment);
    for (let i = 0; i < 30; i++) await loopA.step();
    loopA.play();
    await until(a, (e) => e.type === 'telemetry' && e.step >= 100);
    loopA.pause();
    await loopA.settled();
    await new Promise((r) => setTimeout(r, 20));
    const cps = a.flatMap((e) =>
      e.type === 'checkpoint' || e.type === 'telemetry' ? [e.checkpoint ?? []].flat() : [],
    );
    // Every single step while paused got one; playing, at most one per 0.2 s; one after the pause.
    expect(cps.slice(0, 30).map((c) => c.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const page = model(a);
    expect(cps.at(-1)?.step).toBe(page.step);
    // Each checkpoint comes with the telemetry of its step, or after it.
    let sent = 0;
    for (const e of a) {
      if (e.type === 'telemetry') sent = e.step;
      const cp = e.type === 'checkpoint' || e.type === 'telemetry' ? e.checkpoint : undefined;
      if (cp) expect(cp.step).toBe(sent);
    }

    // An older checkpoint: the restored loop replays the steps since it.
    const older = cps[19] as PackedCheckpoint;
    const b: WorkerEvent[] = [];
    const loopB = createRunLoop((e) => b.push(e));
    const seen = conds(a);
    const resume = resumeData(page, older, seen);
    const reply = await loopB.load(experiment, { advanceTo: page.step, resume });
    expect((reply as Extract<LoadReply, { ok: true }>).resumed).toEqual({ at: 20 });
    expect(model(b)).toEqual(page);
    // κ* / κ(F) up to the checkpoint are the page's (carried, κ* marked −1), the rest computed.
    const carried = b.find((e) => e.type === 'telemetry')?.metrics?.find((d) => d.id === 'adam-1-phi');
    expect(carried?.cond.slice(0, 21)).toEqual(Float64Array.from(seen.get('adam-1-phi')?.slice(0, 21) ?? []));
    expect(carried?.kappa.slice(0, 20)).toEqual(new Float64Array(20).fill(-1));
    expect(carried?.kappa[20]).not.toBe(-1);
    await playToEnd(loopA, a);
    await playToEnd(loopB, b);
    expect(model(b)).toEqual(model(a));
    expect(model(a).step).toBe(200);
    loopA.dispose();
    loopB.dispose();
  }, 60_000);

  it('refuses a checkpoint that does not fit the trajectories, and replays from step 0 instead', async () => {
    const a: WorkerEvent[] = [];
    const loopA = createRunLoop((e) => a.push(e));
    await loopA.load(experiment);
    for (let i = 0; i < 12; i++) await loopA.step();
    const cp = a.findLast((e) => e.type === 'telemetry' && e.checkpoint);
    if (cp?.type !== 'telemetry' || !cp.checkpoint) throw new Error('no checkpoint');
    const page = model(a);
    const shifted: Model = {
      ...page,
      runs: new Map([...page.runs].map(([id, r]) => [id, { ...r, theta: r.theta.map((v) => v + 1) }])),
    };
    const b: WorkerEvent[] = [];
    const loopB = createRunLoop((e) => b.push(e));
    const reply = await loopB.load(experiment, { advanceTo: 12, resume: resumeData(shifted, cp.checkpoint) });
    expect((reply as Extract<LoadReply, { ok: true }>).resumed).toEqual({
      refused: expect.stringMatching(/does not pass through/),
    });
    expect(model(b)).toEqual(page);
    loopA.dispose();
    loopB.dispose();
  });
});

/**
 * The worker's run loop, free of messaging so it runs in Node tests too: it owns one
 * session, advances it while playing (a fixed number of steps per ~16 ms tick), and
 * emits telemetry deltas (only the points each run gained since the last event).
 */
import { createSession, type Session } from '../engine/experiment';
import { lossGrid } from '../engine/landscape/grid';
import { parseExperiment } from '../engine/schema';
import { createDefectTracker, type DefectTracker } from '../engine/measure/pair-tracker';
import type {
  DefectDelta,
  LoadedInfo,
  LoadReply,
  PlayState,
  RunDelta,
  WorkerEvent,
} from '../protocol/messages';
import { phiWindow, thetaWindow } from './windows';

export type Emit = (event: WorkerEvent, transfer: Transferable[]) => void;

export interface RunLoop {
  load(input: unknown): Promise<LoadReply>;
  play(): void;
  pause(): void;
  step(): Promise<void>;
  reset(): Promise<void>;
  /** Resolves when the loop is idle (no tick in flight); for tests. */
  settled(): Promise<void>;
  dispose(): void;
}

const FRAME_MS = 16;

export function createRunLoop(emit: Emit): RunLoop {
  let session: Session | null = null;
  let tracker: DefectTracker | null = null;
  let input: unknown = null;
  let state: PlayState = 'idle';
  let sentPoints = new Map<string, number>();
  let sentLoss = new Map<string, number>();
  let inFlight: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const setState = (next: PlayState): void => {
    state = next;
    emit({ type: 'play-state', state, step: session?.step ?? 0 }, []);
  };

  /** Send every point not yet sent. */
  function flush(): void {
    if (!session) return;
    const P = session.problem.P;
    const runs: RunDelta[] = [];
    const transfer: Transferable[] = [];
    for (const r of session.runs) {
      const from = sentPoints.get(r.id) ?? 0;
      const lossFrom = sentLoss.get(r.id) ?? 0;
      if (from === r.theta.length && lossFrom === r.loss.length && r.status === 'ok') continue;
      const theta = Float64Array.from(r.theta.slice(from).flat());
      const phi = r.phi ? Float64Array.from(r.phi.slice(from).flat()) : null;
      const loss = Float64Array.from(r.loss.slice(lossFrom));
      sentPoints.set(r.id, r.theta.length);
      sentLoss.set(r.id, r.loss.length);
      runs.push({ id: r.id, from, theta, phi, loss, lossFrom, status: r.status, divergedAt: r.divergedAt });
      transfer.push(theta.buffer, loss.buffer);
      if (phi) transfer.push(phi.buffer);
    }
    const defects: DefectDelta[] = (tracker?.update() ?? []).map((d) => {
      const parameter = Float64Array.from(d.parameter);
      const fn = Float64Array.from(d.function);
      transfer.push(parameter.buffer, fn.buffer);
      return { optimizer: d.optimizer, from: d.from, parameter, function: fn };
    });
    if (runs.length || defects.length)
      emit({ type: 'telemetry', step: session.step, P, runs, defects }, transfer);
  }

  async function advance(n: number): Promise<void> {
    if (!session) return;
    await session.advance(n);
    flush();
    if (session.done) setState('done');
  }

  function schedule(): void {
    if (state !== 'playing' || timer) return;
    const started = Date.now();
    inFlight = advance(session?.experiment.view.stepsPerFrame ?? 1)
      .catch((err: unknown) => {
        emit({ type: 'error', message: `run stopped: ${String(err)}` }, []);
        setState('paused');
      })
      .then(() => {
        if (state !== 'playing') return;
        timer = setTimeout(
          () => {
            timer = null;
            schedule();
          },
          Math.max(0, FRAME_MS - (Date.now() - started)),
        );
      });
  }

  function stopTimer(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  async function sendLandscapes(s: Session): Promise<void> {
    const tw = thetaWindow(s);
    if (!tw) return;
    const n = s.experiment.view.grid;
    const grid = await lossGrid(s.objective('theta'), tw, n);
    if (session !== s) return;
    emit({ type: 'landscape', space: 'theta', grid }, [grid.values.buffer]);
    const pw = phiWindow(s, tw);
    if (!pw) return;
    const pgrid = await lossGrid(s.objective('phi'), pw, n);
    if (session !== s) return;
    emit({ type: 'landscape', space: 'phi', grid: pgrid }, [pgrid.values.buffer]);
  }

  async function start(value: unknown): Promise<LoadReply> {
    const parsed = parseExperiment(value);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    let next: Session;
    try {
      next = createSession(parsed.experiment);
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    stopTimer();
    await inFlight;
    session?.dispose();
    session = next;
    tracker = createDefectTracker(next);
    input = value;
    sentPoints = new Map();
    sentLoss = new Map();
    const tw = thetaWindow(session);
    const info: LoadedInfo = {
      ok: true,
      experiment: parsed.experiment,
      runs: session.runs.map((r) => ({ id: r.id, optimizer: r.optimizer, space: r.space })),
      paramNames: [...session.problem.paramNames],
      windows: {
        theta: tw ?? [
          [0, 1],
          [0, 1],
        ],
        phi: tw ? phiWindow(session, tw) : null,
      },
    };
    // One channel, in order: the page resets its runs before any telemetry of the new ones.
    emit({ type: 'loaded', info }, []);
    await session.advance(0);
    flush();
    setState('paused');
    void sendLandscapes(session).catch((err: unknown) =>
      emit({ type: 'error', message: `landscape failed: ${String(err)}` }, []),
    );
    return info;
  }

  return {
    load: start,
    play() {
      if (!session || state === 'done') return;
      setState('playing');
      schedule();
    },
    pause() {
      stopTimer();
      if (state === 'playing') setState('paused');
    },
    async step() {
      stopTimer();
      await inFlight;
      if (!session || session.done) return;
      if (state === 'playing') setState('paused');
      inFlight = advance(1);
      await inFlight;
    },
    async reset() {
      if (input !== null) await start(input);
    },
    settled: () => inFlight,
    dispose() {
      stopTimer();
      session?.dispose();
      session = null;
    },
  };
}

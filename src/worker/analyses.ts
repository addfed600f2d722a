/**
 * The long analyses of the current experiment, run in the worker beside the run loop:
 * the "defect vs learning rate" sweep (docs/theory.md §4) and the live naturality table (§3).
 * Each builds its own short sessions (it never touches the runs on screen), reports
 * progress as `sweep` / `table` events through the one listener, yields to the event loop
 * between chunks of steps so a new load or request gets through, and stops when the
 * experiment changes (view settings aside) or a newer request of the same kind arrives.
 */
import {
  type Experiment,
  runsKey,
  defaultSweep,
  sweep,
  type SweepResult,
  naturalityTable,
  type NaturalityTable,
} from '../engine';
import type {
  AnalysisEvent,
  AnalysisReply,
  SweepRequest,
  TableRequest,
  WorkerEvent,
} from '../protocol/messages';
import type { Emit } from './run-loop';

/** At most one progress event per this many milliseconds. */
const PROGRESS_MS = 100;

/** A macrotask break: queued messages (a new load, a cancel) run before the next chunk. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The experiment without its view settings: a change of those does not stop an analysis. */

interface Hooks {
  onProgress: (p: { done: number; total: number }) => Promise<void>;
  cancelled: () => boolean;
}

export interface Analyses {
  sweep(request: SweepRequest): Promise<AnalysisReply>;
  naturalityTable(request: TableRequest): Promise<AnalysisReply>;
  /**
   * Resolves when no analysis runs (at once when none does). One whose experiment is gone
   * stops at its next chunk: the worker waits for that before changing the tfjs backend.
   */
  idle(): Promise<void>;
}

export function createAnalyses(emit: Emit, current: () => Experiment | null): Analyses {
  const latest = { sweep: 0, table: 0 };
  /** The analyses under way. */
  const running = new Set<Promise<AnalysisReply>>();
  const track = (reply: Promise<AnalysisReply>): Promise<AnalysisReply> => {
    running.add(reply);
    const done = (): void => void running.delete(reply);
    void reply.then(done, done);
    return reply;
  };

  async function run<R>(
    kind: keyof typeof latest,
    send: (event: AnalysisEvent<R>) => void,
    compute: (experiment: Experiment, hooks: Hooks) => Promise<R | null>,
  ): Promise<AnalysisReply> {
    const id = ++latest[kind];
    const experiment = current();
    if (!experiment) {
      const message = 'no experiment is loaded';
      send({ id, status: 'error', progress: 0, message });
      return { status: 'error', message };
    }
    const key = runsKey(experiment);
    let why = '';
    const cancelled = (): boolean => {
      const now = current();
      if (latest[kind] !== id) why = 'a newer request replaced it';
      else if (!now || runsKey(now) !== key) why = 'the experiment changed';
      return why !== '';
    };
    let last = 0;
    const onProgress = async ({ done, total }: { done: number; total: number }): Promise<void> => {
      const t = Date.now();
      if (t - last >= PROGRESS_MS) {
        last = t;
        send({ id, status: 'running', progress: total > 0 ? done / total : 0 });
      }
      await yieldToEvents();
    };
    send({ id, status: 'running', progress: 0 });
    try {
      const result = await compute(experiment, { onProgress, cancelled });
      if (result === null) {
        send({ id, status: 'cancelled', progress: 0, message: why });
        return { status: 'cancelled', message: why };
      }
      send({ id, status: 'done', progress: 1, result });
      return { status: 'done' };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      send({ id, status: 'error', progress: 0, message });
      return { status: 'error', message };
    }
  }

  const sendAs =
    <R>(type: 'sweep' | 'table') =>
    (event: AnalysisEvent<R>): void =>
      void emit({ type, ...event } as WorkerEvent, []);

  return {
    sweep: (request) =>
      track(
        run<SweepResult>('sweep', sendAs('sweep'), (experiment, hooks) =>
          sweep(experiment, {
            horizon: request.horizon ?? defaultSweep.horizon,
            divisors: request.divisors ?? defaultSweep.divisors,
            ...hooks,
          }),
        ),
      ),
    naturalityTable: (request) =>
      track(
        run<NaturalityTable>('table', sendAs('table'), (experiment, hooks) =>
          naturalityTable(experiment, { steps: request.steps, ...hooks }),
        ),
      ),
    idle: () => Promise.allSettled([...running]).then(() => undefined),
  };
}

/**
 * Starting one engine worker: its backend, its event listener, then what it should hold —
 * the progress to restore after a fault (docs/reliability.md), or on a first start the startup
 * candidates in order (link, saved, first view; the first the engine accepts wins).
 */
import type { BackendInfo, BackendName, BackendRequest, ResumeData, WorkerEvent } from '../protocol/messages';
import type { LabStore } from '../state/store';
import type { EngineWorker } from './engine-worker';
import type { Candidate } from './startup';

/** The progress a restarted worker restores: the experiment, its step, and whether it was playing. */
export interface RestoreGoal {
  experiment: unknown;
  step: number;
  playing: boolean;
  /** The latest checkpoint and the trajectories to continue from, or null: replay from step 0. */
  resume: ResumeData | null;
}

export interface StartOptions {
  request: BackendRequest;
  /** A note added to the backend's notes (why it was restarted), or null. */
  note: string | null;
  /** Choose automatically among the backends after this one (after a lost GPU). */
  after?: BackendName;
  /** The backend a warm spare has already started, if any. */
  started?: Promise<BackendInfo> | null;
  /** What to restore, or null on a first start. */
  goal: RestoreGoal | null;
  candidates: Candidate[];
  /** Every event the worker sends from now on. */
  onEvent(event: WorkerEvent): void;
  /** Called once the backend is up, before anything is loaded. */
  onBackend?(name: BackendName): void;
  /**
   * A restart of an automatic choice, forced to the backend that ran: the candidates it was
   * chosen among, so the new worker keeps choosing again when the size class changes.
   */
  adopt?: BackendName[];
}

export interface Started {
  backend: BackendName;
  /** The checkpoint step a restore continued from; null when it replayed from step 0 (or no restore). */
  resumedAt: number | null;
}

export async function startEngine(w: EngineWorker, store: LabStore, options: StartOptions): Promise<Started> {
  const { request, note, after, started, goal, candidates, onEvent, onBackend, adopt } = options;
  const { notify } = store.getState();
  // The backend warm-up times the experiment about to load: the restored goal's, else the first candidate's.
  const experiment = goal?.experiment ?? candidates[0]?.experiment;
  const info = await (started ??
    w.api.init(request, {
      ...(after ? { after } : {}),
      ...(experiment !== undefined ? { experiment } : {}),
    }));
  const result: Started = { backend: info.name, resumedAt: null };
  if (!w.alive) return result;
  store.getState().setBackend(note ? { ...info, notes: [...info.notes, note] } : info);
  onBackend?.(info.name);
  await w.listen(onEvent);
  if (goal?.experiment) {
    if (adopt && adopt.length > 0) await w.api.adoptChoice(goal.experiment, adopt);
    const { resume } = goal;
    const reply = await w.api.load(goal.experiment, {
      advanceTo: goal.step,
      ...(resume ? { resume } : {}),
    });
    result.resumedAt = reply.ok && reply.resumed && 'at' in reply.resumed ? reply.resumed.at : null;
    if (!reply.ok) notify('error', `The experiment could not be restored: ${reply.error}`);
    else if (goal.playing) await w.api.play();
    return result;
  }
  for (const c of candidates) {
    const reply = await w.api.load(c.experiment);
    if (reply.ok) {
      if (c.play) await w.api.play();
      return result;
    }
    notify('error', `The ${c.source} experiment could not be loaded: ${reply.error}`);
  }
  return result;
}

/**
 * The page's zustand store (vanilla, so non-React code — the client, the automation
 * handle, the d3 plots — reads it directly). Telemetry appends to the run arrays in
 * place and bumps `frame`; plots subscribe to `frame` transiently instead of
 * re-rendering React on every step.
 */
import { createStore } from 'zustand/vanilla';
import type { Experiment } from '../engine/schema';
import type { LossGrid, Window } from '../engine/landscape/grid';
import type { RunStatus, Space } from '../engine/experiment';
import type { BackendInfo, PlayState, RunInfo, WorkerEvent } from '../protocol/messages';

export interface RunView {
  id: string;
  optimizer: number;
  space: Space;
  /** θ points so far (φ-runs: pushed forward). Appended in place. */
  theta: number[][];
  phi: number[][] | null;
  loss: number[];
  status: RunStatus;
  divergedAt: number | null;
}

export interface Message {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

export interface LabState {
  experiment: Experiment | null;
  backend: BackendInfo | null;
  playState: PlayState;
  step: number;
  runs: RunView[];
  paramNames: string[];
  windows: { theta: Window; phi: Window | null } | null;
  landscapes: { theta: LossGrid | null; phi: LossGrid | null };
  messages: Message[];
  /** Per-step naturality distances by optimizer index (pairs only). D_K is their running max. */
  defects: Record<number, { parameter: number[]; function: number[] }>;
  /** Bumped whenever run arrays grow (transient subscriptions key on it). */
  frame: number;
}

export interface LabActions {
  setBackend(info: BackendInfo): void;
  apply(event: WorkerEvent): void;
  notify(level: Message['level'], text: string): void;
  dismiss(id: number): void;
}

export type LabStore = ReturnType<typeof createLabStore>;

const emptyRun = (info: RunInfo): RunView => ({
  ...info,
  theta: [],
  phi: info.space === 'phi' ? [] : null,
  loss: [],
  status: 'ok',
  divergedAt: null,
});

/** Split a flat array into points of P coordinates. */
function points(flat: Float64Array, P: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + P <= flat.length; i += P) out.push(Array.from(flat.subarray(i, i + P)));
  return out;
}

let nextMessage = 1;

export function createLabStore() {
  return createStore<LabState & LabActions>()((set, get) => ({
    experiment: null,
    backend: null,
    playState: 'idle',
    step: 0,
    runs: [],
    paramNames: [],
    windows: null,
    landscapes: { theta: null, phi: null },
    messages: [],
    defects: {},
    frame: 0,
    setBackend: (backend) => set({ backend }),
    apply: (event) => {
      switch (event.type) {
        case 'loaded': {
          const reply = event.info;
          set({
            experiment: reply.experiment as Experiment,
            runs: reply.runs.map(emptyRun),
            paramNames: reply.paramNames,
            windows: reply.windows,
            landscapes: { theta: null, phi: null },
            defects: {},
            step: 0,
            frame: get().frame + 1,
          });
          return;
        }
        case 'telemetry': {
          const byId = new Map(get().runs.map((r) => [r.id, r]));
          for (const d of event.runs) {
            const run = byId.get(d.id);
            if (!run) continue;
            run.theta.length = d.from;
            run.theta.push(...points(d.theta, event.P));
            if (run.phi && d.phi) {
              run.phi.length = d.from;
              run.phi.push(...points(d.phi, event.P));
            }
            run.loss.length = d.lossFrom;
            run.loss.push(...d.loss);
            run.status = d.status;
            run.divergedAt = d.divergedAt;
          }
          const defects = get().defects;
          for (const d of event.defects) {
            const series = (defects[d.optimizer] ??= { parameter: [], function: [] });
            series.parameter.length = d.from;
            series.parameter.push(...d.parameter);
            series.function.length = d.from;
            series.function.push(...d.function);
          }
          set({ step: event.step, frame: get().frame + 1 });
          return;
        }
        case 'landscape':
          set({ landscapes: { ...get().landscapes, [event.space]: event.grid } });
          return;
        case 'play-state':
          set({ playState: event.state, step: event.step });
          return;
        case 'error':
          get().notify('error', event.message);
          return;
      }
    },
    notify: (level, text) => set({ messages: [...get().messages, { id: nextMessage++, level, text }] }),
    dismiss: (id) => set({ messages: get().messages.filter((m) => m.id !== id) }),
  }));
}

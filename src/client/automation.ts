/**
 * `window.reparamLab`: a read-only automation handle for end-to-end tests and for users
 * in the console. `state()` returns plain data in the command line's run shape.
 */
import { maxDistance } from '../engine/measure/defect';
import type { LabStore } from '../state/store';
import type { BackendName } from '../protocol/messages';

export interface AutomationRun {
  id: string;
  optimizer: number;
  space: 'theta' | 'phi';
  theta: number[][];
  phi?: number[][];
  loss: number[];
  status: 'ok' | 'diverged';
  divergedAt: number | null;
}

export interface AutomationState {
  experiment: unknown;
  backend: BackendName | null;
  step: number;
  playState: string;
  runs: AutomationRun[];
  /** D_K and D^fn_K so far for every θ/φ pair (the command line's `defects`). */
  defects: { optimizer: number; id: string; parameter: number; function: number }[];
}

export interface ReparamLabHandle {
  ready: Promise<void>;
  state(): AutomationState;
}

declare global {
  interface Window {
    reparamLab?: ReparamLabHandle;
  }
}

/** Install the handle; `state()` copies, so callers cannot change the store. */
export function installAutomation(store: LabStore, ready: Promise<void>): ReparamLabHandle {
  const handle: ReparamLabHandle = {
    ready,
    state: () => {
      const s = store.getState();
      return structuredClone({
        experiment: s.experiment,
        backend: s.backend?.name ?? null,
        step: s.step,
        playState: s.playState,
        runs: s.runs.map((r) => ({
          id: r.id,
          optimizer: r.optimizer,
          space: r.space,
          theta: r.theta,
          ...(r.phi ? { phi: r.phi } : {}),
          loss: r.loss,
          status: r.status,
          divergedAt: r.divergedAt,
        })),
        defects: Object.entries(s.defects).map(([k, d]) => ({
          optimizer: Number(k),
          id: `${s.experiment?.optimizers[Number(k)]?.id ?? '?'}-${k}`,
          parameter: maxDistance(d.parameter),
          function: maxDistance(d.function),
        })),
      });
    },
  };
  Object.defineProperty(window, 'reparamLab', {
    value: Object.freeze(handle),
    configurable: false,
    writable: false,
  });
  return handle;
}

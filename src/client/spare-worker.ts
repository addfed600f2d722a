/**
 * A warm spare engine worker, so that a restart after a fault skips loading the worker's
 * module and, on cpu/wasm, starting the backend (together ~0.3–0.9 s here; the restore
 * must fit in 2 s). GPU backends are not started twice: two contexts on one GPU would
 * compete and may be lost together. A spare that fails while waiting is dropped quietly.
 */
import type { BackendInfo, BackendName } from '../protocol/messages';
import { spawnEngineWorker, type EngineWorker, type Fault } from './engine-worker';

export interface SpareWorker {
  /** Start a spare (no-op if one exists); on cpu/wasm it also starts `backend`. */
  prepare(backend: BackendName | null): void;
  /**
   * Hand the spare over (null if there is none). `info` is its started backend when that is
   * `backend` and no GPU was lost; otherwise the caller starts one.
   */
  take(
    backend: BackendName | null,
    gpuLost: boolean,
  ): { w: EngineWorker; info: Promise<BackendInfo> | null } | null;
}

/** `onFault` receives the faults of a spare once it has been handed over. */
export function createSpareWorker(
  onFault: (fault: Fault) => void,
  spawn: (onFault: (fault: Fault) => void) => EngineWorker = spawnEngineWorker,
): SpareWorker {
  let spare: { w: EngineWorker; backend: BackendName | null; info: Promise<BackendInfo> | null } | null =
    null;
  return {
    prepare(backend) {
      if (spare) return;
      const w: EngineWorker = spawn((fault) => {
        if (spare?.w === w) spare = null;
        else onFault(fault);
      });
      const warm = backend === 'wasm' || backend === 'cpu' ? backend : null;
      const info = warm ? w.api.init(warm) : null;
      spare = { w, backend: warm, info };
      info?.catch(() => {
        if (spare?.w === w) w.fail({ kind: 'crashed', message: 'the spare engine could not start' });
      });
    },
    take(backend, gpuLost) {
      const s = spare;
      spare = null;
      if (!s || !s.w.alive) return null;
      return { w: s.w, info: !gpuLost && s.backend !== null && s.backend === backend ? s.info : null };
    },
  };
}

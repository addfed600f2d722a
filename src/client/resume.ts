/**
 * What the page hands a new worker on a restore (docs/reliability.md): the latest checkpoint the old
 * worker sent, with every run's points and κ* / κ(F) series the store holds, flattened as
 * telemetry carries them. The worker checks that they fit each other and the experiment; this only packs.
 */
import { traj } from '../engine/page';
import type { LabState } from '../state/store';
import type { PackedCheckpoint, ResumeData } from '../protocol/messages';

/** Resume data from the store's runs, or null when they cannot reach the checkpoint. */
export function resumeData(
  state: Pick<LabState, 'runs' | 'step' | 'metrics'>,
  checkpoint: PackedCheckpoint | null,
): ResumeData | null {
  const first = state.runs[0]?.theta;
  if (!checkpoint || !first?.length || checkpoint.step > state.step) return null;
  const P = first.dim;
  const Q = state.runs.find((r) => r.phi?.length)?.phi?.dim ?? P;
  return {
    checkpoint,
    P,
    Q,
    runs: state.runs.map((r) => ({
      id: r.id,
      theta: traj.values(r.theta).slice(),
      phi: r.phi ? traj.values(r.phi).slice() : null,
      loss: Float64Array.from(r.loss),
    })),
    metrics: Object.entries(state.metrics).map(([id, m]) => ({
      id,
      kappaFrom: 0,
      kappa: Float64Array.from(m.kappa, (v) => v ?? Number.NaN),
      condFrom: 0,
      cond: Float64Array.from(m.cond),
    })),
  };
}

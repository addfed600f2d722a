/**
 * Each run's new points since the last telemetry event, as transferable `RunDelta`s: θ, φ,
 * loss, status (with the engine's reason when it knows one, e.g. a failed switch) and, on a
 * slice plot, each point's projection. Deltas only: what was sent is remembered per run.
 */
import { traj, type RunResult, type Session } from '../engine';
import type { RunDelta } from '../protocol/messages';
import type { SliceView } from './slice-landscape';

/** Per run id: θ points and losses already sent. */
export interface SentCounts {
  points: Map<string, number>;
  loss: Map<string, number>;
}

export const noneSent = (): SentCounts => ({ points: new Map(), loss: new Map() });

/**
 * A switch run's φ rows for its θ points from `from` on, flattened (count × Q), where the
 * φ plot exists (P = Q = 2): NaN before its switch step k (it is not in φ yet), then
 * φ_j = f⁻¹(θ_j) in float64 — the recorded θ of a switch run after k is f(φ_j) in
 * float32, so this is its φ to float32 round-off. Null elsewhere (no φ plot to draw on).
 */
export function switchPhi(s: Session, r: RunResult, from: number): Float64Array | null {
  const k = r.switchAt;
  if (r.space !== 'switch' || k === undefined || s.problem.P !== 2 || s.reparam.Q !== 2) return null;
  const rows = traj.toRows(r.theta, from).map((theta, i) => {
    if (from + i < k) return [NaN, NaN];
    try {
      return s.reparam.inverse64(theta);
    } catch {
      // Outside the image of f: the switch failed there (run.failure says why).
      return [NaN, NaN];
    }
  });
  return Float64Array.from(rows.flat());
}

/**
 * The deltas of every run that gained points (or stopped) since `sent`, which is updated;
 * their buffers are pushed onto `transfer`. Stopped runs are resent (with no points) so a
 * status is never lost.
 */
export function runDeltas(
  s: Session,
  sent: SentCounts,
  slice: SliceView | null,
  transfer: Transferable[],
): RunDelta[] {
  const runs: RunDelta[] = [];
  for (const r of s.runs) {
    const from = sent.points.get(r.id) ?? 0;
    const lossFrom = sent.loss.get(r.id) ?? 0;
    if (from === r.theta.length && lossFrom === r.loss.length && r.status === 'ok') continue;
    // Copies (their buffers are transferred): the run's points from `from` on, flat as stored.
    const theta = traj.values(r.theta).slice(from * r.theta.dim);
    const phi = r.phi ? traj.values(r.phi).slice(from * r.phi.dim) : switchPhi(s, r, from);
    const loss = Float64Array.from(r.loss.slice(lossFrom));
    const proj = slice?.project(r.theta, from) ?? null;
    if (proj) transfer.push(proj.coords.buffer, proj.relative.buffer);
    sent.points.set(r.id, r.theta.length);
    sent.loss.set(r.id, r.loss.length);
    runs.push({
      id: r.id,
      from,
      theta,
      phi,
      loss,
      lossFrom,
      status: r.status,
      divergedAt: r.divergedAt,
      ...(r.failure !== undefined ? { failure: r.failure } : {}),
      ...(r.cg ? { cg: r.cg } : {}),
      ...(proj ? { slice: proj.coords, sliceError: proj.relative } : {}),
    });
    transfer.push(theta.buffer, loss.buffer);
    if (phi) transfer.push(phi.buffer);
  }
  return runs;
}

/**
 * A switch run's group (experiment `switchAt`): one run that steps in θ exactly like the
 * θ-run up to step k, then continues in φ from φ_k = f⁻¹(θ_k) with its optimizer state
 * transported (transport.ts). The switch happens right before step k + 1, so the record
 * at step k is still θ's. Its objective changes with it: after the switch the driver
 * reads θ = f(φ) from the φ-objective, so the θ-trajectory continues in θ.
 *
 * If θ_k is outside the image of f, or J(φ_k) is singular, the run's φ row (and state) is
 * NaN and the run diverges at step k + 1; `onFailure` hears why, in plain words
 * (switch-failure.ts).
 */
import type { Objective } from '../objective';
import type { Hyper, OptimizerDef } from '../optimizers/optimizer';
import type { Reparam } from '../reparam/reparam';
import type { RunResult } from '../run';
import { transportNote, transportState, type SecondMomentPolicy } from '../transport';
import { createRunGroup, type BatchEntry, type RunGroup } from './group';
import { nonFiniteEntries, outsideMessage, phiNotFiniteMessage, transportMessage } from './switch-failure';

export interface SwitchGroup extends RunGroup {
  /** True once the run steps in φ. */
  readonly switched: boolean;
}

export interface SwitchSpec {
  theta: Objective;
  phi: Objective;
  /** What the optimizer steps on, when not `theta` / `phi` (a mini-batch: batch/group.ts). */
  stepTheta?: Objective;
  stepPhi?: Objective;
  reparam: Reparam;
  def: OptimizerDef;
  hyper: Hyper;
  start: readonly number[];
  /** Switch after this many steps (k ≥ 1). */
  at: number;
  policy: SecondMomentPolicy;
  /** Told why the switch failed (the run then diverges at step k + 1). */
  onFailure?(message: string): void;
}

/** A one-run group that changes coordinates after `at` steps. */
export function createSwitchGroup(spec: SwitchSpec): SwitchGroup {
  const { reparam, at } = spec;
  let inner: RunGroup = createRunGroup(spec.theta, spec.def, spec.hyper, [spec.start], spec.stepTheta);
  let taken = 0;
  let switched = false;
  let failed: string | null = null;

  async function switchNow(): Promise<void> {
    switched = true;
    const params = inner.params;
    if (!params) return;
    const [rows, state] = await Promise.all([params.array(), inner.exportState()]);
    if (!state) return;
    const thetaK = rows[0] as number[];
    let phiK = thetaK.map(() => Number.NaN);
    let J = thetaK.map(() => thetaK.map(() => Number.NaN));
    try {
      phiK = reparam.inverse64(thetaK);
    } catch (err) {
      const why = reparam.domainError(thetaK) ?? (err instanceof Error ? err.message : String(err));
      failed = outsideMessage(at, reparam.id, why, spec.theta.problem.paramNames);
    }
    if (!failed && !phiK.every(Number.isFinite)) failed = phiNotFiniteMessage(at, reparam.id, thetaK);
    if (!failed) {
      try {
        J = reparam.jacobian64(phiK);
      } catch {
        // Left NaN: the transport below is then not finite, and says so.
      }
    }
    const moved = transportState(state, [J], spec.policy);
    const broken = failed ? [] : nonFiniteEntries(moved);
    if (broken.length) failed = transportMessage(at, reparam.id, phiK, J, moved, broken);
    const next = createRunGroup(spec.phi, spec.def, spec.hyper, [phiK], spec.stepPhi);
    try {
      next.importState(moved);
    } catch (err) {
      next.dispose();
      throw err;
    }
    inner.dispose();
    inner = next;
    if (failed) spec.onFailure?.(failed);
  }

  function stepInner(): void | Promise<void> {
    const out = inner.step();
    if (out) return out.then(() => void (taken += 1));
    taken += 1;
  }

  return {
    get objective() {
      return inner.objective;
    },
    get size() {
      return inner.size;
    },
    get params() {
      return inner.params;
    },
    get switched() {
      return switched;
    },
    step() {
      if (inner.size === 0) return;
      if (taken === at && !switched) return switchNow().then(stepInner);
      return stepInner();
    },
    keep: (rows) => inner.keep(rows),
    exportState: () => inner.exportState(),
    importState: (state) => inner.importState(state),
    async snapshot() {
      const phase = { taken, switched };
      const s = await inner.snapshot();
      return s ? { ...s, phase } : null;
    },
    restore(snapshot) {
      const { phase } = snapshot;
      if (!phase) throw new Error('restore: a switch run needs its phase');
      if (phase.switched === switched) {
        inner.restore(snapshot);
      } else {
        // The snapshot's rows and state are in the other coordinates: a group there.
        const objective = phase.switched ? spec.phi : spec.theta;
        const stepObjective = phase.switched ? spec.stepPhi : spec.stepTheta;
        const next = createRunGroup(objective, spec.def, spec.hyper, snapshot.params, stepObjective);
        try {
          next.importState(snapshot.state);
        } catch (err) {
          next.dispose();
          throw err;
        }
        inner.dispose();
        inner = next;
      }
      taken = phase.taken;
      switched = phase.switched;
    },
    dispose: () => inner.dispose(),
  };
}

/**
 * A switch run ready for the driver: its group, with `result.note` saying what the switch
 * does to this optimizer's state, and `result.failure` why it failed if it does. The note
 * is set once `noted` resolves (the state is read asynchronously); await it before stepping.
 */
export function switchEntry(
  spec: Omit<SwitchSpec, 'onFailure'>,
  result: RunResult,
): BatchEntry & { noted: Promise<void> } {
  const group = createSwitchGroup({
    ...spec,
    onFailure: (message) => {
      result.failure = message;
    },
  });
  result.switchAt = spec.at;
  const noted = group.exportState().then((state) => {
    if (state) result.note = transportNote(spec.def.label, state, spec.policy, spec.at);
  });
  return { group, members: [result], noted };
}

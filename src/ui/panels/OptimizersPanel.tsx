/**
 * The experiment's optimizers: add, remove, choose, colour, and each one's hyper-parameters.
 * A new optimizer, or another method chosen, is sent without η and damping, so the engine
 * fills in the problem's suggestion (problems/suggested.ts).
 */
import {
  type OptimizerId,
  type Hyper,
  baseHyper,
  optimizerInfo,
  type OptimizerEntry,
  exactSolverIds,
  entrySolver,
  solverNote,
  solvesByCg,
  tolText,
  MAX_OPTIMIZERS,
} from '../../engine/page';
import type { RunView } from '../../state/store';
import { useShallow } from 'zustand/react/shallow';
import { useHidden, useLab } from '../lab-context';
import { optimizerColor } from '../plots/colors';
import { CommitInput } from './CommitInput';
import { useEdit } from './use-edit';

const numeric: { key: keyof Hyper & keyof OptimizerEntry; label: string }[] = [
  { key: 'lr', label: 'η' },
  { key: 'momentum', label: 'μ' },
  { key: 'beta1', label: 'β₁' },
  { key: 'beta2', label: 'β₂' },
  { key: 'eps', label: 'ε' },
  { key: 'cgIters', label: 'CG iters' },
  { key: 'cgTol', label: 'CG residual' },
  { key: 'decay', label: 'decay' },
  { key: 'inversePeriod', label: 'inverse period' },
  { key: 'rank', label: 'rank k' },
];

export function OptimizersPanel() {
  const list = useLab((s) => s.experiment?.optimizers);
  const experiment = useLab((s) => s.experiment);
  const hideHyper = useHidden('hyper');
  const P = useLab((s) => s.paramNames.length);
  // The latest CG solves of each optimizer's runs, in words; compared entry by entry, so the
  // panel renders again only when one of them changes.
  const solves = useLab(useShallow((s) => cgSolvesByOptimizer(s.runs)));
  const edit = useEdit();
  if (!list) return null;
  const ids = Object.keys(optimizerInfo) as OptimizerId[];
  const change = (i: number, entry: OptimizerEntry): void =>
    void edit((x) => ({ ...x, optimizers: x.optimizers.map((o, j) => (j === i ? entry : o)) }));

  return (
    <fieldset className="optimizers-panel">
      <legend>Optimizers</legend>
      {list.map((o, i) => {
        const def = optimizerInfo[o.id];
        const value = (k: keyof Hyper): unknown =>
          o[k as keyof OptimizerEntry] ?? def?.defaults[k] ?? baseHyper[k];
        const name = `optimizer ${i + 1}`;
        return (
          <div className="optimizer" key={i} role="group" aria-label={`${def?.label ?? o.id} (${name})`}>
            <div className="optimizer-row">
              <input
                type="color"
                aria-label={`Colour of ${name}`}
                value={optimizerColor(experiment, i)}
                onChange={(e) => change(i, { ...o, color: e.target.value })}
              />
              <select
                aria-label={`Method of ${name}`}
                title={`id: ${o.id}`}
                value={o.id}
                onChange={(e) =>
                  change(i, { id: e.target.value as OptimizerId, ...(o.color ? { color: o.color } : {}) })
                }
              >
                {ids.map((id) => (
                  <option key={id} value={id} title={id}>
                    {optimizerInfo[id]?.label ?? id}
                  </option>
                ))}
              </select>
              <button
                type="button"
                aria-label={`Remove ${name}`}
                disabled={list.length <= 1}
                onClick={() =>
                  void edit((x) => ({ ...x, optimizers: x.optimizers.filter((_, j) => j !== i) }))
                }
              >
                −
              </button>
            </div>
            {hideHyper ? null : (
              <div className="hyper">
                {numeric
                  .filter((f) => def?.uses.includes(f.key))
                  // The residual an exact solve stops at: only where it solves by CG to a residual.
                  .filter((f) => f.key !== 'cgTol' || (!o.cgIters && P > 0 && solvesByCg(entrySolver(o), P)))
                  .map((f) => {
                    // An exact method's CG iterations: empty = to the residual (an exact solve).
                    const optional = f.key === 'cgIters' && exactSolverIds.includes(o.id);
                    return (
                      <label className="inline" key={f.key}>
                        {f.label}
                        <CommitInput
                          inputMode="decimal"
                          aria-label={`${f.label} of ${name}`}
                          value={
                            optional && !o.cgIters
                              ? ''
                              : f.key === 'cgTol'
                                ? tolText(Number(value(f.key)))
                                : String(value(f.key))
                          }
                          {...(optional ? { placeholder: 'exact' } : {})}
                          onCommit={(t) => {
                            if (optional && t.trim() === '') {
                              const { cgIters: _drop, ...rest } = o;
                              change(i, rest);
                            } else change(i, { ...o, [f.key]: Number(t) });
                          }}
                        />
                      </label>
                    );
                  })}
                {def?.uses.includes('solver') ? (
                  <label className="inline">
                    solver
                    <select
                      aria-label={`Solver of ${name}`}
                      value={String(value('solver'))}
                      onChange={(e) => change(i, { ...o, solver: e.target.value as Hyper['solver'] })}
                    >
                      <option value="auto">auto (CG above P = 1000)</option>
                      <option value="dense">dense</option>
                      <option value="cg">CG</option>
                    </select>
                  </label>
                ) : null}
                {def?.uses.includes('blocks') ? (
                  <label className="inline">
                    blocks
                    <select
                      aria-label={`Blocks of ${name}`}
                      value={String(value('blocks'))}
                      onChange={(e) => change(i, { ...o, blocks: e.target.value as Hyper['blocks'] })}
                    >
                      <option value="auto">auto (layers, else one)</option>
                      <option value="layers">one per layer</option>
                      <option value="one">one (exact Fisher)</option>
                    </select>
                  </label>
                ) : null}
                {def?.uses.includes('fisher') ? (
                  <label className="inline">
                    Fisher
                    <select
                      aria-label={`Fisher of ${name}`}
                      title="exact: the expectation over every label; sampled: one label per example drawn from the model (Martens & Grosse), N rows instead of N·C"
                      value={String(value('fisher'))}
                      onChange={(e) => change(i, { ...o, fisher: e.target.value as Hyper['fisher'] })}
                    >
                      <option value="exact">exact (all labels)</option>
                      <option value="sampled">sampled (one label)</option>
                    </select>
                  </label>
                ) : null}
                {def?.uses.includes('solver') && P > 0 ? (
                  <p className="hint solver-note" data-solver-note={o.id}>
                    {keepNumbersWhole(solverNote(o.id, entrySolver(o), P))}
                    {solves[i] ? (
                      <span className="solver-last" data-solver-last={i}>
                        {keepNumbersWhole(` — last step: ${solves[i]}`)}
                      </span>
                    ) : null}
                  </p>
                ) : null}
                {def?.uses.includes('integrator') ? (
                  <label className="inline">
                    integrator
                    <select
                      aria-label={`Integrator of ${name}`}
                      value={String(value('integrator'))}
                      onChange={(e) => change(i, { ...o, integrator: e.target.value as Hyper['integrator'] })}
                    >
                      <option value="euler">Euler</option>
                      <option value="midpoint">midpoint</option>
                    </select>
                  </label>
                ) : null}
                {def?.uses.includes('damping') ? (
                  <DampingFields
                    name={name}
                    damping={(value('damping') as Hyper['damping']) ?? baseHyper.damping}
                    onChange={(damping) => change(i, { ...o, damping })}
                  />
                ) : null}
              </div>
            )}
          </div>
        );
      })}
      <button
        type="button"
        disabled={list.length >= MAX_OPTIMIZERS}
        onClick={() =>
          void edit((x) => ({ ...x, optimizers: [...x.optimizers, { id: 'ngd' as OptimizerId }] }))
        }
      >
        Add optimizer
      </button>
    </fieldset>
  );
}

function DampingFields(props: {
  name: string;
  damping: Hyper['damping'];
  onChange(d: Hyper['damping']): void;
}) {
  const { damping, name, onChange } = props;
  return (
    <>
      <label className="inline">
        damping
        <select
          aria-label={`Damping of ${name}`}
          value={damping.type}
          onChange={(e) => onChange({ ...damping, type: e.target.value as Hyper['damping']['type'] })}
        >
          <option value="none">none</option>
          <option value="lm">λI (Levenberg–Marquardt)</option>
          <option value="trust-region">Fisher trust region</option>
        </select>
      </label>
      {damping.type === 'none' ? null : (
        <label className="inline">
          {damping.type === 'lm' ? 'λ' : 'r'}
          <CommitInput
            inputMode="decimal"
            aria-label={`Damping value of ${name}`}
            value={String(damping.value)}
            onCommit={(t) => onChange({ ...damping, value: Number(t) })}
          />
        </label>
      )}
    </>
  );
}

/** Each optimizer's runs' latest CG solves in words ('' for none), by optimizer index: `θ: 47 CG iterations, residual 8.3e-7; φ: …`. */
function cgSolvesByOptimizer(runs: readonly RunView[]): string[] {
  const out: string[] = [];
  for (const r of runs) {
    if (!r.cg) continue;
    const space = r.space === 'theta' ? 'θ' : r.space === 'phi' ? 'φ' : 'switch';
    const text = `${space}: ${r.cg.iters} CG iteration${r.cg.iters === 1 ? '' : 's'}, residual ${r.cg.residual.toExponential(1)}`;
    out[r.optimizer] = out[r.optimizer] ? `${out[r.optimizer]}; ${text}` : text;
  }
  return Array.from(out, (t) => t ?? '');
}

/**
 * Text with each number in exponent form (9.6e-7) in a span that does not wrap: a narrow
 * panel would otherwise break the line at the exponent's hyphen ("1e-" / "6").
 */
function keepNumbersWhole(text: string): React.ReactNode[] {
  return text.split(/(\d+(?:\.\d+)?e-\d+)/).map((part, k) =>
    k % 2 === 1 ? (
      <span key={k} className="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  );
}

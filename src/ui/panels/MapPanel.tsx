/**
 * The reparameterization θ = f(φ) and its parameters, with the custom-expression editor.
 * A map the engine rejects (does not parse, unknown names, not invertible on the plotted
 * domain) shows its message here and the previous map stays in force.
 */
import { useMemo, useState } from 'react';
import {
  traj,
  implementedReparams,
  mapStarter,
  mapUnavailable,
  reparamLabels,
  defaultCustomExprs,
  type ReparamId,
  type ProblemId,
  type Experiment,
} from '../../engine/page';
import { useLab } from '../lab-context';
import { CommitInput } from './CommitInput';
import { SwitchPanel } from './SwitchPanel';
import { formatList, formatMatrix, mapFields, parseList, parseMatrix, type MapField } from './fields';
import { useEdit } from './use-edit';

function fieldText(field: MapField, value: unknown): string {
  if (value === undefined) return '';
  if (field.kind === 'list') return formatList(value);
  if (field.kind === 'matrix') return formatMatrix(value);
  return String(value);
}

function fieldValue(field: MapField, text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (field.kind === 'number') return Number.isFinite(Number(t)) ? Number(t) : t;
  if (field.kind === 'list') return parseList(t) ?? t;
  if (field.kind === 'matrix') return parseMatrix(t) ?? t;
  return t;
}

/**
 * The parameterization a problem carries inside its model, which is the one that matters
 * when the map θ = f(φ) is the identity (docs/theory.md §6); null for the others.
 */
export function modelParameterization(problem: Experiment['problem'] | undefined): string | null {
  const p = problem as { id: string; param?: string; depth?: number } | undefined;
  if (p?.id === 'sparse-regression' && p.param !== 'linear')
    return 'inside the model: w = u⊙u − v⊙v, with parameters θ = (u, v)';
  if (p?.id === 'matrix-completion')
    return `inside the model: W = W_${p.depth ?? 'L'} ⋯ W_1, with parameters θ = (W_1, …, W_${p.depth ?? 'L'})`;
  return null;
}

export function MapPanel() {
  const reparam = useLab((s) => s.experiment?.reparam);
  const inside = useLab((s) => modelParameterization(s.experiment?.problem));
  const P = useLab((s) => s.paramNames.length);
  const problem = useLab((s) => s.experiment?.problem.id) as ProblemId | undefined;
  // The start θ₀ as recorded (the first point of the first run); undefined until it arrives.
  // Selected as text (a value, stable between renders: the store's point is a fresh view each read).
  const theta0Key = useLab((s) => {
    const t = s.runs[0]?.theta;
    const p = t ? traj.row(t, 0) : undefined;
    return p ? p.join(',') : null;
  });
  const theta0 = useMemo(
    () => (theta0Key === null ? undefined : theta0Key === '' ? [] : theta0Key.split(',').map(Number)),
    [theta0Key],
  );
  const edit = useEdit();
  const [error, setError] = useState<string | null>(null);
  if (!reparam || !problem) return null;
  const apply = async (next: Experiment['reparam']): Promise<void> => {
    setError(await edit((x) => ({ ...x, reparam: next }), { quiet: true }));
  };
  const fields = mapFields[reparam.id] ?? [];
  return (
    <fieldset className="map-panel">
      <legend>Map θ = f(φ)</legend>
      <label>
        Map
        <select
          aria-label="Map"
          value={reparam.id}
          title={`id: ${reparam.id}`}
          onChange={(e) => {
            const id = e.target.value as ReparamId;
            void apply({ id, ...mapStarter(id, problem, theta0 ?? []) } as Experiment['reparam']);
          }}
        >
          {implementedReparams().map((id) => {
            const why = id === reparam.id ? null : mapUnavailable(id, problem, theta0);
            return (
              <option key={id} value={id} disabled={why !== null} title={why ? `${id}: ${why}` : id}>
                {reparamLabels[id]}
                {why ? ` — ${why}` : ''}
              </option>
            );
          })}
        </select>
      </label>
      {reparam.id === 'identity' && inside ? (
        <p className="hint" data-testid="model-parameterization">
          No map between θ and φ here; the reparameterization is {inside}.
        </p>
      ) : null}
      {fields.map((f) =>
        f.kind === 'exprs' ? (
          Array.from({ length: P }, (_, i) => {
            const exprs = Array.isArray(reparam.expr) ? (reparam.expr as string[]) : defaultCustomExprs(P);
            return (
              <label key={`${f.key}-${i}`}>
                θ{i + 1} =
                <CommitInput
                  className="expr"
                  spellCheck={false}
                  maxLength={500}
                  value={exprs[i] ?? `p${i + 1}`}
                  placeholder={f.hint}
                  onCommit={(text) => {
                    const next = Array.from({ length: P }, (_, j) =>
                      j === i ? text : (exprs[j] ?? `p${j + 1}`),
                    );
                    void apply({ ...reparam, expr: next });
                  }}
                />
              </label>
            );
          })
        ) : (
          <label key={f.key}>
            {f.label}
            <CommitInput
              value={fieldText(f, reparam[f.key])}
              placeholder={f.hint}
              onCommit={(text) => {
                const v = fieldValue(f, text);
                const next: Record<string, unknown> = { ...reparam };
                if (v === undefined) delete next[f.key];
                else next[f.key] = v;
                void apply(next as Experiment['reparam']);
              }}
            />
          </label>
        ),
      )}
      {error ? (
        <p className="field-error" role="alert">
          {error} — the previous map is still in use.
        </p>
      ) : null}
      {reparam.id === 'identity' ? null : <SwitchPanel />}
    </fieldset>
  );
}

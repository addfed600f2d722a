/**
 * "Change coordinates at step k" (experiment `switchAt`, docs/experiment-format.md): the step k (empty: off)
 * and what happens to a second moment, which has no transformation law. Each optimizer
 * then gets a third run, drawn dotted in the θ plot with a square at step k (and in the φ
 * plot from k on); the notes say what the switch did to each optimizer's state, and why
 * it failed if it did.
 */
import { useState } from 'react';
import type { Experiment } from '../../engine/page';
import { useLab } from '../lab-context';
import { CommitInput } from './CommitInput';
import { useEdit } from './use-edit';

type Policy = NonNullable<Experiment['switchAt']>['secondMoment'];

const policies: { value: Policy; label: string }[] = [
  { value: 'reset', label: 'reset to 0 (default)' },
  { value: 'keep', label: 'keep the numbers' },
  { value: 'diagonal', label: 'diag(Jᵀ diag(v) J)' },
];

export function SwitchPanel() {
  const switchAt = useLab((s) => s.experiment?.switchAt);
  const steps = useLab((s) => s.experiment?.steps ?? 0);
  const notesKey = useLab((s) =>
    s.runs
      .filter((r) => r.space === 'switch')
      // A failed switch: its reason follows the note (the run status lists it too).
      .map((r) => `${r.note ?? ''}${r.failure ? ` — ${r.failure}` : ''}`)
      .join('\n'),
  );
  const edit = useEdit();
  const [error, setError] = useState<string | null>(null);
  const apply = async (next: Experiment['switchAt']): Promise<void> => {
    setError(
      await edit(
        (x) => {
          const { switchAt: _old, ...rest } = x;
          return next ? { ...rest, switchAt: next } : rest;
        },
        { quiet: true },
      ),
    );
  };
  const policy: Policy = switchAt?.secondMoment ?? 'reset';
  const notes = notesKey === '' ? [] : notesKey.split('\n');
  return (
    <div className="switch-panel">
      <label>
        Switch θ→φ at step k
        <CommitInput
          aria-label="Switch θ→φ at step k"
          type="number"
          min={1}
          max={Math.max(1, steps - 1)}
          step={1}
          placeholder="off"
          value={switchAt ? String(switchAt.step) : ''}
          onCommit={(text) => {
            const t = text.trim();
            void apply(t === '' ? undefined : { step: Number(t), secondMoment: policy });
          }}
        />
      </label>
      <label>
        Second moment (Adam, RMSProp)
        <select
          aria-label="Second moment (Adam, RMSProp)"
          value={policy}
          disabled={!switchAt}
          onChange={(e) => {
            if (switchAt) void apply({ step: switchAt.step, secondMoment: e.target.value as Policy });
          }}
        >
          {policies.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p className="field-error" role="alert">
          {error} — the previous setting is still in use.
        </p>
      ) : null}
      {notes.length ? (
        <ul className="switch-notes" aria-label="What the switch did">
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : (
        <p className="hint">
          Each optimizer gets a third run: in θ up to step k, then in φ with its state transported (dotted, a
          square marks step k).
        </p>
      )}
    </div>
  );
}

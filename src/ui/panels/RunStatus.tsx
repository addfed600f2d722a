/**
 * Which runs diverged, and at which step (docs/reliability.md): a run whose update produced a
 * non-finite value stops there and is listed as "diverged at step k" — or, when the engine
 * knows why (a switch run whose change of coordinates failed), with that reason in plain
 * words; the other runs keep going. Shown only while some run has diverged. Text only,
 * never HTML.
 */
import { useLab } from '../lab-context';
import { optimizerColor } from '../plots/colors';
import { optimizerLabel } from './optimizer-label';

const spaceLabel = { theta: 'θ-run', phi: 'φ-run', switch: 'θ→φ run' } as const;

export function RunStatus() {
  // A string key: re-render when a status changes, not on every telemetry frame.
  const key = useLab((s) =>
    s.runs
      .filter((r) => r.status === 'diverged')
      .map((r) => `${r.id}@${r.divergedAt}:${r.failure ?? ''}`)
      .join(' '),
  );
  const runs = useLab((s) => s.runs);
  const experiment = useLab((s) => s.experiment);
  if (key === '') return null;
  const diverged = runs.filter((r) => r.status === 'diverged');
  return (
    <section className="panel run-status" aria-label="Diverged runs" aria-live="polite">
      <strong>Diverged runs</strong>
      <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
        {diverged.map((r) => (
          <li key={r.id} data-run={r.id} data-diverged-at={r.divergedAt ?? ''}>
            <span
              className="swatch"
              style={{ background: optimizerColor(experiment, r.optimizer) }}
              aria-hidden="true"
            />{' '}
            {optimizerLabel(experiment, r.optimizer)} ({spaceLabel[r.space]}):{' '}
            {r.failure ? (
              <>
                <span className="run-failure">{r.failure}</span> (stopped at step {r.divergedAt})
              </>
            ) : (
              <>diverged at step {r.divergedAt}</>
            )}
          </li>
        ))}
      </ul>
      <p style={{ margin: 0, color: 'var(--muted)', fontSize: '0.85rem' }}>
        A run stops at its first non-finite value; the other runs keep going.
      </p>
    </section>
  );
}

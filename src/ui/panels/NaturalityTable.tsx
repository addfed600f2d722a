/**
 * The live naturality table (docs/theory.md §3): for the current problem and optimizers, each
 * optimizer under one linear map of each class (rotation, signed permutation, diagonal
 * scaling, general invertible), K steps in θ and in φ. A cell shows the measured D_K,
 * ✓ when it is at float32 round-off (equivariant) or ✗, and the mark the theory expects;
 * a disagreement is flagged. Beside it, for small P, the defect curves of the low-rank
 * and truncated Fisher (DefectCurves.tsx).
 */
import { useId } from 'react';
import {
  type TableCell,
  EQUIVARIANT_BELOW,
  defaultTableSteps,
  mapClassLabels,
  mapClasses,
} from '../../engine/page';
import { useLab, useLabContext } from '../lab-context';
import { optimizerColor } from '../plots/colors';
import { optimizerLabel } from './optimizer-label';
import './analyses.css';
import { WhatIsThis } from '../math/Tex';
import { DefectCurves } from './DefectCurves';

const mark = (v: boolean | null): string => (v === null ? '–' : v ? '✓' : '✗');

function Cell({ cell }: { cell: TableCell | undefined }) {
  if (!cell) return <td className="nat-cell pending">–</td>;
  const measured = cell.measured === null ? 'unknown' : cell.measured ? 'equivariant' : 'not';
  const note = cell.error
    ? cell.error
    : cell.diverged.theta && cell.diverged.phi
      ? 'both runs diverged'
      : cell.diverged.theta || cell.diverged.phi
        ? `the ${cell.diverged.theta ? 'θ' : 'φ'}-run diverged`
        : null;
  const expected = cell.expected === null ? 'no claim' : `expected ${mark(cell.expected)}`;
  return (
    <td
      className={`nat-cell ${measured}${cell.agrees === false ? ' disagrees' : ''}`}
      data-optimizer={cell.optimizer}
      data-map={cell.map}
      data-measured={measured}
      data-expected={cell.expected === null ? 'none' : String(cell.expected)}
      title={note ?? undefined}
    >
      <span
        className="nat-mark"
        aria-label={`measured: ${measured === 'not' ? 'not equivariant' : measured}`}
      >
        {mark(cell.measured)}
      </span>{' '}
      <span className="num">{Number.isFinite(cell.defect) ? cell.defect.toExponential(1) : 'n/a'}</span>
      <span className="nat-expected">
        {expected}
        {cell.agrees === false ? ' ⚠ disagrees' : ''}
        {note ? ` (${note})` : ''}
      </span>
    </td>
  );
}

export function NaturalityTable() {
  const { client } = useLabContext();
  const table = useLab((s) => s.table);
  const experiment = useLab((s) => s.experiment);
  const captionId = useId();
  const running = table?.status === 'running';
  const result = table?.result ?? null;
  const cells = new Map((result?.cells ?? []).map((c) => [`${c.optimizer}:${c.map}`, c]));
  const rows = [...new Set((result?.cells ?? []).map((c) => c.optimizer))];
  const status = running
    ? `Running… ${Math.round((table?.progress ?? 0) * 100)}%`
    : table?.status === 'cancelled'
      ? `Stopped: ${table.message ?? 'cancelled'}.`
      : table?.status === 'error'
        ? `Could not compute: ${table.message ?? 'unknown error'}`
        : result
          ? `Done: K = ${result.steps} steps per run.`
          : 'Not computed yet.';

  return (
    <figure className="plot naturality" data-panel="table" aria-labelledby={captionId}>
      <figcaption id={captionId}>Naturality table: exactly equivariant under θ = Aφ?</figcaption>
      <WhatIsThis
        formula="\theta = A\varphi,\qquad D_K = \max_{k \le K} \frac{\lVert f(\varphi_k) - \theta_k \rVert}{\max(1, \lVert \theta_0 \rVert)}"
        text="Each row is an optimizer, each column a kind of linear map $A$ (orthogonal, signed permutation, diagonal scaling, rotation, shear, …). The optimizer runs in θ and in φ with $\theta = A\varphi$; the cell shows $D_K$, how far the pushed-forward φ-run gets from the θ-run. For a linear map a discrete update either transforms exactly (✓, round-off only) or not (✗): no step-size limit is involved. An optimizer whose update is built from tensors — the Fisher, the Hessian — passes every column; one that treats coordinates one by one, like Adam, passes only the maps that keep coordinates separate."
      />
      <p className="hint">
        Each optimizer runs {defaultTableSteps} steps in θ and in φ with its hyper-parameters as set. ✓: D
        <sub>K</sub> &lt; {EQUIVARIANT_BELOW.toExponential(0)} (float32 round-off), ✗: the runs drift apart.
        Below each number is the mark of the theory&apos;s table (docs/theory.md §3).
      </p>
      <div className="analysis-controls">
        <button
          type="button"
          className="primary"
          onClick={() => void client.naturalityTable({ steps: defaultTableSteps })}
          disabled={running || !experiment}
        >
          Compute
        </button>
        {running ? (
          <progress aria-label="Naturality table progress" max={1} value={table?.progress ?? 0} />
        ) : null}
        <span role="status" className="analysis-status">
          {status}
        </span>
      </div>
      {/* Only a computed table is shown: rows named like the defect panel's would otherwise double them. */}
      {result ? (
        <table className="defect-table nat-table">
          <thead>
            <tr>
              <th scope="col">optimizer</th>
              {mapClasses.map((m) => (
                <th scope="col" key={m}>
                  {mapClassLabels[m]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => (
              <tr key={i}>
                <th scope="row">
                  <span
                    className="swatch"
                    aria-hidden="true"
                    style={{ background: optimizerColor(experiment, i) }}
                  />{' '}
                  {optimizerLabel(experiment, i)}
                </th>
                {mapClasses.map((m) => (
                  <Cell key={m} cell={cells.get(`${i}:${m}`)} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {result?.curves ? <DefectCurves curves={result.curves} /> : null}
    </figure>
  );
}

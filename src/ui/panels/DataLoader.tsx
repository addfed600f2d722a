/**
 * Load a problem's data from a CSV file, or go back to the generated data.
 * The file is parsed on the main thread by the engine's `parseCsvData` (pure); a bad file
 * shows the engine's message naming the row and changes nothing. A good one becomes
 * `problem.data` through the normal edit path (URL, saved experiment, worker restart).
 */
import { useId, useRef, type ChangeEvent } from 'react';
import { parseCsvData, type Experiment } from '../../engine/page';
import { useLab, useLabContext } from '../lab-context';
import { csvFormatOf, inlinePoints } from './csv-kind';
import { linkSize } from './link-size';
import { useEdit } from './use-edit';

export function DataLoader({ experiment }: { experiment: Experiment }) {
  const { store } = useLabContext();
  const notify = useLab((s) => s.notify);
  const edit = useEdit();
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const format = csvFormatOf(experiment.problem);
  if (!format) return null;
  const loaded = inlinePoints(experiment.problem.data);

  const onFile = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = e.target.files?.[0];
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      notify('error', `Not loaded: ${file.name} could not be read (${String(err)}).`);
      return;
    } finally {
      // Choosing the same file again must fire another change.
      if (input.current) input.current.value = '';
    }
    const parsed = parseCsvData(text, format.kind, format.classes);
    if (!parsed.ok) {
      notify('error', `Not loaded: ${file.name}, ${parsed.error}. The previous data is still in use.`);
      return;
    }
    const data = parsed.data.data;
    const error = await edit((x) => ({ ...x, problem: { ...x.problem, data } }), { quiet: true });
    if (error) {
      notify('error', `Not loaded: ${file.name} (${error}). The previous data is still in use.`);
      return;
    }
    const now = store.getState().experiment;
    const size = now ? linkSize(now) : { kb: 0, fits: true };
    const count = inlinePoints(data) ?? 0;
    if (size.fits) notify('info', `Loaded ${count} points from ${file.name}.`);
    else {
      notify(
        'warning',
        `Loaded ${count} points from ${file.name}. They run here and are kept in this browser, but they ` +
          `are too large for a shared link (${size.kb} KB; a link carries at most 64 KB): a copied ` +
          'link will not open this experiment. Use "Export JSON" to share it.',
      );
    }
  };

  const backToGenerated = (): void =>
    void edit((x) => {
      const { data: _data, ...problem } = x.problem;
      return { ...x, problem };
    });

  return (
    <div className="data-loader">
      <span className="data-status" aria-live="polite">
        Data:{' '}
        {loaded !== null
          ? `${loaded} points from a file`
          : experiment.problem.id === 'digits'
            ? 'the bundled 1,797 digits (UCI, CC BY 4.0), split by the seed'
            : 'generated from the seed'}
      </span>
      <label className="file-label">
        Load data (CSV)
        <input
          ref={input}
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/plain"
          aria-describedby={hintId}
          onChange={(e) => void onFile(e)}
        />
      </label>
      <span id={hintId} className="hint">
        {format.columns}; a header row is optional
      </span>
      {loaded === null ? null : (
        <button type="button" className="small" onClick={backToGenerated}>
          Use generated data
        </button>
      )}
    </div>
  );
}

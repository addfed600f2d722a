/**
 * The command line's input: an Experiment JSON file, a file holding a link, a link, a
 * `#e=` hash or a bare payload. Every failure is a message naming the file or link and,
 * for an invalid experiment, the field and the reason.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Experiment } from '../engine';
import { checkExperimentJson, decodeExperiment } from '../link/url';

export type Loaded = { ok: true; experiment: Experiment } | { ok: false; error: string };

/** Text that is a link or a hash rather than a path. */
const looksLikeLink = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.includes('#');
/** Text that can only be a bare payload (lz-string's URI-safe alphabet, no dot). */
const looksLikePayload = (s: string): boolean => /^[A-Za-z0-9+\-$]{16,}$/.test(s);

function fromLink(text: string, label: string): Loaded {
  const got = decodeExperiment(text);
  return got.ok ? got : { ok: false, error: `${label}: ${got.error}` };
}

function fromJson(text: string, file: string): Loaded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${file} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const got = checkExperimentJson(value);
  return got.ok ? got : { ok: false, error: `${file}: the experiment ${got.error}` };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Load and validate the experiment named by a command-line argument (defaults filled). */
export async function loadExperiment(arg: string): Promise<Loaded> {
  if (looksLikeLink(arg)) return fromLink(arg, 'link');
  if (!(await isFile(arg))) {
    if (looksLikePayload(arg)) return fromLink(arg, 'link');
    return { ok: false, error: `cannot read ${arg}: not a file, and not an experiment link` };
  }
  let text: string;
  try {
    text = await readFile(arg, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read ${arg}: ${err instanceof Error ? err.message : String(err)}` };
  }
  // A file may hold the Experiment JSON or a saved link.
  return text.trimStart().startsWith('{') ? fromJson(text, arg) : fromLink(text.trim(), arg);
}

/**
 * The shortest JSON form of an experiment: every field whose removal leaves the
 * validated experiment unchanged is dropped (defaults such as `steps: 200`, a problem's
 * `n: 64`, `view.grid: 64`, an empty `view`). Safety is checked, not assumed: a field
 * goes only if `parseExperiment` of the smaller object gives a deep-equal result, so
 * whatever the schema's defaults become, the link still restores the same experiment.
 */
import { parseExperiment, type Experiment, type ExperimentInput } from '../engine/page';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Structural equality of JSON-like values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function isContainer(v: Json | undefined): v is Json[] | { [key: string]: Json } {
  return typeof v === 'object' && v !== null;
}

/** Depth-first: children first, so an object emptied of defaults can then go itself. */
function prune(node: Json[] | { [key: string]: Json }, unchanged: () => boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) if (isContainer(item)) prune(item, unchanged);
    return;
  }
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (isContainer(value)) prune(value, unchanged);
    delete node[key];
    if (!unchanged()) node[key] = value as Json;
  }
}

/**
 * The experiment with every default-valued field removed (a plain JSON object). An
 * input that does not validate is returned as given: its link will report the error
 * when opened rather than failing here.
 */
export function compactExperiment(input: ExperimentInput | Experiment): unknown {
  const parsed = parseExperiment(input);
  if (!parsed.ok) return input;
  const target = parsed.experiment;
  const draft = JSON.parse(JSON.stringify(target)) as { [key: string]: Json };
  const unchanged = (): boolean => {
    const again = parseExperiment(draft);
    return again.ok && deepEqual(again.experiment, target);
  };
  prune(draft, unchanged);
  return draft;
}

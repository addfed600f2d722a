/**
 * The URL codec of the shareable Experiment (docs/experiment-format.md, Links). Pure functions, no store or
 * DOM: the page's store, the command line and the tests share them.
 *
 *   link    https://host/path/?embed=1&hide=problem,seed#e=<payload>
 *   payload lz-string `compressToEncodedURIComponent` of the experiment's JSON, with
 *           default-valued fields dropped (see compact.ts)
 *
 * Decoding never throws. A bad link ends in one of six error kinds, each with a
 * message for the page: `missing` (no payload), `not-decompressible`, `not-json`,
 * `invalid` (fails validation: the message names the field and the reason),
 * `unknown-version`, `too-large` (payload or decompressed JSON over 64 KB).
 */
import LZString from 'lz-string';
import { experimentVersion, parseExperiment, type Experiment, type ExperimentInput } from '../engine/page';
import { compactExperiment } from './compact';
import { lzDecodedLength } from './lz-bound';

/** Largest accepted payload, in characters (64 KB). */
export const MAX_PAYLOAD_CHARS = 65536;
/** Largest accepted decompressed JSON, in UTF-16 units (64 KB). */
export const MAX_JSON_CHARS = 65536;
/** Deepest JSON nesting accepted; a real experiment needs 5. */
export const MAX_JSON_DEPTH = 32;
/** Keys refused anywhere in a payload: they would reach prototypes, never a field. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

export type DecodeErrorKind =
  'missing' | 'not-decompressible' | 'not-json' | 'invalid' | 'unknown-version' | 'too-large';

export type DecodeResult =
  { ok: true; experiment: Experiment } | { ok: false; kind: DecodeErrorKind; error: string };

const fail = (kind: DecodeErrorKind, error: string): DecodeResult => ({ ok: false, kind, error });

/** The `#e=` payload for an experiment: compact JSON, lz-string compressed, URL-safe. */
export function encodeExperiment(exp: ExperimentInput | Experiment): string {
  return LZString.compressToEncodedURIComponent(JSON.stringify(compactExperiment(exp)));
}

/** The URL hash (`#e=…`) that carries an experiment. */
export function experimentHash(exp: ExperimentInput | Experiment): string {
  return `#e=${encodeExperiment(exp)}`;
}

/** The value of `e=` in a fragment (`e=…`, `x=1&e=…`); a fragment without `=` is a bare payload. */
function fromFragment(fragment: string): string | null {
  if (!fragment.includes('=')) return fragment;
  const part = fragment.split('&').find((p) => p.startsWith('e='));
  return part === undefined ? null : part.slice(2);
}

/** Find the payload in a full link, a `#e=…` hash, an `e=…` fragment or a bare payload. */
function extractPayload(input: string): string | null {
  const s = input.trim();
  const hash = s.indexOf('#');
  if (hash >= 0) return fromFragment(s.slice(hash + 1));
  // A payload never contains '/', '?' or ':'; such text is a link without a hash.
  if (/[/?:]/.test(s)) return null;
  return fromFragment(s);
}

/** The first reserved key or over-deep nesting in parsed JSON, as "path: reason"; null if clean. */
function guardJson(value: unknown): string | null {
  // Iterative: a hostile payload may nest deeper than the call stack allows.
  const stack: [unknown, string, number][] = [[value, '', 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, path, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    const here = path || '(experiment)';
    if (depth >= MAX_JSON_DEPTH) return `${here}: nested more than ${MAX_JSON_DEPTH} levels deep`;
    const at = (k: string | number): string => (path ? `${path}.${k}` : String(k));
    if (Array.isArray(v)) {
      v.forEach((x, i) => typeof x === 'object' && x !== null && stack.push([x, at(i), depth + 1]));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (RESERVED.has(key)) return `${at(key)}: the key "${key}" is not allowed`;
      stack.push([(v as Record<string, unknown>)[key], at(key), depth + 1]);
    }
  }
  return null;
}

function decode(input: string): DecodeResult {
  if (input.length > 3 * MAX_PAYLOAD_CHARS + 4096) {
    return fail('too-large', `The link is too large: ${input.length} characters.`);
  }
  let payload = extractPayload(input);
  if (!payload) return fail('missing', 'The link has no experiment (expected #e=… after the address).');
  if (payload.includes('%')) {
    try {
      payload = decodeURIComponent(payload);
    } catch {
      return fail('not-decompressible', 'The link is damaged: bad percent-encoding in the experiment.');
    }
  }
  // Mail and chat clients turn '+' into spaces and wrap long lines.
  payload = payload.replace(/ /g, '+').replace(/[\r\n\t]/g, '');
  if (payload.length > MAX_PAYLOAD_CHARS) {
    return fail(
      'too-large',
      `The link is too large: its payload has ${payload.length} characters (limit ${MAX_PAYLOAD_CHARS}).`,
    );
  }
  const scan = lzDecodedLength(payload, MAX_JSON_CHARS);
  if (!scan.ok && scan.reason === 'too-large') {
    return fail('too-large', `The link is too large: its experiment ${scan.detail} (limit 64 KB).`);
  }
  if (!scan.ok)
    return fail('not-decompressible', `The link is damaged: cannot decompress it (${scan.detail}).`);
  const text = LZString.decompressFromEncodedURIComponent(payload) as string | null;
  if (typeof text !== 'string' || text.length !== scan.length) {
    return fail('not-decompressible', 'The link is damaged: cannot decompress it.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return fail('not-json', `The link is damaged: its experiment is not JSON (${why.slice(0, 120)}).`);
  }
  const checked = checkExperimentJson(value);
  if (checked.ok) return checked;
  return fail(checked.kind, `The link's experiment ${checked.error}.`);
}

/**
 * Validate parsed JSON as an Experiment (shared by links and files): refuses reserved
 * keys (`__proto__`, `constructor`, `prototype`) and absurd nesting, then an unknown
 * version, then anything `parseExperiment` rejects (the message names the field).
 * Messages complete "the experiment …": "is not valid: steps: …", "has version 2; …".
 */
export function checkExperimentJson(value: unknown): DecodeResult {
  const bad = guardJson(value);
  if (bad) return fail('invalid', `is not valid: ${bad}`);
  const version =
    typeof value === 'object' && value !== null ? (value as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version !== experimentVersion) {
    return fail('unknown-version', `has version ${version}; this lab reads version ${experimentVersion}`);
  }
  const parsed = parseExperiment(value);
  return parsed.ok ? parsed : fail('invalid', `is not valid: ${parsed.error}`);
}

/**
 * Read an experiment from a full link, a `#e=…` hash or a bare payload. Never throws:
 * the result is the validated experiment with defaults filled, or an error kind with a
 * message that says what was wrong (and, for `invalid`, which field and why).
 */
export function decodeExperiment(hashOrLink: string): DecodeResult {
  if (typeof hashOrLink !== 'string') return fail('missing', 'There is no link to read.');
  try {
    return decode(hashOrLink);
  } catch (err) {
    // Not expected (every step above checks its input); kept so a page never breaks on a link.
    return fail(
      'invalid',
      `The link could not be read: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
}

/**
 * Controls a link can hide (`?hide=a,b`). The plots are always shown.
 * problem: problem picker and its parameters · reparam: the map θ = f(φ) and its
 * parameters · optimizers: adding, removing and choosing optimizers · hyper: their
 * hyper-parameter inputs · steps, seed, init: those fields (init: also dragging the
 * start point) · run: run / pause / step / reset · view: plot window, grid, speed ·
 * backend: the backend badge and picker · share: "Copy link" and export.
 */
export const controlNames = [
  'problem',
  'reparam',
  'optimizers',
  'hyper',
  'steps',
  'seed',
  'init',
  'run',
  'view',
  'backend',
  'share',
] as const;
export type ControlName = (typeof controlNames)[number];

export interface EmbedOptions {
  /** `?embed=1`: plots and run controls only, for slides and iframes. */
  embed: boolean;
  /** Controls to hide: with `embed`, every control but `run` (unless `hide` names it too). */
  hidden: ControlName[];
  /** Names in `hide=` that are not controls (the page may warn; they are otherwise ignored). */
  ignored: string[];
}

/** Read `embed` and `hide` from a query string (`?embed=1&hide=problem,seed`) or a full link. */
export function parseEmbedOptions(search: string): EmbedOptions {
  let query = search.split('#')[0] ?? '';
  const q = query.indexOf('?');
  if (q >= 0) query = query.slice(q + 1);
  else if (/[/:]/.test(query)) query = '';
  const params = new URLSearchParams(query);
  const flag = params.get('embed');
  const embed = flag !== null && ['', '1', 'true', 'yes'].includes(flag.toLowerCase());
  const names = params
    .getAll('hide')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v.length > 0);
  const known = new Set<string>(controlNames);
  const listed = [...new Set(names.filter((n) => known.has(n)))] as ControlName[];
  const ignored = [...new Set(names.filter((n) => !known.has(n)))];
  const hidden = embed ? controlNames.filter((n) => n !== 'run' || listed.includes('run')) : listed;
  return { embed, hidden, ignored };
}

/**
 * Fuzz: 10,000 seeded random and mutated inputs to decodeExperiment. None may throw;
 * each ends with a validated experiment or a message; every error kind is reached; and
 * the bounded length pre-scan agrees with lz-string wherever it accepts a payload.
 */
import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { makeRng, type Rng } from '../engine/random';
import { defaultExperiment, parseExperiment, type ExperimentInput } from '../engine/schema';
import { decodeExperiment, encodeExperiment, MAX_PAYLOAD_CHARS, type DecodeErrorKind } from './url';
import { lzDecodedLength } from './lz-bound';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const KEYS = [
  'version',
  'problem',
  'reparam',
  'optimizers',
  'steps',
  'seed',
  'init',
  'view',
  'id',
  'lr',
  'damping',
  'type',
  'value',
  'data',
  'window',
  'grid',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
];

const seeds: ExperimentInput[] = [
  defaultExperiment,
  {
    version: 1,
    problem: { id: 'tiny-net', noise: 0.1 },
    reparam: { id: 'cubic', a: 0.3 },
    optimizers: [
      { id: 'gd', lr: 0.05 },
      { id: 'ngd', lr: 0.1, damping: { type: 'lm', value: 1e-3 }, integrator: 'midpoint' },
    ],
    init: [0.4, 0.6],
    view: {
      window: [
        [-1, 3],
        [-1, 4],
      ],
      grid: 48,
      stepsPerFrame: 2,
    },
  },
  { version: 1, problem: { id: 'rosenbrock', b: 10 }, optimizers: [{ id: 'adam', lr: 0.01 }], steps: 50 },
];

const int = (rng: Rng, n: number): number => Math.floor(rng.next() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)] as T;

function randomString(rng: Rng, n: number, chars: string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += chars[int(rng, chars.length)];
  return s;
}

function randomUnicode(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(int(rng, rng.next() < 0.8 ? 128 : 0xffff));
  return s;
}

/** A random JSON value (as text, so `__proto__` keys survive), up to `depth` levels. */
function randomJson(rng: Rng, depth: number): string {
  const r = rng.next();
  if (depth <= 0 || r < 0.3) {
    return pick(rng, [
      '0',
      '1',
      '-1',
      '2',
      '1e308',
      '-1e-308',
      '0.5',
      'true',
      'false',
      'null',
      '""',
      '"gd"',
      '"gaussian-fit"',
      '"cubic"',
      '"x"',
      String(rng.normal(0, 1000)),
    ]);
  }
  if (r < 0.55) {
    return `[${Array.from({ length: int(rng, 4) }, () => randomJson(rng, depth - 1)).join(',')}]`;
  }
  const fields = Array.from(
    { length: int(rng, 5) },
    () => `${JSON.stringify(pick(rng, KEYS))}:${randomJson(rng, depth - 1)}`,
  );
  return `{${fields.join(',')}}`;
}

/** A valid experiment with one field replaced by a random value, deleted, or a key added. */
function mutatedExperiment(rng: Rng): string {
  const text = JSON.stringify(pick(rng, seeds));
  // Every `"key":value` site is a place to mutate; replace the value text after the colon.
  const sites = [...text.matchAll(/"([A-Za-z0-9_]+)":/g)];
  const site = pick(rng, sites);
  const at = (site.index ?? 0) + site[0].length;
  const rest = text.slice(at);
  const end = rest.search(/[,}\]]/);
  const value = randomJson(rng, 3);
  const mode = int(rng, 3);
  if (mode === 0) return text.slice(0, at) + value + rest.slice(Math.max(end, 0));
  if (mode === 1) return text.slice(0, at) + value + ',"' + pick(rng, KEYS) + '":' + rest;
  return text.replace('{', `{${JSON.stringify(pick(rng, KEYS))}:${value},`);
}

/** Flip one bit of one character's 6-bit value. */
function bitFlip(rng: Rng, payload: string): string {
  const i = int(rng, payload.length);
  const v = ALPHABET.indexOf(payload[i] as string) ^ (1 << int(rng, 6));
  return payload.slice(0, i) + ALPHABET[v] + payload.slice(i + 1);
}

function fuzzInput(rng: Rng, valid: readonly string[], huge: readonly string[]): string {
  const kind = int(rng, 100);
  if (kind < 15) return randomString(rng, int(rng, 200), ALPHABET);
  if (kind < 22) return randomUnicode(rng, int(rng, 100));
  if (kind < 35) return pick(rng, valid).slice(0, int(rng, pick(rng, valid).length + 1));
  if (kind < 55) {
    let p = pick(rng, valid);
    for (let k = 1 + int(rng, 3); k > 0; k--) p = bitFlip(rng, p);
    return p;
  }
  if (kind < 70) return LZString.compressToEncodedURIComponent(randomJson(rng, 4));
  if (kind < 92) return LZString.compressToEncodedURIComponent(mutatedExperiment(rng));
  if (kind < 93) return pick(rng, huge);
  const wrap = pick(rng, ['#e=', 'https://lab.example/?embed=1#e=', 'e=', '#x=1&e=', '#', '?e=']);
  return wrap + pick(rng, valid);
}

describe('decodeExperiment fuzz', () => {
  it('10,000 random and mutated payloads: nothing throws, each ends valid or with a message', () => {
    const rng = makeRng(20240917);
    const valid = seeds.map((s) => encodeExperiment(s));
    const huge = [
      randomString(rng, MAX_PAYLOAD_CHARS + 1 + int(rng, 5000), ALPHABET),
      LZString.compressToEncodedURIComponent('['.repeat(40000) + ']'.repeat(40000)),
      LZString.compressToEncodedURIComponent(
        JSON.stringify({ ...defaultExperiment, init: Array(9000).fill(1) }),
      ),
      'x'.repeat(200_000),
    ];
    const kinds = new Map<DecodeErrorKind | 'ok', number>();
    let prescanChecked = 0;
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) {
      const input = fuzzInput(rng, valid, huge);
      const got = decodeExperiment(input);
      if (got.ok) {
        expect(parseExperiment(got.experiment)).toEqual({ ok: true, experiment: got.experiment });
        kinds.set('ok', (kinds.get('ok') ?? 0) + 1);
      } else {
        expect(got.error.length, input).toBeGreaterThan(5);
        kinds.set(got.kind, (kinds.get(got.kind) ?? 0) + 1);
      }
      // Where the bounded pre-scan accepts a bare payload, lz-string must agree on its length.
      if (/^[A-Za-z0-9+\-$]+$/.test(input) && input.length <= MAX_PAYLOAD_CHARS) {
        const scan = lzDecodedLength(input, 1 << 20);
        if (scan.ok) {
          expect(LZString.decompressFromEncodedURIComponent(input).length).toBe(scan.length);
          prescanChecked += 1;
        }
      }
    }
    const ms = performance.now() - started;
    console.info(
      `fuzz outcomes ${JSON.stringify(Object.fromEntries(kinds))}; ` +
        `pre-scan checked ${prescanChecked}; ${ms.toFixed(0)} ms`,
    );
    for (const k of [
      'ok',
      'not-decompressible',
      'not-json',
      'invalid',
      'unknown-version',
      'too-large',
      'missing',
    ]) {
      expect(kinds.get(k as DecodeErrorKind) ?? 0, k).toBeGreaterThan(0);
    }
    expect(prescanChecked).toBeGreaterThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { optimizers } from '../engine/optimizers';
import type { OptimizerId } from '../engine/optimizers/ids';
import { defaultExperiment, parseExperiment, type ExperimentInput } from '../engine/schema';
import {
  MAX_JSON_CHARS,
  MAX_PAYLOAD_CHARS,
  controlNames,
  decodeExperiment,
  encodeExperiment,
  experimentHash,
  parseEmbedOptions,
} from './url';

const z = (s: string): string => LZString.compressToEncodedURIComponent(s);

/** The validated, default-filled form, for comparing round trips. */
function filled(input: unknown) {
  const r = parseExperiment(input);
  if (!r.ok) throw new Error(r.error);
  return r.experiment;
}

/** Every optimizer the registry implements now, each with hyper-parameters set. */
function everyOptimizer(): ExperimentInput {
  const ids = Object.keys(optimizers) as OptimizerId[];
  return {
    version: 1,
    problem: { id: 'tiny-net', n: 24, noise: 0.1 },
    optimizers: ids.map((id, i) => ({
      id,
      lr: 0.01 * (i + 1),
      momentum: 0.8,
      beta1: 0.85,
      beta2: 0.99,
      eps: 1e-6,
      damping: i % 2 ? { type: 'lm', value: 1e-3, adaptive: true } : { type: 'trust-region', value: 0.5 },
      integrator: i % 2 ? 'midpoint' : 'euler',
      cgIters: 5,
      cgTol: 2.5e-5,
      decay: 0.9,
      inversePeriod: 3,
      fisher: 'sampled',
    })),
    steps: 321,
    seed: 7,
  };
}

/** A typical shared figure: a nonlinear map, four optimizers, a start point and a view. */
const typical: ExperimentInput = {
  version: 1,
  problem: { id: 'tiny-net', teacher: [1, 2], noise: 0.05 },
  reparam: { id: 'cubic', a: 0.3, coords: [0, 1] },
  optimizers: [
    { id: 'gd', lr: 0.05, color: '#1f77b4' },
    { id: 'momentum', lr: 0.02, momentum: 0.9 },
    { id: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999 },
    { id: 'ngd', lr: 0.05, damping: { type: 'lm', value: 0.001 }, integrator: 'midpoint' },
  ],
  steps: 400,
  seed: 3,
  init: [0.4, 0.6],
  view: {
    window: [
      [-1, 3],
      [-1, 4],
    ],
    grid: 96,
    stepsPerFrame: 4,
  },
};

const scenes: Record<string, ExperimentInput> = {
  default: defaultExperiment,
  'every implemented optimizer': everyOptimizer(),
  'reparam with parameters': { ...defaultExperiment, reparam: { id: 'cubic', a: 0.5, coords: [1] } },
  'init and view': {
    ...defaultExperiment,
    init: [0.25, 1.5],
    view: {
      window: [
        [-2, 2],
        [0.1, 3],
      ],
      grid: 32,
      stepsPerFrame: 10,
    },
  },
  'inline data': {
    version: 1,
    problem: { id: 'gaussian-fit', data: [0.5, 1.25, 2, -0.75, 1e-7, 3.14159] },
    optimizers: [{ id: 'gd', lr: 0.3, damping: { type: 'none', value: 0 } }],
  },
  typical,
};

describe('encodeExperiment / decodeExperiment round trip', () => {
  for (const [name, scene] of Object.entries(scenes)) {
    it(`restores "${name}" from the payload, the hash and the full link`, () => {
      const payload = encodeExperiment(scene);
      expect(payload).toMatch(/^[A-Za-z0-9+\-$]+$/);
      const want = filled(scene);
      for (const form of [payload, `#e=${payload}`, `https://lab.example/reparam/?embed=1#e=${payload}`]) {
        const got = decodeExperiment(form);
        expect(got).toEqual({ ok: true, experiment: want });
      }
    });
  }

  it('keeps every implemented optimizer id in the link', () => {
    const got = decodeExperiment(encodeExperiment(everyOptimizer()));
    expect(got.ok && got.experiment.optimizers.map((o) => o.id)).toEqual(Object.keys(optimizers));
  });

  it('survives the ways links get mangled: spaces for +, percent-encoding, surrounding blanks', () => {
    const payload = encodeExperiment(typical);
    const want = filled(typical);
    const mangled = [
      payload.replace(/\+/g, ' '),
      `https://lab.example/#e=${encodeURIComponent(payload)}`,
      `  #e=${payload}\n`,
      `https://lab.example/#other=1&e=${payload}`,
    ];
    for (const m of mangled) expect(decodeExperiment(m)).toEqual({ ok: true, experiment: want });
  });

  it('drops default-valued fields, so a typical link stays under 1,000 characters', () => {
    const link = `https://lab.example/reparam-lab/${experimentHash(typical)}`;
    const unstripped = z(JSON.stringify(filled(typical)));
    const defaultLink = `https://lab.example/reparam-lab/${experimentHash(defaultExperiment)}`;
    console.info(
      `link lengths: typical ${link.length} ` +
        `(payload without dropping defaults ${unstripped.length}, ` +
        `with ${encodeExperiment(typical).length}); default ${defaultLink.length}; ` +
        `every optimizer ${encodeExperiment(everyOptimizer()).length} (payload)`,
    );
    expect(link.length).toBeLessThan(1000);
    expect(encodeExperiment(typical).length).toBeLessThan(unstripped.length);
    const json = LZString.decompressFromEncodedURIComponent(encodeExperiment(defaultExperiment));
    expect(JSON.parse(json)).not.toHaveProperty('view');
    expect(JSON.parse(json)).not.toHaveProperty('steps');
  });

  it('leaves suggested hyper-parameters out of the link and keeps explicit ones', () => {
    const input: ExperimentInput = {
      version: 1,
      problem: { id: 'mlp' },
      optimizers: [{ id: 'kfac', lr: 0.123, damping: { type: 'none', value: 0 } }, { id: 'kfac' }],
    };
    const json = JSON.parse(LZString.decompressFromEncodedURIComponent(encodeExperiment(input))) as {
      optimizers: Record<string, unknown>[];
    };
    // damping.value 0 is its default, so it goes too.
    expect(json.optimizers).toEqual([{ id: 'kfac', lr: 0.123, damping: { type: 'none' } }, { id: 'kfac' }]);
    const back = decodeExperiment(experimentHash(input));
    expect(back.ok && back.experiment.optimizers[0]).toEqual(input.optimizers[0]);
    // The left-out entry reads back with the problem's suggestion filled, as parsing fills it.
    expect(back.ok && back.experiment).toEqual(filled(input));
  });

  it('is bit-exact for numbers (no rounding in the link)', () => {
    const exp = { ...defaultExperiment, init: [0.1 + 0.2, Math.PI / 7], seed: 2 ** 31 };
    const got = decodeExperiment(encodeExperiment(exp));
    expect(got.ok && got.experiment.init).toEqual([0.1 + 0.2, Math.PI / 7]);
  });
});

describe('decodeExperiment errors', () => {
  const valid = JSON.stringify(defaultExperiment);
  // A cut payload may end mid-code (not decompressible) or decode to cut JSON (not JSON).
  const cases: [string, string, RegExp, RegExp][] = [
    ['a character outside the alphabet', 'N4Ig!!bg', /^not-decompressible$/, /character/],
    ['a truncated payload', encodeExperiment(typical).slice(0, 40), /^not-(decompressible|json)$/, /damaged/],
    ['an empty hash', '#e=', /^missing$/, /no experiment/],
    ['a link without #e=', 'https://lab.example/?embed=1', /^missing$/, /no experiment/],
    ['text that is not JSON', z('{"version": 1, "problem"'), /^not-json$/, /not JSON/],
    [
      'a failing field',
      z(valid.replace('"gaussian-fit"}', '"gaussian-fit","n":-5}')),
      /^invalid$/,
      /problem\.n/,
    ],
    ['a wrong optimizer id', z(valid.replace('"gd"', '"sgd"')), /^invalid$/, /optimizers\.0\.id/],
    ['another version', z(valid.replace('"version":1', '"version":2')), /^unknown-version$/, /version 2/],
    [
      'a reserved key',
      z(valid.replace('{"id":"gd"', '{"__proto__":{"lr":1},"id":"gd"')),
      /^invalid$/,
      /__proto__/,
    ],
    ['JSON nested absurdly deep', z(`${'['.repeat(5000)}${']'.repeat(5000)}`), /^invalid$/, /deep/],
    ['an oversized payload', 'A'.repeat(MAX_PAYLOAD_CHARS + 1), /^too-large$/, /payload/],
    ['a decompression bomb', z(' '.repeat(MAX_JSON_CHARS * 4)), /^too-large$/, /decompress/],
  ];
  for (const [name, input, kind, message] of cases) {
    it(`names ${name}`, () => {
      const got = decodeExperiment(input);
      expect(got.ok).toBe(false);
      if (got.ok) return;
      expect(got.kind).toMatch(kind);
      expect(got.error).toMatch(message);
    });
  }
});

describe('parseEmbedOptions', () => {
  it('shows everything by default', () => {
    expect(parseEmbedOptions('')).toEqual({ embed: false, hidden: [], ignored: [] });
  });

  it('embed=1 hides every control except the run controls', () => {
    const got = parseEmbedOptions('?embed=1');
    expect(got.embed).toBe(true);
    expect(got.hidden).not.toContain('run');
    expect([...got.hidden, 'run'].sort()).toEqual([...controlNames].sort());
  });

  it('hide= takes a comma list (or repeats), and reports names it does not know', () => {
    const got = parseEmbedOptions('https://lab.example/?hide=problem,reparam&hide=seed,%20bogus#e=abc');
    expect(got).toEqual({ embed: false, hidden: ['problem', 'reparam', 'seed'], ignored: ['bogus'] });
    expect(parseEmbedOptions('embed=0&hide=run').hidden).toEqual(['run']);
    expect(parseEmbedOptions('?embed=1&hide=run').hidden).toContain('run');
  });
});

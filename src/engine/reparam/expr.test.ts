import { describe, expect, it } from 'vitest';
import { makeRng } from '../random';
import { tf } from '../tf';
import { compile64 } from './expr-compile';
import { derivative } from './expr-diff';
import { parseExpr, MAX_LENGTH } from './expr-parse';
import { compileCustom } from './custom';
import { ReparamError } from './reparam';

const value = (src: string, phi: number[]): number => compile64(parseExpr(src, phi.length, 'θ1'))(phi);

describe('custom expression grammar', () => {
  it.each([
    ['-p1^2', -9],
    ['(-p1)^2', 9],
    ['-2^2', -4],
    ['2*-p1^2', -18],
    ['2^3^2', 512],
    ['p1**2', 9],
    ['2^-1', 0.5],
    ['p1 - p2 - 1', 0],
    ['p1 / p2 / 2', 0.75],
    ['+p1 * --p2', 6],
    ['pi + e', Math.PI + Math.E],
    ['1.5e1 + .5', 15.5],
    ['sqrt(p1^2 + p2^2 + 12)', 5],
    ['softplus(0) - log(2)', 0],
    ['sigmoid(0) + tanh(0) + sinh(0) + cosh(0) + sin(0) + cos(0) + exp(0)', 3.5],
  ])('%s at (p1, p2) = (3, 2) is %d', (src, expected) => {
    expect(value(src, [3, 2])).toBeCloseTo(expected, 12);
  });

  it('symbolic derivatives match finite differences for every function and operator', () => {
    const src =
      'sin(p1)*cos(p2) + exp(p1/3) - log(2 + p2^2) + sqrt(1 + p1^2) + tanh(p1*p2) + sinh(p2/2)' +
      ' + cosh(p1/2) + softplus(p1 - p2) + sigmoid(p2) + 2^p1 + (1 + p1^2)^(p2/3) + p1/(2 + p2^2) - -p2^3';
    const tree = parseExpr(src, 2, 'θ1');
    const f = compile64(tree);
    const rng = makeRng(1);
    let worst = 0;
    for (let n = 0; n < 20; n++) {
      const phi = [rng.uniform(-2, 2), rng.uniform(-2, 2)];
      for (let k = 0; k < 2; k++) {
        const h = 1e-6;
        const up = f(phi.map((v, i) => (i === k ? v + h : v)));
        const dn = f(phi.map((v, i) => (i === k ? v - h : v)));
        const d = compile64(derivative(tree, k))(phi);
        worst = Math.max(worst, Math.abs(d - (up - dn) / (2 * h)) / (1 + Math.abs(d)));
      }
    }
    expect(worst).toBeLessThan(1e-7);
  });
});

/** Strings that must be rejected, with (part of) the message that names the reason. */
const hostile: [string, RegExp][] = [
  ['p1*q', /unknown name 'q'/],
  ['p3', /unknown name 'p3' \(φ has 2 coordinates/],
  ['p0', /unknown name 'p0'/],
  ['constructor', /unknown name 'constructor'/],
  ['__proto__', /unknown name '__proto__'/],
  ['toString', /unknown name 'toString'/],
  ['p1.constructor', /member access/],
  ['sin.constructor("return 1")()', /character '"'/],
  ['p1["constructor"]', /character '\['/],
  ['this', /ThisExpression is not allowed/],
  ['x => x', /character '='/],
  ['(x) => x', /character '='/],
  ['function(){return 1}', /character '\{'/],
  ['"abc"', /character '"'/],
  ["'a'", /character '''/],
  ['`p1`', /character '`'/],
  ['[1, 2]', /character '\['/],
  ['abs(p1)', /abs is not smooth/],
  ['tan(p1)', /unknown function 'tan'/],
  ['Math.sin(p1)', /only named functions can be called/],
  ['alert(1)', /unknown function 'alert'/],
  ['eval(p1)', /unknown function 'eval'/],
  ['sin(p1, p2)', /sin takes one argument \(got 2\)/],
  ['sin()', /sin takes one argument \(got 0\)/],
  ['sin', /sin is a function/],
  ['pi(1)', /unknown function 'pi'/],
  ['p1, p2', /one expression per coordinate/],
  ['p1 ? p2 : p1', /character '\?'/],
  ['p1 == p2', /character '='/],
  ['p1 || p2', /character '\|'/],
  ['p1 % 2', /character '%'/],
  ['!p1', /character '!'/],
  ['~p1', /character '~'/],
  ['p1 + é', /character 'é'/],
  ['ρ', /character 'ρ'/],
  ['p1;p2', /character ';'/],
  ['p1\n+ p2', /character '\n'/],
  ['\u0000', /character/],
  ['1'.repeat(MAX_LENGTH + 1), /too long \(501 characters/],
  ['('.repeat(60) + 'p1' + ')'.repeat(60), /nested deeper than 40/],
  ['sin('.repeat(45) + 'p1' + ')'.repeat(45), /nested deeper than 40/],
  ['p1 +', /does not parse/],
  ['()', /does not parse \(empty parentheses/],
  ['(p1', /does not parse/],
  ['', /empty expression/],
  ['   ', /empty expression/],
  ['1e999', /is not a number/],
  ['true', /literal true is not a number/],
  ['null', /literal null is not a number/],
  ['NaN', /unknown name 'NaN'/],
  ['Infinity', /unknown name 'Infinity'/],
  ['process.exit(1)', /only named functions/],
  ['globalThis', /unknown name 'globalThis'/],
  ['new Function', /one expression per coordinate/],
];

describe('hostile input is rejected without running anything', () => {
  it.each(hostile)('%j', (src, message) => {
    expect(() => parseExpr(src, 2, 'θ2 = …')).toThrow(ReparamError);
    expect(() => parseExpr(src, 2, 'θ2 = …')).toThrow(message);
  });

  it('fuzz: 400 generated strings are accepted or rejected with a ReparamError, never anything else', () => {
    const tokens = [
      'p1',
      'p2',
      'p3',
      'q',
      'sin',
      'abs',
      'exp',
      'log',
      'sqrt',
      'tanh',
      '(',
      '(',
      ')',
      ')',
      '+',
      '-',
      '*',
      '/',
      '^',
      '**',
      '.',
      ',',
      '1',
      '2.5',
      '1e308',
      '0',
      'e',
      'pi',
      'constructor',
      '__proto__',
      'prototype',
      '[',
      ']',
      '"',
      '=>',
      '{',
      '}',
      ' ',
      'this',
      'é',
    ];
    const rng = makeRng(2024);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T;
    // Half token soup, half well-formed expressions with a hostile token spliced in half the time.
    const wellFormed = (depth: number): string => {
      const r = rng.next();
      if (depth === 0 || r < 0.25) return pick(['p1', 'p2', '0.5', '2', 'pi', 'e']);
      if (r < 0.5)
        return `${pick(['sin', 'cos', 'exp', 'tanh', 'softplus', 'sigmoid', 'sinh'])}(${wellFormed(depth - 1)})`;
      if (r < 0.6) return `-${wellFormed(depth - 1)}`;
      return `(${wellFormed(depth - 1)} ${pick(['+', '-', '*', '/', '^'])} ${wellFormed(depth - 1)})`;
    };
    const generate = (n: number): string => {
      if (n % 2 === 0)
        return Array.from({ length: 1 + Math.floor(rng.next() * 25) }, () => pick(tokens)).join('');
      const src = wellFormed(4);
      if (rng.next() < 0.5) return src;
      const at = Math.floor(rng.next() * (src.length + 1));
      return src.slice(0, at) + pick(tokens) + src.slice(at);
    };
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).length;
    const counts = { accepted: 0, rejected: 0 };
    for (let n = 0; n < 400; n++) {
      const src = generate(n);
      try {
        const map = compileCustom([src, 'p2'], 2);
        map.forward64([0.5, -0.5]);
        map.jacobian64([0.5, -0.5]);
        tf.tidy(() => map.forward(tf.tensor2d([[0.5, -0.5]])));
        counts.accepted++;
      } catch (err) {
        if (!(err instanceof ReparamError))
          throw new Error(`"${src}" escaped with ${String(err)}`, { cause: err });
        counts.rejected++;
      }
    }
    console.log(`fuzz: ${counts.accepted} accepted, ${counts.rejected} rejected`);
    expect(counts.accepted + counts.rejected).toBe(400);
    expect(counts.accepted).toBeGreaterThan(50); // the generator does make valid expressions too
    expect(Object.getOwnPropertyNames(Object.prototype).length).toBe(protoKeys);
  });
});

/**
 * Safe parsing of custom map expressions ("p1 + 0.3*p1^3"). jsep turns the text into a
 * syntax tree; nothing is ever evaluated by JavaScript (no eval, no new Function). The
 * tree is checked against a whitelist and rebuilt as `Expr`, a small closed type that
 * the compilers in expr-compile.ts understand. Everything else is rejected with a
 * message: unknown names, member access, strings, arrays, calls of other functions.
 *
 * Grammar: numbers, p1..pP (φ), the constants pi and e, + − * / and ^ (power, right
 * associative, binding tighter than unary minus: −p1^2 = −(p1²)), unary ±, and the
 * one-argument smooth functions listed in `functions`.
 */
import jsep from 'jsep';
import { ReparamError } from './reparam';

/** Smooth functions a custom expression may call (abs is not smooth, so it is not here). */
export const functions = [
  'sin',
  'cos',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'sinh',
  'cosh',
  'softplus',
  'sigmoid',
] as const;
export type Fn = (typeof functions)[number];

export type BinaryOp = '+' | '-' | '*' | '/' | '^';

/** A checked expression over φ (var index is 0-based: p1 is index 0). */
export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'var'; index: number }
  | { kind: 'neg'; arg: Expr }
  | { kind: 'bin'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; fn: Fn; arg: Expr };

/** Longest accepted expression, and deepest accepted nesting. */
export const MAX_LENGTH = 500;
export const MAX_DEPTH = 40;

const PAREN = 'Paren';
let configured = false;

/** Configure jsep once: ^ as right-associative power; parentheses kept as nodes. */
function configure(): void {
  if (configured) return;
  configured = true;
  jsep.addBinaryOp('^', 11, true); // same precedence as **, above * and /
  // Keep "(…)" visible so that −p1^2 and (−p1)^2 can be told apart.
  jsep.hooks.add('gobble-token', function (env) {
    if (this.code !== 40) return;
    const inner = this.gobbleGroup() as jsep.Expression | false;
    if (!inner) this.throwError('empty parentheses');
    env.node = { type: PAREN, expression: inner };
  });
}

const isFn = (name: string): name is Fn => (functions as readonly string[]).includes(name);

type Node = jsep.Expression;

/** Parse one expression in P variables; `where` prefixes messages (e.g. "θ2 = p1*q"). */
export function parseExpr(source: string, P: number, where: string): Expr {
  const fail = (why: string): never => {
    throw new ReparamError(`${where}: ${why}`);
  };
  if (typeof source !== 'string') fail('expected a string');
  if (source.length > MAX_LENGTH) fail(`too long (${source.length} characters, at most ${MAX_LENGTH})`);
  if (source.trim() === '') fail('empty expression');
  const bad = /[^A-Za-z0-9_.+\-*/^(), \t]/.exec(source);
  if (bad) fail(`character '${bad[0]}' is not allowed`);
  configure();
  let tree: Node;
  try {
    tree = jsep(source);
  } catch (err) {
    return fail(`does not parse (${err instanceof Error ? err.message : 'syntax error'})`);
  }

  const convert = (node: Node, depth: number): Expr => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const sub = (n: unknown): Expr => convert(n as Node, depth + 1);
    switch (node.type) {
      case PAREN:
        return sub(node.expression);
      case 'Literal': {
        const v = node.value;
        if (typeof v !== 'number' || !Number.isFinite(v)) fail(`literal ${String(node.raw)} is not a number`);
        return { kind: 'num', value: v as number };
      }
      case 'Identifier':
        return identifier(String(node.name), P, fail);
      case 'UnaryExpression': {
        const op = String(node.operator);
        if (op === '-') return { kind: 'neg', arg: sub(node.argument) };
        if (op === '+') return sub(node.argument);
        return fail(`operator '${op}' is not allowed`);
      }
      case 'BinaryExpression': {
        const op = String(node.operator) === '**' ? '^' : String(node.operator);
        const left = node.left as Node;
        // jsep binds unary minus tighter than ^; mathematics does not: −x^y = −(x^y).
        if (op === '^' && left.type === 'UnaryExpression') {
          const lifted = { type: 'BinaryExpression', operator: '^', left: left.argument, right: node.right };
          return convert({ type: 'UnaryExpression', operator: left.operator, argument: lifted }, depth);
        }
        if (!['+', '-', '*', '/', '^'].includes(op)) fail(`operator '${op}' is not allowed`);
        return { kind: 'bin', op: op as BinaryOp, left: sub(left), right: sub(node.right) };
      }
      case 'CallExpression': {
        const callee = node.callee as Node;
        const name = callee.type === 'Identifier' ? String(callee.name) : null;
        if (name === null) return fail('only named functions can be called');
        if (name === 'abs') fail(`abs is not smooth; use e.g. sqrt(x^2 + 1e-6) or softplus`);
        if (!isFn(name)) fail(`unknown function '${name}' (allowed: ${functions.join(', ')})`);
        const args = node.arguments as Node[];
        if (args.length !== 1) fail(`${name} takes one argument (got ${args.length})`);
        return { kind: 'call', fn: name as Fn, arg: sub(args[0]) };
      }
      case 'MemberExpression':
        return fail("member access ('.' or '[…]') is not allowed");
      case 'Compound':
      case 'SequenceExpression':
        return fail('one expression per coordinate (no commas)');
      default:
        return fail(`${node.type} is not allowed`);
    }
  };
  return convert(tree, 0);
}

function identifier(name: string, P: number, fail: (why: string) => never): Expr {
  const m = /^p([1-9][0-9]*)$/.exec(name);
  if (m) {
    const k = Number(m[1]);
    if (k > P) fail(`unknown name '${name}' (φ has ${P} coordinates: p1..p${P})`);
    return { kind: 'var', index: k - 1 };
  }
  if (name === 'pi') return { kind: 'num', value: Math.PI };
  if (name === 'e') return { kind: 'num', value: Math.E };
  if (isFn(name)) fail(`${name} is a function: write ${name}(…)`);
  return fail(`unknown name '${name}' (use p1..p${P}, pi, e)`);
}

/**
 * Symbolic differentiation of custom expressions: ∂e/∂p_k as another `Expr`, so the
 * Jacobian of a custom map is exact (no finite differences). Smart constructors fold
 * constants and drop 0 and 1 so the derivative trees stay small; a product of two
 * constants is folded into one number (c·(n·u) -> (c·n)·u), which is also the order in
 * which library maps write their derivatives (e.g. cubic: 1 + 3a·φ²).
 */
import type { BinaryOp, Expr, Fn } from './expr-parse';

const num = (value: number): Expr => ({ kind: 'num', value });
const isNum = (e: Expr, v?: number): boolean => e.kind === 'num' && (v === undefined || e.value === v);
const val = (e: Expr): number => (e.kind === 'num' ? e.value : NaN);

function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'bin', op, left, right };
}

export function add(a: Expr, b: Expr): Expr {
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (isNum(a) && isNum(b)) return num(val(a) + val(b));
  return bin('+', a, b);
}

export function sub(a: Expr, b: Expr): Expr {
  if (isNum(b, 0)) return a;
  if (isNum(a, 0)) return neg(b);
  if (isNum(a) && isNum(b)) return num(val(a) - val(b));
  return bin('-', a, b);
}

export function mul(a: Expr, b: Expr): Expr {
  if (isNum(a, 0) || isNum(b, 0)) return num(0);
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (isNum(a) && isNum(b)) return num(val(a) * val(b));
  if (isNum(b)) return mul(b, a); // constants first
  if (isNum(a) && b.kind === 'bin' && b.op === '*' && isNum(b.left))
    return mul(num(val(a) * val(b.left)), b.right);
  return bin('*', a, b);
}

export function div(a: Expr, b: Expr): Expr {
  if (isNum(a, 0)) return num(0);
  if (isNum(b, 1)) return a;
  if (isNum(a) && isNum(b)) return num(val(a) / val(b));
  return bin('/', a, b);
}

export function pow(a: Expr, b: Expr): Expr {
  if (isNum(b, 0)) return num(1);
  if (isNum(b, 1)) return a;
  if (isNum(a) && isNum(b)) return num(val(a) ** val(b));
  return bin('^', a, b);
}

export function neg(a: Expr): Expr {
  if (isNum(a)) return num(-val(a));
  if (a.kind === 'neg') return a.arg;
  return { kind: 'neg', arg: a };
}

const call = (fn: Fn, arg: Expr): Expr => ({ kind: 'call', fn, arg });

/** True when e contains no variable (a constant expression). */
export function isConstant(e: Expr): boolean {
  switch (e.kind) {
    case 'num':
      return true;
    case 'var':
      return false;
    case 'neg':
    case 'call':
      return isConstant(e.arg);
    case 'bin':
      return isConstant(e.left) && isConstant(e.right);
  }
}

/** f'(u) for each function, as an expression in u. */
function outer(fn: Fn, u: Expr): Expr {
  switch (fn) {
    case 'sin':
      return call('cos', u);
    case 'cos':
      return neg(call('sin', u));
    case 'exp':
      return call('exp', u);
    case 'log':
      return div(num(1), u);
    case 'sqrt':
      return div(num(0.5), call('sqrt', u));
    case 'tanh':
      return sub(num(1), pow(call('tanh', u), num(2)));
    case 'sinh':
      return call('cosh', u);
    case 'cosh':
      return call('sinh', u);
    case 'softplus':
      return call('sigmoid', u);
    case 'sigmoid':
      return mul(call('sigmoid', u), call('sigmoid', neg(u)));
  }
}

/** ∂e/∂p_{k+1} (k is the 0-based variable index). */
export function derivative(e: Expr, k: number): Expr {
  const d = (x: Expr): Expr => derivative(x, k);
  switch (e.kind) {
    case 'num':
      return num(0);
    case 'var':
      return num(e.index === k ? 1 : 0);
    case 'neg':
      return neg(d(e.arg));
    case 'call':
      return mul(outer(e.fn, e.arg), d(e.arg));
    case 'bin': {
      const { left: a, right: b } = e;
      switch (e.op) {
        case '+':
          return add(d(a), d(b));
        case '-':
          return sub(d(a), d(b));
        case '*':
          return add(mul(d(a), b), mul(a, d(b)));
        case '/':
          return isConstant(b) ? div(d(a), b) : div(sub(mul(d(a), b), mul(a, d(b))), pow(b, num(2)));
        case '^':
          if (isConstant(b)) return mul(mul(b, pow(a, sub(b, num(1)))), d(a));
          // a^b = exp(b log a): (a^b)(b' log a + b a'/a)
          return mul(e, add(mul(d(b), call('log', a)), div(mul(b, d(a)), a)));
      }
    }
  }
}

/**
 * Compile a checked `Expr` (expr-parse.ts) into (a) a float64 function of φ and (b) a
 * tensor function of φ's columns built from tfjs ops and ops.ts (twice differentiable,
 * so gradients, Hessian-vector products and nested tf.grad flow through custom maps).
 * Compilation walks the closed `Expr` type only: no code is generated or evaluated.
 */
import { cos, cosh, exp, log, sigmoid, sin, sinh, softplus, tanh } from '../ops';
import { tf, type Tensor } from '../tf';
import { isConstant } from './expr-diff';
import type { Expr, Fn } from './expr-parse';

type F64 = (phi: readonly number[]) => number;
type FT = (cols: readonly Tensor[]) => Tensor;

const softplus64 = (x: number): number => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

const fn64: Record<Fn, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  softplus: softplus64,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

// tf.sqrt's gradient is written from its input with differentiable ops (checked under
// nested tf.grad in custom.test.ts); the others come from ops.ts.
const fnT: Record<Fn, (x: Tensor) => Tensor> = {
  sin,
  cos,
  exp,
  log,
  sqrt: (x) => tf.sqrt(x),
  tanh,
  sinh,
  cosh,
  softplus,
  sigmoid,
};

/** e as a float64 function of φ. */
export function compile64(e: Expr): F64 {
  switch (e.kind) {
    case 'num': {
      const v = e.value;
      return () => v;
    }
    case 'var': {
      const i = e.index;
      return (phi) => phi[i] as number;
    }
    case 'neg': {
      const a = compile64(e.arg);
      return (phi) => -a(phi);
    }
    case 'call': {
      const [f, a] = [fn64[e.fn], compile64(e.arg)];
      return (phi) => f(a(phi));
    }
    case 'bin': {
      const [a, b] = [compile64(e.left), compile64(e.right)];
      switch (e.op) {
        case '+':
          return (phi) => a(phi) + b(phi);
        case '-':
          return (phi) => a(phi) - b(phi);
        case '*':
          return (phi) => a(phi) * b(phi);
        case '/':
          return (phi) => a(phi) / b(phi);
        case '^':
          return (phi) => a(phi) ** b(phi);
      }
    }
  }
}

/** e as a tensor function of φ's columns (each [B, 1]); the result broadcasts to [B, 1]. */
export function compileTensor(e: Expr): FT {
  switch (e.kind) {
    case 'num': {
      const v = e.value;
      return () => tf.scalar(v);
    }
    case 'var': {
      const i = e.index;
      return (cols) => cols[i] as Tensor;
    }
    case 'neg': {
      const a = compileTensor(e.arg);
      return (cols) => tf.neg(a(cols));
    }
    case 'call': {
      const [f, a] = [fnT[e.fn], compileTensor(e.arg)];
      return (cols) => f(a(cols));
    }
    case 'bin': {
      const [a, b] = [compileTensor(e.left), compileTensor(e.right)];
      switch (e.op) {
        case '+':
          return (cols) => tf.add(a(cols), b(cols));
        case '-':
          return (cols) => tf.sub(a(cols), b(cols));
        case '*':
          return (cols) => tf.mul(a(cols), b(cols));
        case '/':
          return (cols) => tf.div(a(cols), b(cols));
        case '^':
          // A constant exponent keeps negative bases valid (x^3); otherwise a^b = exp(b log a), a > 0.
          if (isConstant(e.right)) return (cols) => tf.pow(a(cols), b(cols));
          return (cols) => exp(tf.mul(b(cols), log(a(cols))));
      }
    }
  }
}

/** `identity`: θ = φ. */
import { tf } from '../tf';
import type { Reparam } from './reparam';
import { identityParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { identityParams };

export function identity(P: number): Reparam {
  return {
    id: 'identity',
    P,
    Q: P,
    affine: true,
    // A copy, so that a caller may dispose the result without disposing its input.
    forward: (phi) => tf.clone(phi),
    forward64: (phi) => [...phi],
    inverse64: (theta) => [...theta],
    jacobian64: () =>
      Array.from({ length: P }, (_, i) => Array.from({ length: P }, (_, j) => (i === j ? 1 : 0))),
    domainError: () => null,
  };
}

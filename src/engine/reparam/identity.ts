/** `identity`: θ = φ. */
import type { Reparam } from './reparam';

export function identity(P: number): Reparam {
  return {
    id: 'identity',
    P,
    affine: true,
    forward: (phi) => phi,
    forward64: (phi) => [...phi],
    inverse64: (theta) => [...theta],
    jacobian64: () =>
      Array.from({ length: P }, (_, i) => Array.from({ length: P }, (_, j) => (i === j ? 1 : 0))),
    domainError: () => null,
  };
}

/**
 * The parameter blocks a problem declares (docs/theory.md §9.1): one per dense layer for a
 * network — the layer's weights and bias together, [W; b] — and otherwise one block
 * holding every coordinate. `block-fisher` keeps the Fisher on these blocks and
 * `block-mixing` mixes coordinates within them. Plain data, tf-free.
 */
import type { DenseLayer } from './problem';

/** Coordinates [offset, offset + size) of θ. */
export interface ParamBlock {
  offset: number;
  size: number;
}

/** How the blocks are chosen: the layers, one block, or the layers when there are any. */
export type BlockMode = 'auto' | 'layers' | 'one';

/** The layer blocks of P coordinates laid out layer by layer, or null when there are none. */
export function layerParamBlocks(
  layers: readonly DenseLayer[] | null | undefined,
  P: number,
): ParamBlock[] | null {
  if (!layers || layers.length === 0) return null;
  let offset = 0;
  const blocks = layers.map((l) => {
    const b = { offset, size: (l.inputs + 1) * l.outputs };
    offset += b.size;
    return b;
  });
  return offset === P ? blocks : null;
}

/**
 * The blocks for `mode`; throws (with a message for the `blocks` field) when `layers` is
 * asked of P coordinates that are not a network's layers.
 */
export function paramBlocks(
  layers: readonly DenseLayer[] | null | undefined,
  P: number,
  mode: BlockMode,
): ParamBlock[] {
  const one = [{ offset: 0, size: P }];
  if (mode === 'one') return one;
  const byLayer = layerParamBlocks(layers, P);
  if (byLayer) return byLayer;
  if (mode === 'layers') {
    throw new Error(
      layers && layers.length
        ? `blocks: "layers" needs the ${P} coordinates to be the network's [W; b] layer by layer`
        : 'blocks: "layers" needs a network problem (this problem declares no layers); use "one" or "auto"',
    );
  }
  return one;
}

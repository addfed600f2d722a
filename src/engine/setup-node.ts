/**
 * Node entry for the engine (tests, command line, benchmark). `@tensorflow/tfjs`'s Node
 * bundle registers every gradient and the cpu backend on the same tfjs-core instance the
 * engine imports; the ESM build of tfjs-core cannot be deep-imported by Node.
 */
import '@tensorflow/tfjs';
import { tf } from './tf';

/** Backends the engine can use in Node. */
export type NodeBackend = 'cpu' | 'wasm';

let quiet = false;

/** Select a backend in Node; resolves to the backend actually running. */
export async function setupNode(backend: NodeBackend = 'cpu'): Promise<NodeBackend> {
  if (!quiet) {
    // tfjs prints an advert for tfjs-node (which cannot be installed here) on first use.
    tf.env().set('IS_NODE', true);
    quiet = true;
  }
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend "${backend}" could not start in Node`);
  await tf.ready();
  return backend;
}

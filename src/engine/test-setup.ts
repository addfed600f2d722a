/** Vitest setup: every unit test runs the engine on the cpu backend in Node. */
import { setupNode } from './setup-node';

await setupNode('cpu');

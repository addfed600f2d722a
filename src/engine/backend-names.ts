/** The tfjs backends the lab can run on, in the order the automatic choice tries them. */
export const backendNames = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof backendNames)[number];

/**
 * Whether an experiment still fits in a shared link (link/url.ts refuses links whose
 * payload or decompressed JSON is over 64 KB). Inline data can exceed that: the page
 * then says so instead of copying a link that would not open.
 */
import type { Experiment } from '../../engine/page';
import { compactExperiment } from '../../link/compact';
import { encodeExperiment, MAX_JSON_CHARS, MAX_PAYLOAD_CHARS } from '../../link/url';

/** Size of the link's experiment in KB (the larger of payload and JSON) and whether a link can carry it. */
export function linkSize(experiment: Experiment): { kb: number; fits: boolean } {
  const json = JSON.stringify(compactExperiment(experiment)).length;
  const payload = encodeExperiment(experiment).length;
  return {
    kb: Math.ceil(Math.max(json, payload) / 1024),
    fits: json <= MAX_JSON_CHARS && payload <= MAX_PAYLOAD_CHARS,
  };
}

/**
 * Which experiment the page opens with: the link's (`#e=`), else the user's last one,
 * else the first view. A bad link is explained and never overwrites the saved experiment.
 * A first visit (no link, nothing saved) opens the first view playing.
 */
import { decodeExperiment } from '../state/url';
import { loadSaved } from '../state/persistence';
import { firstView } from '../state/scenes';

export interface Candidate {
  experiment: unknown;
  source: 'link' | 'saved' | 'default';
  /** Play once loaded (the first view of a first visit). */
  autoplay?: boolean;
}

export interface Startup {
  candidates: Candidate[];
  warnings: string[];
}

export function startupCandidates(hash: string, storage: Storage | null): Startup {
  const warnings: string[] = [];
  const candidates: Candidate[] = [];
  if (hash.length > 1) {
    const decoded = decodeExperiment(hash);
    if (decoded.ok) candidates.push({ experiment: decoded.experiment, source: 'link' });
    else warnings.push(`This link's experiment could not be opened: ${decoded.error}`);
  }
  const saved = loadSaved(storage);
  if (saved.problem) warnings.push(`Note: ${saved.problem}.`);
  if (saved.experiment) candidates.push({ experiment: saved.experiment, source: 'saved' });
  const firstVisit = hash.length <= 1 && !saved.experiment && !saved.problem;
  candidates.push({
    experiment: firstView.experiment,
    source: 'default',
    ...(firstVisit ? { autoplay: true } : {}),
  });
  if (warnings.length && candidates[0]?.source !== 'link') {
    warnings.push(
      candidates[0]?.source === 'saved'
        ? 'Opened your last experiment instead.'
        : 'Opened the default experiment instead.',
    );
  }
  return { candidates, warnings };
}

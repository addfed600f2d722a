/**
 * Which experiment the page opens with: the link's (`#e=`), else the user's last one,
 * else the first view. A bad link is explained in plain words (the codec's detail kept for a
 * "details" toggle) and never overwrites the saved experiment. A good link plays once it is
 * loaded unless the query says `paused=1`; a first visit (no link, nothing saved) opens the
 * first view playing, also unless `paused=1`.
 */
import { decodeExperiment, type DecodeErrorKind } from '../link/url';
import { loadSaved } from '../state/persistence';
import { firstView } from '../state/scenes';

export interface Candidate {
  experiment: unknown;
  source: 'link' | 'saved' | 'default';
  /** Play once loaded: a link (unless `?paused=1`) and the first view of a first visit; saved opens paused. */
  play?: boolean;
}

export interface Startup {
  candidates: Candidate[];
  warnings: string[];
  /** A bad link: a plain message and the codec's detail (the page shows it behind "details"). */
  badLink: { text: string; detail: string } | null;
}

/** What a bad link's message says, in plain words, by the codec's error kind. */
const plainLinkError: Record<DecodeErrorKind, string> = {
  missing: 'This link has no experiment in it — it may have been cut off when it was copied.',
  'not-decompressible': 'This link is damaged — it may have been cut off when it was copied.',
  'not-json': 'This link is damaged — it may have been cut off when it was copied.',
  invalid: 'This link’s experiment has a setting this lab cannot use.',
  'unknown-version': 'This link was made by another version of the lab.',
  'too-large': 'This link is too large to open.',
};

export function startupCandidates(
  hash: string,
  storage: Storage | null,
  options: { paused?: boolean } = {},
): Startup {
  const warnings: string[] = [];
  const candidates: Candidate[] = [];
  let badLink: Startup['badLink'] = null;
  if (hash.length > 1) {
    const decoded = decodeExperiment(hash);
    if (decoded.ok)
      candidates.push({ experiment: decoded.experiment, source: 'link', play: !options.paused });
    else badLink = { text: plainLinkError[decoded.kind], detail: decoded.error };
  }
  const saved = loadSaved(storage);
  if (saved.problem) warnings.push(`Note: ${saved.problem}.`);
  if (saved.experiment) candidates.push({ experiment: saved.experiment, source: 'saved' });
  const firstVisit = hash.length <= 1 && !saved.experiment && !saved.problem;
  candidates.push({
    experiment: firstView.experiment,
    source: 'default',
    ...(firstVisit && !options.paused ? { play: true } : {}),
  });
  const instead =
    candidates[0]?.source === 'saved'
      ? 'Opened your last experiment instead.'
      : 'Opened the default experiment instead.';
  if (badLink) badLink = { ...badLink, text: `${badLink.text} ${instead}` };
  else if (warnings.length && candidates[0]?.source !== 'link') warnings.push(instead);
  return { candidates, warnings, badLink };
}

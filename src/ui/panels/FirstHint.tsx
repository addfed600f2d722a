/**
 * A one-line hint on how to read the plots and find the scenes. Shown until dismissed; the
 * dismissal is remembered where storage allows (else it returns on the next visit only).
 */
import { useState } from 'react';

const KEY = 'reparam-lab:hint-dismissed:v1';

function dismissed(): boolean {
  try {
    return window.localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function FirstHint() {
  const [hidden, setHidden] = useState(dismissed);
  if (hidden) return null;
  return (
    <div className="first-hint" role="note" aria-label="Hint" data-testid="first-hint">
      <span>
        Solid: run in θ; dashed: the same optimizer run in φ, drawn in θ. More scenes: the Scene menu or keys
        1–9.
      </span>
      <button
        type="button"
        aria-label="Dismiss hint"
        onClick={() => {
          setHidden(true);
          try {
            window.localStorage.setItem(KEY, '1');
          } catch {
            // Not remembered; hidden for this visit.
          }
        }}
      >
        ×
      </button>
    </div>
  );
}

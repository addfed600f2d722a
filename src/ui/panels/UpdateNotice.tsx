/** "A new version is ready — reload": shown while a new version of the lab waits (client/offline.ts). */
import { useStore } from 'zustand';
import type { Offline } from '../../client/offline';
import { useLabContext } from '../lab-context';

export function UpdateNotice() {
  const { offline } = useLabContext();
  return offline ? <Notice offline={offline} /> : null;
}

function Notice({ offline }: { offline: Offline }) {
  const { updateReady, reloading } = useStore(offline.state);
  if (!updateReady) return null;
  return (
    <div className="messages">
      <div className="message info update-notice" role="status">
        <span>
          A new version is ready —{' '}
          <button type="button" className="primary" disabled={reloading} onClick={offline.reload}>
            {reloading ? 'reloading…' : 'reload'}
          </button>
        </span>
        <button type="button" aria-label="Not now" onClick={offline.dismiss}>
          ×
        </button>
      </div>
    </div>
  );
}

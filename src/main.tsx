/** Page entry: one store, one worker client, the automation handle, the React app. */
// First: zod without its eval probe, before any schema is built (CSP; zod-jitless.ts).
import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabStore } from './state/store';
import { createLabClient } from './client/lab-client';
import { backendFromQuery } from './client/backend-param';
import { installAutomation } from './client/automation';
import { startupCandidates } from './client/startup';
import { syncUrlAndStorage } from './client/url-sync';
import { startOffline } from './client/offline';
import { browserStorage } from './state/persistence';
import { parseEmbedOptions } from './link/url';
import { LabContext } from './ui/lab-context';
import { App } from './ui/App';
import './ui/styles.css';

const store = createLabStore();
const { request, warning } = backendFromQuery(window.location.search);
if (warning) store.getState().notify('warning', warning);
const storage = browserStorage();
const paused = new URLSearchParams(window.location.search).get('paused') === '1';
const startup = startupCandidates(window.location.hash, storage, { paused });
if (startup.badLink) store.getState().notify('warning', startup.badLink.text, startup.badLink.detail);
for (const w of startup.warnings) store.getState().notify('warning', w);
const client = createLabClient(store, request, startup.candidates);
// A bad link stays in the address bar (the user can see what they pasted) until they change something.
syncUrlAndStorage(store, storage, { keepAddress: startup.badLink !== null });
const embed = parseEmbedOptions(window.location.search);
installAutomation(store, client.ready, client.debug);
const offline = startOffline();

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LabContext.Provider
        value={{ store, client, hidden: new Set(embed.hidden), embed: embed.embed, offline }}
      >
        <App />
      </LabContext.Provider>
    </StrictMode>,
  );
}

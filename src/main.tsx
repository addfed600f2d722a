/** Page entry: one store, one worker client, the automation handle, the React app. */
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
import { parseEmbedOptions } from './state/url';
import { LabContext } from './ui/lab-context';
import { App } from './ui/App';
import './ui/styles.css';

const store = createLabStore();
const { request, warning } = backendFromQuery(window.location.search);
if (warning) store.getState().notify('warning', warning);
const storage = browserStorage();
const startup = startupCandidates(window.location.hash, storage);
for (const w of startup.warnings) store.getState().notify('warning', w);
const client = createLabClient(store, request, startup.candidates);
syncUrlAndStorage(store, storage);
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

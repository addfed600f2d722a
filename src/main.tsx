/** Page entry: one store, one worker client, the automation handle, the React app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createLabStore } from './state/store';
import { createLabClient } from './client/lab-client';
import { backendFromQuery } from './client/backend-param';
import { installAutomation } from './client/automation';
import { defaultExperiment } from './engine/schema';
import { LabContext } from './ui/lab-context';
import { App } from './ui/App';
import './ui/styles.css';

const store = createLabStore();
const { request, warning } = backendFromQuery(window.location.search);
if (warning) store.getState().notify('warning', warning);
const client = createLabClient(store, request, defaultExperiment);
installAutomation(store, client.ready);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <LabContext.Provider value={{ store, client }}>
        <App />
      </LabContext.Provider>
    </StrictMode>,
  );
}

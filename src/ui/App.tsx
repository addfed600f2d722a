/** The app shell: header, messages, panels on the left, plots on the right. */
import { BackendBadge } from './panels/BackendBadge';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { Messages } from './panels/Messages';
import { RunControls } from './panels/RunControls';
import { LandscapePlot } from './plots/LandscapePlot';
import { LossPlot } from './plots/LossPlot';
import { useLab } from './lab-context';

export function App() {
  const paired = useLab((s) => s.windows?.phi != null);
  return (
    <div className="app">
      <header>
        <h1>Reparam Lab</h1>
        <p className="tagline">Optimizers in θ and in φ, where θ = f(φ)</p>
        <BackendBadge />
      </header>
      <Messages />
      <main>
        <aside>
          <RunControls />
          <ExperimentPanel />
        </aside>
        <div className="plots">
          <LandscapePlot space="theta" title="θ-space" />
          {paired ? <LandscapePlot space="phi" title="φ-space" /> : null}
          <LossPlot />
        </div>
      </main>
    </div>
  );
}

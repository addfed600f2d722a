/** The app shell: header, messages, panels on the left, plots on the right. */
import { BackendBadge } from './panels/BackendBadge';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { Messages } from './panels/Messages';
import { RunControls } from './panels/RunControls';
import { LandscapePlot } from './plots/LandscapePlot';
import { LossPlot } from './plots/LossPlot';
import { DefectPanel } from './panels/DefectPanel';
import { ShareControls } from './panels/ShareControls';
import { useHidden, useLab, useLabContext } from './lab-context';

export function App() {
  const paired = useLab((s) => s.windows?.phi != null);
  const { embed } = useLabContext();
  const hideRun = useHidden('run');
  const hideShare = useHidden('share');
  const hideBackend = useHidden('backend');
  return (
    <div className={embed ? 'app embed' : 'app'}>
      {embed ? null : (
        <header>
          <h1>Reparam Lab</h1>
          <p className="tagline">Optimizers in θ and in φ, where θ = f(φ)</p>
          {hideBackend ? null : <BackendBadge />}
        </header>
      )}
      <Messages />
      <main>
        <aside>
          {hideRun ? null : <RunControls />}
          <ExperimentPanel />
          {hideShare ? null : <ShareControls />}
        </aside>
        <div className="plots">
          <LandscapePlot space="theta" title="θ-space" />
          {paired ? <LandscapePlot space="phi" title="φ-space" /> : null}
          <LossPlot />
          <DefectPanel />
        </div>
      </main>
    </div>
  );
}

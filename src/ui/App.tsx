/**
 * The app shell: header (scene menu, presentation and theme switches, backend), the
 * scene caption and messages, panels on the left, plots on the right; or presentation mode
 * (`p`, or `?present=1`: Presentation.tsx), one screen for a projector.
 * On a narrow screen (phone, tablet in portrait: styles.css) the page is one column: the run
 * controls stay on top and the experiment and share panels fold behind one "Controls" button
 * (folded at first, so the plots come first; the panels stay mounted, nothing typed is lost).
 */
import { useMemo, useState } from 'react';
import { BackendBadge } from './panels/BackendBadge';
import { ExperimentPanel } from './panels/ExperimentPanel';
import { Messages } from './panels/Messages';
import { FirstHint } from './panels/FirstHint';
import { UpdateNotice } from './panels/UpdateNotice';
import { RunControls } from './panels/RunControls';
import { LandscapePlot } from './plots/LandscapePlot';
import { LossPlot } from './plots/LossPlot';
import { ReportPlot } from './plots/ReportPlot';
import { DigitsPlot } from './plots/DigitsPlot';
import { DefectPanel } from './panels/DefectPanel';
import { MetricPlot } from './plots/MetricPlot';
import { DecisionRegions } from './plots/DecisionRegions';
import { SweepPanel } from './panels/SweepPanel';
import { NaturalityTable } from './panels/NaturalityTable';
import { ShareControls } from './panels/ShareControls';
import { RecordPanel } from './record/RecordPanel';
import { RunStatus } from './panels/RunStatus';
import { SceneCaption, ScenesMenu } from './panels/ScenesMenu';
import { ShortcutHelp } from './panels/ShortcutHelp';
import { Announcer } from './panels/Announcer';
import { useHidden, useLab, useLabContext } from './lab-context';
import { useShortcuts } from './use-shortcuts';
import { useTheme } from './use-theme';
import { usePresent } from './use-present';
import { Presentation } from './Presentation';

export function App() {
  const paired = useLab((s) => s.windows?.phi != null);
  const { embed } = useLabContext();
  const hideRun = useHidden('run');
  const hideShare = useHidden('share');
  const hideBackend = useHidden('backend');
  const present = usePresent((s) => s.present);
  const togglePresent = usePresent((s) => s.togglePresent);
  const [help, setHelp] = useState(false);
  const [controlsOpen, setControlsOpen] = useState(false);
  const hideExperiment = [useHidden('problem'), useHidden('reparam'), useHidden('optimizers')].every(Boolean);
  const [theme, toggleTheme] = useTheme();
  const actions = useMemo(() => ({ toggleHelp: () => setHelp((h) => !h) }), []);
  useShortcuts(actions);
  const lean = embed || present;
  // A caption action's panel shows in presentation mode too.
  const revealed = useLab((s) => s.revealed);
  const shown = (panel: string): boolean => !lean || revealed.includes(panel);
  if (present && !embed)
    return (
      <div className="app present">
        {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
        <UpdateNotice />
        <Messages />
        <Announcer />
        <Presentation onHelp={actions.toggleHelp} />
      </div>
    );
  return (
    <div className={['app', embed ? 'embed' : ''].join(' ').trim()}>
      {embed ? null : (
        <header>
          <h1>Reparam Lab</h1>
          <p className="tagline">Optimizers in θ and in φ, where θ = f(φ)</p>
          <ScenesMenu />
          <button type="button" className="small" aria-pressed={present} onClick={togglePresent}>
            Presentation
          </button>
          <button type="button" className="small" aria-pressed={theme === 'dark'} onClick={toggleTheme}>
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          <button
            type="button"
            className="small"
            aria-label="Keyboard shortcuts"
            onClick={actions.toggleHelp}
          >
            ?
          </button>
          {hideBackend ? null : <BackendBadge />}
        </header>
      )}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
      {lean ? null : <FirstHint />}
      <UpdateNotice />
      <Messages />
      <Announcer />
      <main>
        <aside>
          {hideRun ? null : <RunControls />}
          {lean ? null : <RunStatus />}
          {lean || (hideExperiment && hideShare) ? null : (
            <>
              {/* Shown only on a narrow screen (styles.css); on a wide one the panels are always open. */}
              <button
                type="button"
                className="controls-toggle"
                aria-expanded={controlsOpen}
                aria-controls="lab-controls"
                onClick={() => setControlsOpen((o) => !o)}
              >
                Controls
              </button>
              <div id="lab-controls" className={controlsOpen ? 'lab-controls open' : 'lab-controls'}>
                {hideExperiment ? null : <ExperimentPanel />}
                {hideShare ? null : <ShareControls />}
                {hideShare ? null : <RecordPanel />}
              </div>
            </>
          )}
        </aside>
        <div className="plots">
          <SceneCaption />
          <LandscapePlot space="theta" title="θ-space" />
          {paired ? <LandscapePlot space="phi" title="φ-space" /> : null}
          <LossPlot />
          <ReportPlot />
          <DigitsPlot />
          <DecisionRegions />
          <DefectPanel />
          {shown('metrics') ? <MetricPlot /> : null}
          {shown('sweep') ? <SweepPanel /> : null}
          {shown('table') ? <NaturalityTable /> : null}
        </div>
      </main>
    </div>
  );
}

/**
 * Presentation mode (`p`, or `?present=1`): one screen, no scrolling, for a projector. A
 * bar with the scene menu, play / pause and a large step counter; the scene's caption as one
 * sentence (present-scenes.ts); then the θ and φ landscapes (networks: the slice and the
 * decision regions) as large as the screen allows, beside ONE secondary plot — the one the
 * scene's caption is about; `c` cycles the others. Type, lines and markers are enlarged by
 * styles.css (`.app.present`); `h` switches the high-contrast palette. The runs are the
 * store's: entering or leaving only changes what is drawn.
 */
import { useEffect } from 'react';
import { useLab, useLabContext } from './lab-context';
import { LandscapePlot } from './plots/LandscapePlot';
import { LossPlot } from './plots/LossPlot';
import { ReportPlot } from './plots/ReportPlot';
import { DecisionRegions } from './plots/DecisionRegions';
import { MetricPlot } from './plots/MetricPlot';
import { DefectPanel } from './panels/DefectPanel';
import { SweepPanel } from './panels/SweepPanel';
import { NaturalityTable } from './panels/NaturalityTable';
import { ActionButton, ScenesMenu, useActiveScene } from './panels/ScenesMenu';
import { sceneActions } from '../state/scene-actions';
import { openScene } from './open-scene';
import {
  asSecondary,
  availableSecondaries,
  presentScenes,
  secondaryCycle,
  secondaryNames,
  type Secondary,
} from './present-scenes';
import { cycleSecondary, shownSecondary, usePresent } from './use-present';
import { toggleFullscreen, togglePlay } from './use-shortcuts';

/** The secondary plots of the scene on screen, and the one shown. */
function useSecondary(): { scene: string | null; cycle: Secondary[]; shown: Secondary } {
  const scene = useLab((s) => s.scene);
  // A string key: the list is rebuilt each render, the subscription compares the key.
  const key = useLab((s) => availableSecondaries(s).join(' '));
  const cycle = secondaryCycle(scene, key.split(' ') as Secondary[]);
  const shown = usePresent((s) => shownSecondary(s, scene, cycle));
  return { scene, cycle, shown };
}

function SecondaryPlot({ kind }: { kind: Secondary }) {
  switch (kind) {
    case 'loss':
      return <LossPlot />;
    case 'defect':
      return <DefectPanel />;
    case 'metrics':
      return <MetricPlot />;
    case 'report':
      return <ReportPlot />;
    case 'sweep':
      return <SweepPanel />;
    case 'table':
      return <NaturalityTable />;
  }
}

function BigStep() {
  const step = useLab((s) => s.step);
  const cursor = useLab((s) => s.cursor);
  const total = useLab((s) => s.experiment?.steps ?? 0);
  const done = useLab((s) => s.playState === 'done');
  return (
    <output className="present-step" aria-live="off" aria-label="Step">
      step <b>{cursor ?? step}</b> / {total}
      {done ? ' · done' : ''}
    </output>
  );
}

/** The scene's title and one sentence, and its one-click actions (their panel is shown beside the landscapes). */
function PresentCaption() {
  const lab = useLabContext();
  const { scene, modified } = useActiveScene();
  if (!scene) return null;
  const line = presentScenes[scene.id]?.line ?? scene.caption;
  return (
    <section
      className="present-caption"
      aria-label="Scene caption"
      data-scene={scene.id}
      data-modified={modified}
    >
      <p title={scene.caption}>
        <strong>{scene.title}.</strong> {line}
        {modified ? <span className="scene-modified"> · modified</span> : null}
      </p>
      <div className="scene-actions">
        {(sceneActions[scene.id] ?? []).map((a) => (
          <ActionButton key={a.label} action={a} />
        ))}
        {modified ? (
          <button type="button" className="scene-action" onClick={() => void openScene(lab, scene)}>
            Reset scene
          </button>
        ) : null}
      </div>
    </section>
  );
}

export function Presentation({ onHelp }: { onHelp(): void }) {
  const { store, client } = useLabContext();
  const playState = useLab((s) => s.playState);
  const paired = useLab((s) => s.windows?.phi != null);
  const network = useLab((s) => s.decision !== null);
  const { scene, cycle, shown } = useSecondary();
  const contrast = usePresent((s) => s.contrast);
  const { togglePresent, toggleContrast, choose } = usePresent.getState();
  // A caption action that reveals a panel (the sweep, the table, κ*) shows it here.
  const revealed = useLab((s) => asSecondary(s.revealed.at(-1)));
  useEffect(() => {
    if (revealed) choose(scene, revealed);
  }, [revealed, scene, choose]);
  const mains = 1 + (paired ? 1 : 0) + (network ? 1 : 0);
  const nextName =
    cycle.length > 1 ? secondaryNames[cycle[(cycle.indexOf(shown) + 1) % cycle.length] ?? shown] : null;
  return (
    <>
      <header className="present-bar">
        <ScenesMenu />
        <button
          type="button"
          className="primary"
          onClick={() => void togglePlay(store, client)}
          disabled={playState === 'idle'}
          aria-keyshortcuts="Space"
        >
          {playState === 'playing' ? 'Pause' : playState === 'done' ? 'Play again' : 'Play'}
        </button>
        <BigStep />
        <span className="present-buttons">
          {nextName ? (
            <button
              type="button"
              className="small"
              aria-keyshortcuts="c"
              onClick={() => cycleSecondary(scene, cycle)}
            >
              Next plot: {nextName} (c)
            </button>
          ) : null}
          <button
            type="button"
            className="small"
            aria-pressed={contrast}
            aria-keyshortcuts="h"
            onClick={toggleContrast}
          >
            High contrast (h)
          </button>
          <button
            type="button"
            className="small"
            aria-keyshortcuts="f"
            onClick={() => toggleFullscreen((m) => store.getState().notify('info', m))}
          >
            Full screen (f)
          </button>
          <button
            type="button"
            className="small"
            aria-pressed={true}
            aria-keyshortcuts="p"
            onClick={togglePresent}
            title="Leave presentation mode (p)"
          >
            Exit (p)
          </button>
          <button type="button" className="small" aria-label="Keyboard shortcuts" onClick={onHelp}>
            ?
          </button>
        </span>
      </header>
      <PresentCaption />
      <div className="present-stage" data-mains={mains} data-secondary={shown}>
        <LandscapePlot space="theta" title="θ-space" />
        {paired ? <LandscapePlot space="phi" title="φ-space" /> : null}
        {network ? <DecisionRegions /> : null}
        <div className="present-secondary" data-secondary={shown}>
          <SecondaryPlot kind={shown} />
        </div>
      </div>
    </>
  );
}

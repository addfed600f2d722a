/**
 * Which tfjs backend runs the engine; the tooltip says why: the automatic choice's warm-up
 * ("wasm chosen: 1.2 ms/step vs cpu 8.3 ms/step") and what was skipped, or the forced request.
 */
import { useLab } from '../lab-context';

export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const why = backend ? (backend.reason ?? `${backend.name} (requested: ${backend.requested})`) : '';
  const fast = backend?.measurements?.find((m) => m.backend === backend.name)?.msPerStep;
  return (
    <span
      className="backend-badge"
      data-testid="backend"
      data-backend={backend?.name ?? ''}
      title={backend ? [why, ...backend.notes.filter((n) => n !== backend.reason)].join('\n') : undefined}
    >
      backend: {backend ? backend.name : 'starting…'}
      {fast !== undefined ? <span className="backend-speed"> · {fast.toFixed(1)} ms/step</span> : null}
    </span>
  );
}

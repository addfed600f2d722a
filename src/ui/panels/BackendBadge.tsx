/** Which tfjs backend runs the engine, with how it was chosen on hover. */
import { useLab } from '../lab-context';

export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  return (
    <span
      className="backend-badge"
      data-testid="backend"
      data-backend={backend?.name ?? ''}
      title={backend?.notes.join('\n') || undefined}
    >
      backend: {backend ? backend.name : 'starting…'}
    </span>
  );
}

/** Messages for the user: bad links, rejected changes, fallbacks. Text only, never HTML. */
import { useLab } from '../lab-context';

export function Messages() {
  const messages = useLab((s) => s.messages);
  const dismiss = useLab((s) => s.dismiss);
  if (messages.length === 0) return null;
  return (
    <div className="messages">
      {messages.map((m) => (
        <div key={m.id} className={`message ${m.level}`} role={m.level === 'error' ? 'alert' : 'status'}>
          <span>
            {m.text}
            {m.detail ? (
              <details className="message-detail">
                <summary>details</summary>
                <code>{m.detail}</code>
              </details>
            ) : null}
          </span>
          <button type="button" aria-label="Dismiss message" onClick={() => dismiss(m.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

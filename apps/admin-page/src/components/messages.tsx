import type { ApiMessage } from '../api';

/** Messages from the server, shown as it words them and announced at once. */
export function ErrorMessages({ messages, intro }: { messages: readonly ApiMessage[]; intro?: string }) {
  return (
    <div role="alert" class={messages.length ? 'notice notice-error' : 'notice-empty'}>
      {messages.length > 0 && intro && <p>{intro}</p>}
      {messages.length === 1 && !intro && <p>{messages[0].msg}</p>}
      {(messages.length > 1 || (messages.length === 1 && intro)) && (
        <ul>
          {messages.map((m, index) => (
            <li key={index}>{m.msg}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ManagedBadge({ managed }: { managed: boolean }) {
  return managed ? (
    <span class="badge badge-managed" title="Managed by the identity provider through SCIM">
      Managed
    </span>
  ) : (
    <span class="badge badge-local">Local</span>
  );
}

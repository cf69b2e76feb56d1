import { useId, useRef, useState } from 'preact/hooks';

interface CopyFieldProps {
  label: string;
  value: string;
  /** Read out with the field: what the value is for, or a warning such as "shown only once". */
  hint?: string;
  secret?: boolean;
}

/** A read-only value with a Copy button, for what the admin pastes into Entra ID. */
export function CopyField({ label, value, hint, secret }: CopyFieldProps) {
  const id = useId();
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // The Clipboard API needs a secure context (HTTPS or localhost); selecting the text lets the admin copy by hand.
      input.current?.select();
      setCopied(document.execCommand('copy') ? 'yes' : 'failed');
    }
  };

  return (
    <div class="field copy-field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input
          id={id}
          ref={input}
          class={secret ? 'input mono secret-value' : 'input mono'}
          type="text"
          readOnly
          value={value}
          spellcheck={false}
          aria-describedby={hint ? hintId : undefined}
          onFocus={(event) => (event.currentTarget as HTMLInputElement).select()}
        />
        <button type="button" class="button" aria-label={`Copy ${label}`} onClick={copy}>
          Copy
        </button>
      </div>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      <p class="copy-status" role="status">
        {copied === 'yes' ? `${label} copied to the clipboard.` : ''}
        {copied === 'failed' ? 'Copying was blocked by the browser: the text is selected, press Ctrl+C.' : ''}
      </p>
    </div>
  );
}

import { useId } from 'preact/hooks';

interface ActionButtonProps {
  label: string;
  /** The accessible name when the visible label alone is ambiguous (one button per table row). */
  ariaLabel?: string;
  /** Why the action is not available; the button is then disabled and the reason shows on hover and focus. */
  disabledReason?: string | null;
  danger?: boolean;
  /** The screen's main action (Create), rather than a row's. */
  primary?: boolean;
  onClick(event: MouseEvent): void;
  buttonRef?: (element: HTMLButtonElement | null) => void;
}

/**
 * A row action. When the state forbids it, it stays focusable (aria-disabled rather than disabled) so a keyboard or
 * screen-reader user reaches the reason too, not only a mouse hovering it.
 */
export function ActionButton(props: ActionButtonProps) {
  const reasonId = useId();
  const className = props.primary
    ? 'button button-primary'
    : props.danger
      ? 'button button-small button-danger-outline'
      : 'button button-small';
  if (!props.disabledReason) {
    return (
      <button
        type="button"
        class={className}
        aria-label={props.ariaLabel}
        ref={props.buttonRef}
        onClick={props.onClick}
      >
        {props.label}
      </button>
    );
  }
  return (
    <span class="has-tip">
      <button
        type="button"
        class={`${className} is-disabled`}
        aria-label={props.ariaLabel}
        aria-disabled="true"
        aria-describedby={reasonId}
        ref={props.buttonRef}
        onClick={(event) => event.preventDefault()}
      >
        {props.label}
      </button>
      <span role="tooltip" id={reasonId} class="tip">
        {props.disabledReason}
      </span>
    </span>
  );
}

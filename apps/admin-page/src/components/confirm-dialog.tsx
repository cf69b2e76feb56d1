import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  confirmLabel: string;
  cancelLabel?: string;
  /** A request started by the confirmation is running: buttons wait and Escape does not close. */
  busy?: boolean;
  danger?: boolean;
  /** Where focus goes back to when the dialog closes: the button that opened it. */
  returnFocusTo: RefObject<HTMLElement | null>;
  /** Without it the dialog only informs or edits in place: one button closes it. */
  onConfirm?(): void;
  /** The confirm button waits, with this reason read out beside it (a form not filled in yet). */
  confirmDisabled?: boolean;
  onCancel(): void;
  children: ComponentChildren;
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A modal confirmation on the native <dialog>: the rest of the page is inert while it is open, Escape cancels, Tab
 * stays inside, and focus starts on Cancel (the choice that changes nothing) and returns to the opener on close.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const { open, returnFocusTo } = props;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      cancel.current?.focus();
    } else if (!open && element.open) {
      element.close();
      returnFocusTo.current?.focus();
    }
  }, [open, returnFocusTo]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-busy={props.busy ? 'true' : undefined}
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Escape: closed by our own state, so the dialog and the opener's focus stay in step.
        event.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <h2 id={titleId} class="dialog-title">
        {props.title}
      </h2>
      <div id={bodyId} class="dialog-body">
        {props.children}
      </div>
      <div class="dialog-actions">
        <button type="button" ref={cancel} class="button" disabled={props.busy} onClick={props.onCancel}>
          {props.cancelLabel ?? 'Cancel'}
        </button>
        {props.onConfirm && (
          <button
            type="button"
            class={props.danger ? 'button button-danger' : 'button button-primary'}
            disabled={props.busy || props.confirmDisabled}
            onClick={props.onConfirm}
          >
            {props.busy ? 'Working…' : props.confirmLabel}
          </button>
        )}
      </div>
    </dialog>
  );
}

import { useState } from 'preact/hooks';
import type { ApiMessage } from '../api';
import { messagesOf } from '../errors';

export interface Action {
  /** The server's refusal of the last attempt, shown in the form that made it. */
  errors: ApiMessage[];
  setErrors(errors: ApiMessage[]): void;
  busy: boolean;
  /** Runs a change; on success reports `message`, on failure keeps the form open with the server's words. */
  run(work: () => Promise<unknown>, message: string): Promise<void>;
}

/** The one way the Users and Groups dialogs run a change: busy while it runs, its refusal in their own words. */
export function useAction(onDone: (message: string) => Promise<void>): Action {
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setErrors([]);
    try {
      await work();
      await onDone(message);
    } catch (error) {
      setErrors(messagesOf(error));
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, run };
}

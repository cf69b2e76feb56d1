import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiMessage, Paging } from '../api';
import { messagesOf } from '../errors';

export const PAGE_SIZE = 50;

export interface SearchState<T> {
  items: T[] | null;
  paging: Paging | null;
  errors: ApiMessage[];
  loading: boolean;
  /** Loads the next page and appends it. */
  more(): Promise<void>;
  /** Loads the first page again (after a change). */
  reload(): Promise<void>;
}

/**
 * A paged search that follows its query as the admin types: each change waits a moment, and an answer that arrives
 * after a newer query was sent is dropped so results never go back to an older query.
 */
export function useSearch<T>(
  query: Record<string, string | boolean | undefined>,
  fetchPage: (
    query: Record<string, string | boolean | undefined>,
    page: number,
  ) => Promise<{ items: T[]; paging: Paging }>,
): SearchState<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [paging, setPaging] = useState<Paging | null>(null);
  const [errors, setErrors] = useState<ApiMessage[]>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const key = JSON.stringify(query);

  const load = async (page: number, append: boolean) => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const result = await fetchPage(query, page);
      if (ticket !== latest.current) return;
      setItems((previous) => (append && previous ? [...previous, ...result.items] : result.items));
      setPaging(result.paging);
      setErrors([]);
    } catch (error) {
      if (ticket === latest.current) setErrors(messagesOf(error));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    const timer = setTimeout(() => void load(1, false), items === null ? 0 : 250);
    return () => clearTimeout(timer);
  }, [key]);

  return {
    items,
    paging,
    errors,
    loading,
    more: () => load((paging?.pageIndex ?? 1) + 1, true),
    reload: () => load(1, false),
  };
}

export function ResultCount({ shown, total, noun }: { shown: number; total: number; noun: [string, string] }) {
  return (
    <p role="status" class="result-count">
      {total === 0 ? `No ${noun[1]} found.` : `${shown} of ${total} ${total === 1 ? noun[0] : noun[1]} shown.`}
    </p>
  );
}

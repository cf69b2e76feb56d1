import { Fragment, type ComponentChildren, type RefObject } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ApiMessage, Paging } from '../api';
import { ErrorMessages } from './messages';
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

/** A labelled choice in a search bar (a status, a managed/local filter). */
export function SelectField<V extends string>(props: {
  label: string;
  value: V;
  options: readonly (readonly [value: V, label: string])[];
  onChange(value: V): void;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        class="input"
        value={props.value}
        onChange={(event) => props.onChange((event.currentTarget as HTMLSelectElement).value as V)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface SearchListProps<T> {
  /** The search field's label and placeholder. */
  label: string;
  placeholder: string;
  q: string;
  onQuery(q: string): void;
  inputRef: RefObject<HTMLInputElement | null>;
  /** More fields of the search bar (filters). */
  filters?: ComponentChildren;
  /** Buttons above the list (create). */
  toolbar?: ComponentChildren;
  errors: readonly ApiMessage[];
  notice: string;
  search: SearchState<T>;
  noun: [string, string];
  columns: string[];
  rowKey(item: T): string;
  row(item: T): ComponentChildren;
}

/**
 * A searchable, paged table, as the Users and Groups screens show theirs: the search bar, the server's messages, what
 * just happened, the count, the rows and "Show more".
 */
export function SearchList<T>(props: SearchListProps<T>) {
  const searchId = useId();
  const { search } = props;
  return (
    <>
      <div class="list-toolbar">
        <form role="search" class="search-bar" onSubmit={(event) => event.preventDefault()}>
          <div class="field">
            <label for={searchId}>{props.label}</label>
            <input
              id={searchId}
              ref={props.inputRef}
              class="input"
              type="search"
              placeholder={props.placeholder}
              value={props.q}
              onInput={(event) => props.onQuery((event.currentTarget as HTMLInputElement).value)}
            />
          </div>
          {props.filters}
        </form>
        {props.toolbar && <div class="list-actions">{props.toolbar}</div>}
      </div>
      <ErrorMessages messages={[...search.errors, ...props.errors]} />
      <p role="status" class="status-text">
        {props.notice}
      </p>
      {search.items && (
        <>
          <ResultCount shown={search.items.length} total={search.paging?.total ?? 0} noun={props.noun} />
          <table class="table" aria-busy={search.loading ? 'true' : undefined}>
            <caption class="visually-hidden">{props.noun[1][0].toUpperCase() + props.noun[1].slice(1)}</caption>
            <thead>
              <tr>
                {props.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {search.items.map((item) => (
                <Fragment key={props.rowKey(item)}>{props.row(item)}</Fragment>
              ))}
            </tbody>
          </table>
          {search.paging && search.items.length < search.paging.total && (
            <button type="button" class="button" disabled={search.loading} onClick={() => void search.more()}>
              Show more {props.noun[1]}
            </button>
          )}
        </>
      )}
    </>
  );
}

/** The first reason that stands in an action's way, or null when none does: rows list them most important first. */
export function firstReason(...reasons: (string | null | false | undefined)[]): string | null {
  return reasons.find((r): r is string => typeof r === 'string' && r.length > 0) ?? null;
}

/** Why an item the identity provider owns cannot be changed here, and where it is changed instead. */
export function managedReason(what: string): string {
  return `Managed by the identity provider: ${what} in Microsoft Entra ID.`;
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '../../api/client';
import { useIntents } from '../../state/intents';
import { hasTerms, type SearchQuery, useSearchSession } from '../../state/search';
import { toInput } from './query-input';

/**
 * The Search page's searches: the session's query and answer (they outlive the page), and what
 * only this visit holds: the search in flight, its error, which stacks of copies are open.
 */
export function useSearch() {
  const { query, output, edit, searched, answered } = useSearchSession();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const abort = useRef<AbortController>(undefined);

  const run = useCallback(
    async (q: SearchQuery) => {
      searched(q);
      if (!hasTerms(q)) return;
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      setBusy(true);
      setError(undefined);
      try {
        const out = await call('search.query', toInput(q), { signal: controller.signal });
        if (controller.signal.aborted) return;
        setOpen(new Set());
        answered(out);
      } catch (err) {
        if (!controller.signal.aborted) setError(err instanceof Error ? err : new Error(String(err)));
      } finally {
        if (abort.current === controller) setBusy(false);
      }
    },
    [searched, answered],
  );

  const priceTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  /** Changes the form; searches now (true), after typing pauses ('soon', prices) or not at all. */
  const update = (patch: Partial<SearchQuery>, search: boolean | 'soon' = false) => {
    const next = { ...query, ...patch };
    edit(next);
    clearTimeout(priceTimer.current);
    if (search === 'soon') priceTimer.current = setTimeout(() => void run(next), 400);
    else if (search) void run(next);
  };
  useEffect(() => () => clearTimeout(priceTimer.current), []);

  // After a reload the query is back but not its answer: ask again (once, when the page opens).
  useEffect(() => {
    if (!output && hasTerms(query)) void run(query);
  }, [run]);

  // A drop, a paste or the demo loader asked for a search.
  const { searchRequest, clearSearchRequest } = useIntents();
  useEffect(() => {
    if (!searchRequest) return;
    clearSearchRequest();
    const next: SearchQuery = { ...query, image: searchRequest.image, text: searchRequest.text ?? (searchRequest.image ? '' : query.text) };
    edit(next);
    void run(next);
  }, [searchRequest, clearSearchRequest, run]);

  const toggle = (sha256: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (!next.delete(sha256)) next.add(sha256);
      return next;
    });

  return { query, output, error, busy, open, toggle, run, update };
}

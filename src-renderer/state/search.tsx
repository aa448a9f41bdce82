import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';
import type { MethodOutput } from '../../src-main/api/contract';
import type { QueryImage } from './intents';

export type SearchOutput = MethodOutput<'search.query'>;

/** The Search page's form. */
export interface SearchQuery {
  image?: QueryImage;
  text: string;
  textWeight: number;
  k: number;
  model: string;
  category: string;
  seller: string;
  priceMin: string;
  priceMax: string;
  /** Near-identical copies of a photo stacked into one result. */
  stack: boolean;
}

/** The id of the Search page's text box, which "/" focuses from any page. */
export const SEARCH_BOX_ID = 'search-text';

const EMPTY: SearchQuery = { text: '', textWeight: 0.5, k: 50, model: '', category: '', seller: '', priceMin: '', priceMax: '', stack: true };

const SESSION_KEY = 'lookalike.search';

/** The last query searched survives a reload (sessionStorage); uploaded photo bytes are too big to keep there. */
function loadQuery(): SearchQuery {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as SearchQuery | null;
    return saved ? { ...EMPTY, ...saved } : EMPTY;
  } catch {
    return EMPTY;
  }
}

function saveQuery(q: SearchQuery): void {
  const keepImage = q.image && 'sha256' in q.image.ref;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...q, image: keepImage ? q.image : undefined }));
}

/** A photo or some text: something to search for. */
export function hasTerms(q: SearchQuery): boolean {
  return Boolean(q.text.trim() || q.image);
}

interface SearchSession {
  /** The form as last edited. */
  query: SearchQuery;
  /** The answer to the last search that finished; a reload drops it and searches again. */
  output?: SearchOutput;
  edit: (query: SearchQuery) => void;
  /** A search starts: a reload brings its query back (the form may have changed since). */
  searched: (query: SearchQuery) => void;
  answered: (output: SearchOutput) => void;
}

/** For the shell and the demo loader; stable, so they do not re-render on each keystroke in the search box. */
interface SearchControls {
  /** Whether the user has searched for something of their own (the demo loader must not replace it). */
  hasUserSearch: () => boolean;
  /** "/" from any page: focus the search box now, or as soon as the Search page has rendered it. */
  focusBox: () => void;
  /** For the Search page once its box is there: true once after focusBox found no box to focus. */
  takeFocusRequest: () => boolean;
}

const SessionContext = createContext<SearchSession | undefined>(undefined);
const ControlsContext = createContext<SearchControls | undefined>(undefined);

/** The search outlives the Search page: switching pages keeps the query and its answer, a reload the query. */
export function SearchProvider({ children }: { children: ReactNode }) {
  const [query, setQuery] = useState(loadQuery);
  const [output, setOutput] = useState<SearchOutput>();
  const saved = useRef(query);
  const focusPending = useRef(false);

  const searched = useCallback((q: SearchQuery) => {
    saved.current = q;
    saveQuery(q);
  }, []);
  const session = useMemo(() => ({ query, output, edit: setQuery, searched, answered: setOutput }), [query, output, searched]);

  const controls = useMemo<SearchControls>(
    () => ({
      hasUserSearch: () => hasTerms(saved.current),
      focusBox: () => {
        const box = document.getElementById(SEARCH_BOX_ID);
        if (box) box.focus();
        else focusPending.current = true;
      },
      takeFocusRequest: () => {
        const pending = focusPending.current;
        focusPending.current = false;
        return pending;
      },
    }),
    [],
  );

  return (
    <ControlsContext.Provider value={controls}>
      <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
    </ControlsContext.Provider>
  );
}

export function useSearchSession(): SearchSession {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSearchSession outside SearchProvider');
  return ctx;
}

export function useSearchControls(): SearchControls {
  const ctx = useContext(ControlsContext);
  if (!ctx) throw new Error('useSearchControls outside SearchProvider');
  return ctx;
}

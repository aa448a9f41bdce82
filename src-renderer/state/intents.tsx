import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { ImageRef } from '../../src-main/api/schemas/common';

/** An image to search with, whatever it came from (drop, paste, file picker, a result's "similar"). */
export interface QueryImage {
  ref: ImageRef;
  /** URL for the preview <img>: an object URL for local files, a media URL for catalog images. */
  preview: string;
  name: string;
}

/** What was dropped for import: real paths in the desktop app, names only in browser mode. */
export interface DroppedImport {
  items: Array<{ name: string; path?: string; isDirectory: boolean }>;
}

interface Intents {
  /** Set by a drop/paste anywhere; the Search page runs it and clears it. */
  searchRequest?: { image?: QueryImage; text?: string; seq: number };
  requestSearch: (r: { image?: QueryImage; text?: string }) => void;
  clearSearchRequest: () => void;
  importRequest?: DroppedImport & { seq: number };
  requestImport: (r: DroppedImport) => void;
  clearImportRequest: () => void;
}

const IntentContext = createContext<Intents | undefined>(undefined);
let seq = 0;

/** Hands work from the shell (drop, paste, shortcuts) to the page that does it. */
export function IntentProvider({ children }: { children: ReactNode }) {
  const [searchRequest, setSearch] = useState<Intents['searchRequest']>();
  const [importRequest, setImport] = useState<Intents['importRequest']>();
  const requestSearch = useCallback((r: { image?: QueryImage; text?: string }) => {
    setSearch({ ...r, seq: ++seq });
    location.hash = '#/search';
  }, []);
  const requestImport = useCallback((r: DroppedImport) => {
    setImport({ ...r, seq: ++seq });
    location.hash = '#/catalog';
  }, []);
  const clearSearchRequest = useCallback(() => setSearch(undefined), []);
  const clearImportRequest = useCallback(() => setImport(undefined), []);
  const value = useMemo(
    () => ({ searchRequest, requestSearch, clearSearchRequest, importRequest, requestImport, clearImportRequest }),
    [searchRequest, requestSearch, clearSearchRequest, importRequest, requestImport, clearImportRequest],
  );
  return <IntentContext.Provider value={value}>{children}</IntentContext.Provider>;
}

export function useIntents(): Intents {
  const ctx = useContext(IntentContext);
  if (!ctx) throw new Error('useIntents outside IntentProvider');
  return ctx;
}

import { createContext, useContext } from 'react';

/** The element pages scroll in (the shell's <main>), for virtualised lists that scroll with the page. */
export const ScrollContext = createContext<() => HTMLElement | null>(() => null);

export function useScrollElement(): () => HTMLElement | null {
  return useContext(ScrollContext);
}

const CHANGED_KEY = 'lookalike.catalogChangedAt';

/**
 * Says that this window changed what the analyses read (a duplicate or title decision, a model
 * installed, removed, made the default or switched to another variant): answers of jobs started
 * before now are not reused. Kept in localStorage, so the browser's other tabs see it too.
 */
export function markCatalogChanged(): void {
  localStorage.setItem(CHANGED_KEY, String(Date.now()));
}

/** When this window (or another tab) last changed what the analyses read; 0 when never. */
export function catalogChangedAt(): number {
  return Number(localStorage.getItem(CHANGED_KEY)) || 0;
}

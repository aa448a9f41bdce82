import { formatProbability } from '../../format';
import type { Language } from '../../i18n/strings';
import type { SearchOutput } from '../../state/search';

export type Result = SearchOutput['results'][number];
type Match = NonNullable<SearchOutput['match']>;

/** A grid cell: a result, or (expanded) one of its copies right after it. */
export interface Cell {
  result: Result;
  rank: number;
  /** Rank of the result this is a copy of. */
  copyOf?: number;
  /** Copies stacked under this result (0 for a copy). */
  copies: number;
}

export function searchCells(results: readonly Result[], open: ReadonlySet<string>): Cell[] {
  return results.flatMap((r, i) => [
    { result: r, rank: i + 1, copies: r.copies.length },
    ...(open.has(r.sha256) ? r.copies.map((c) => ({ result: { ...c, copies: [] }, rank: i + 1, copyOf: i + 1, copies: 0 })) : []),
  ]);
}

/** The weak-match signal in words: "4 %" (SigLIP probability) or "2.0 σ" (CLIP, above the catalog's typical score). */
export function matchValue(language: Language, match: Match): string {
  if (match.kind === 'probability') return formatProbability(language, match.best);
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(match.best)} σ`;
}

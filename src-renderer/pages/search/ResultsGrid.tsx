import { useMemo } from 'react';
import { ListingCard } from '../../components/ListingCard';
import { VirtualGrid } from '../../components/VirtualGrid';
import { formatScore } from '../../format';
import { useI18n } from '../../i18n';
import { type Result, searchCells } from './results';

interface Props {
  results: readonly Result[];
  /** Results whose stacked copies are shown (by sha256). */
  open: ReadonlySet<string>;
  onToggle: (sha256: string) => void;
  /** A result clicked: search for photos like it. */
  onSimilar: (sha256: string, title: string) => void;
  weak: boolean;
}

/** The results as cards in a virtualised grid, each stack's copies right after it when opened. */
export function ResultsGrid({ results, open, onToggle, onSimilar, weak }: Props) {
  const { t } = useI18n();
  const cells = useMemo(() => searchCells(results, open), [results, open]);
  return (
    <div className={weak ? 'results weak' : 'results'}>
      <VirtualGrid
        items={cells}
        label={t('search.results')}
        getKey={(c) => (c.copyOf ? `${c.result.sha256}@${c.copyOf}` : c.result.sha256)}
        minColumnWidth={176}
        // Two-line title and the meta line, then room for "+N more listings" / "Copy of #N" and the copies button.
        footerHeight={82 + (cells.some((c) => c.copyOf || c.result.listings.length > 1) ? 18 : 0) + (results.some((r) => r.copies.length > 0) ? 26 : 0)}
        renderItem={(c) => {
          const r = c.result;
          return (
            <ListingCard
              sha256={r.sha256}
              listing={r.listing ?? undefined}
              name={r.name}
              path={r.image}
              rank={c.copyOf ? undefined : c.rank}
              score={formatScore(r.score)}
              title={t('search.similarTo', { title: r.name })}
              onClick={() => onSimilar(r.sha256, r.name)}
              footer={
                c.copyOf ? (
                  <div className="listing-meta copy-of">{t('search.copyOf', { rank: c.copyOf })}</div>
                ) : r.listings.length > 1 ? (
                  <div className="listing-meta">{t('search.moreListings', { n: r.listings.length - 1 })}</div>
                ) : undefined
              }
              after={
                c.copies > 0 ? (
                  <button type="button" className="link copies-toggle" aria-expanded={open.has(r.sha256)} onClick={() => onToggle(r.sha256)}>
                    {open.has(r.sha256)
                      ? t(c.copies === 1 ? 'search.copies.hideOne' : 'search.copies.hide', { n: c.copies })
                      : t(c.copies === 1 ? 'search.copies.one' : 'search.copies', { n: c.copies })}
                  </button>
                ) : undefined
              }
            />
          );
        }}
      />
    </div>
  );
}

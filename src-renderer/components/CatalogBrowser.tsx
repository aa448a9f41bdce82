import { useCallback, useEffect, useRef, useState } from 'react';
import type { ListingOut } from '../../src-main/api/schemas/catalog';
import { call, mediaUrl } from '../api/client';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { useIntents } from '../state/intents';
import { ErrorNotice } from './Common';
import { ListingCard } from './ListingCard';
import { VirtualGrid } from './VirtualGrid';

const PAGE = 500;

/**
 * Every listing of the catalog in one virtualised grid: pages of catalog.listings are fetched as
 * they scroll into view, so 100k listings cost what is on screen. A click searches with the photo.
 */
export function CatalogBrowser({ total, version }: { total: number; version: number }) {
  const { t, language } = useI18n();
  const { requestSearch } = useIntents();
  const [items, setItems] = useState<Array<ListingOut | undefined>>(() => new Array(total).fill(undefined));
  const [error, setError] = useState<Error>();
  const requested = useRef(new Set<number>());

  // A new import (version) or a new size starts from an empty cache.
  useEffect(() => {
    requested.current = new Set();
    setItems(new Array(total).fill(undefined));
  }, [total, version]);

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) {
        if (requested.current.has(page)) continue;
        requested.current.add(page);
        call('catalog.listings', { offset: page * PAGE, limit: PAGE })
          .then((out) =>
            setItems((old) => {
              const next = old.slice();
              out.listings.forEach((l, i) => {
                if (page * PAGE + i < next.length) next[page * PAGE + i] = l;
              });
              return next;
            }),
          )
          .catch((err: unknown) => {
            requested.current.delete(page);
            setError(err instanceof Error ? err : new Error(String(err)));
          });
      }
    },
    [],
  );

  return (
    <div className="card">
      <h2>{t('catalog.browse', { n: formatNumber(language, total) })}</h2>
      <p className="muted small">{t('catalog.browseHint')}</p>
      {error ? <ErrorNotice error={error} /> : null}
      <VirtualGrid
        items={items}
        label={t('catalog.browseLabel')}
        minColumnWidth={150}
        footerHeight={62}
        gap={12}
        getKey={(_, i) => String(i)}
        onRangeChange={onRangeChange}
        renderItem={(l) => {
          const sha = l?.images[0]?.sha256;
          if (!l) return <div className="listing skeleton" aria-busy="true" />;
          if (!sha) return <ListingCard listing={l} />;
          return (
            <ListingCard
              sha256={sha}
              listing={l}
              title={t('search.similarTo', { title: l.title })}
              onClick={() => requestSearch({ image: { ref: { sha256: sha }, preview: mediaUrl('thumb', sha), name: l.title } })}
            />
          );
        }}
      />
    </div>
  );
}

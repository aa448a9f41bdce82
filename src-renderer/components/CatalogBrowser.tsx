import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../src-main/api/contract';
import { call, mediaUrl } from '../api/client';
import { formatNumber } from '../format';
import { useCall } from '../hooks/useCall';
import { useI18n } from '../i18n';
import { useIntents } from '../state/intents';
import { ErrorNotice } from './Common';
import { ListingCard } from './ListingCard';
import { VirtualGrid } from './VirtualGrid';

const PAGE = 500;

type Photo = MethodOutput<'catalog.images'>['images'][number];
type Filter = Omit<MethodInput<'catalog.images'>, 'offset' | 'limit'>;

/**
 * Every photo of the catalog, with or without a listing, in one virtualised grid: pages of
 * catalog.images are fetched as they scroll into view, so 100k photos cost what is on screen.
 * Filters: folder, listing (with / without), import run, and a text over names and paths. A click
 * searches with the photo.
 */
export function CatalogBrowser({ version }: { version: number }) {
  const { t, language } = useI18n();
  const { requestSearch } = useIntents();
  const facets = useCall('catalog.facets', {});
  const [filter, setFilter] = useState<Filter>({ listing: 'any' });
  const [text, setText] = useState('');
  const [total, setTotal] = useState<number>();
  const [items, setItems] = useState<Array<Photo | undefined>>([]);
  const [error, setError] = useState<Error>();
  const requested = useRef(new Set<number>());
  const generation = useRef(0);
  const ids = { folder: useId(), listing: useId(), run: useId(), text: useId() };

  const reloadFacets = facets.reload;
  useEffect(() => reloadFacets(), [version, reloadFacets]);
  // Typing filters after a pause, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.text === (text.trim() || undefined) ? f : { ...f, text: text.trim() || undefined })), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const fetchPage = useCallback(
    (page: number) => {
      if (requested.current.has(page)) return;
      requested.current.add(page);
      const ticket = generation.current;
      call('catalog.images', { ...filter, offset: page * PAGE, limit: PAGE })
        .then((out) => {
          if (ticket !== generation.current) return;
          setTotal(out.total);
          setItems((old) => {
            const next = old.length === out.total ? old.slice() : Array.from({ length: out.total }, (_, i) => old[i]);
            out.images.forEach((img, i) => {
              if (page * PAGE + i < next.length) next[page * PAGE + i] = img;
            });
            return next;
          });
        })
        .catch((err: unknown) => {
          if (ticket !== generation.current) return;
          requested.current.delete(page);
          setError(err instanceof Error ? err : new Error(String(err)));
        });
    },
    [filter],
  );

  // A new filter or a new import (version) starts from an empty cache.
  useEffect(() => {
    generation.current++;
    requested.current = new Set();
    setItems([]);
    setTotal(undefined);
    setError(undefined);
    fetchPage(0);
  }, [fetchPage, version]);

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / PAGE); page <= Math.floor(last / PAGE); page++) fetchPage(page);
    },
    [fetchPage],
  );

  const f = facets.data;
  const filtered = filter.folder !== undefined || filter.run !== undefined || filter.listing !== 'any' || filter.text !== undefined;
  return (
    <div className="card" data-testid="catalog-browser">
      <h2>{t('catalog.photos', { n: formatNumber(language, f?.total ?? total ?? 0) })}</h2>
      <p className="muted small">{t('catalog.photosHint')}</p>
      <div className="browse-filters">
        <div className="field">
          <label htmlFor={ids.text}>{t('catalog.filter.text')}</label>
          <input id={ids.text} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('catalog.filter.textPlaceholder')} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={ids.listing}>{t('catalog.filter.listing')}</label>
          <select id={ids.listing} value={filter.listing} onChange={(e) => setFilter({ ...filter, listing: e.target.value as Filter['listing'] })}>
            <option value="any">{t('catalog.filter.listing.any')}</option>
            <option value="with">{t('catalog.filter.listing.with', { n: formatNumber(language, f?.withListing ?? 0) })}</option>
            <option value="without">{t('catalog.filter.listing.without', { n: formatNumber(language, f ? f.total - f.withListing : 0) })}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.folder}>{t('catalog.filter.folder')}</label>
          <select id={ids.folder} value={filter.folder ?? ''} onChange={(e) => setFilter({ ...filter, folder: e.target.value === '' ? undefined : e.target.value })}>
            <option value="">{t('catalog.filter.folder.any')}</option>
            {f?.folders.map((d) => (
              <option key={d.folder} value={d.folder} title={d.folder}>
                {`${shortFolder(d.folder)} (${formatNumber(language, d.count)})`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.run}>{t('catalog.filter.run')}</label>
          <select id={ids.run} value={filter.run ?? ''} onChange={(e) => setFilter({ ...filter, run: e.target.value === '' ? undefined : Number(e.target.value) })}>
            <option value="">{t('catalog.filter.run.any')}</option>
            {f?.runs.map((r) => (
              <option key={r.id} value={r.id}>
                {t('catalog.filter.run.item', { id: r.id, when: new Date(r.startedAt).toLocaleString(language), n: formatNumber(language, r.count) })}
              </option>
            ))}
          </select>
        </div>
      </div>
      {filtered && total !== undefined ? (
        <p className="muted small" data-testid="catalog-browse-count">
          {t('catalog.filter.count', { n: formatNumber(language, total) })}{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setText('');
              setFilter({ listing: 'any' });
            }}
          >
            {t('search.filter.clear')}
          </button>
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      <VirtualGrid
        items={items}
        label={t('catalog.photosLabel')}
        minColumnWidth={150}
        footerHeight={82}
        gap={12}
        getKey={(_, i) => String(i)}
        onRangeChange={onRangeChange}
        renderItem={(p) => {
          if (!p) return <div className="listing skeleton" aria-busy="true" />;
          const listing = p.listings[0];
          return (
            <ListingCard
              sha256={p.sha256}
              name={p.name}
              path={p.path}
              listing={listing ? { id: listing.id, title: listing.title } : undefined}
              footer={<div className="listing-meta">{p.listingCount ? t('catalog.photo.listings', { n: p.listingCount }) : t('catalog.photo.noListing')}</div>}
              title={t('search.similarTo', { title: p.name })}
              onClick={() => requestSearch({ image: { ref: { sha256: p.sha256 }, preview: mediaUrl('thumb', p.sha256), name: p.name } })}
            />
          );
        }}
      />
    </div>
  );
}

/** The last two parts of a folder path: enough to tell folders apart in a pick list. */
function shortFolder(folder: string): string {
  const parts = folder.replaceAll('\\', '/').split('/').filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : folder;
}

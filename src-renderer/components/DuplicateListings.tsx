import { useEffect, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../src-main/api/contract';
import { call } from '../api/client';
import { downloadText } from '../download';
import { formatNumber, formatScore } from '../format';
import { type CallState, useCall } from '../hooks/useCall';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import { useToasts } from '../state/toasts';
import { EmptyState, ErrorNotice, Spinner } from './Common';
import { Icon } from './icons';
import { Thumb } from './ListingCard';
import { VirtualList } from './VirtualList';

type ListingView = 'all' | 'merge' | 'copied';
type ListingGroup = MethodOutput<'duplicates.listings'>['groups'][number];
type AgainstRow = MethodOutput<'duplicates.against'>['rows'][number];
type Pair = ListingGroup['photos'][number]['pairs'][number];

/** The evidence of one pair in a line: cosine, hash bits, crop and frame match, colour distance, "same photo, other colour". */
export function PairFacts({ pair }: { pair: Pair }) {
  const { t } = useI18n();
  const facts = [
    pair.cosine !== null ? `${t('dup.col.cosine')} ${formatScore(pair.cosine)}` : null,
    t('dup.bits', { n: pair.hashDistance }),
    pair.alignment !== null ? `${t('dup.col.alignment')} ${formatScore(pair.alignment)}` : null,
    pair.frame !== null ? `${t('dup.col.frame')} ${formatScore(pair.frame)}` : null,
    pair.colourDistance !== null ? `${t('dup.col.colour')} ${t('dup.degrees', { n: Math.round(pair.colourDistance) })}` : null,
  ].filter(Boolean);
  return (
    <span className="muted small">
      {facts.join(' · ')}
      {pair.otherColour ? (
        <>
          {' '}
          <span className="badge accent" title={t('dup.otherColour.hint')}>
            {t('dup.otherColour')}
          </span>
        </>
      ) : null}
    </span>
  );
}

/** Error, warnings, first-load spinner and "nothing found" of a duplicates call. */
export function ResultNotices({ state, empty, emptyBody }: { state: CallState<{ warnings: string[] }>; empty: boolean; emptyBody: string }) {
  const { t } = useI18n();
  return (
    <>
      {state.error ? <ErrorNotice error={state.error} onRetry={state.reload} /> : null}
      {state.data?.warnings.map((w) => (
        <div key={w} className="notice warn">
          {w}
        </div>
      ))}
      {!state.data && state.loading ? <Spinner label={t('dup.loading')} /> : null}
      {state.data && empty ? (
        <EmptyState icon={<Icon name="check" size={28} />} title={t('dup.none.title')}>
          <p>{emptyBody}</p>
        </EmptyState>
      ) : null}
    </>
  );
}

function useExport() {
  const { t } = useI18n();
  const toasts = useToasts();
  return async (input: MethodInput<'duplicates.export'>) => {
    try {
      const out = await call('duplicates.export', input);
      downloadText(out.text, out.filename, out.mime);
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
  };
}

/** Listing-level duplicates: listings tied by the same photo, as re-listings to merge or photos copied across sellers. */
export function DuplicateListingsView() {
  const { t, language } = useI18n();
  const [view, setView] = usePersistentState<ListingView>('dup.listings.view', 'copied');
  const [sort, setSort] = usePersistentState<'sellers' | 'listings'>('dup.listings.sort', 'sellers');
  const find = useCall('duplicates.listings', { view, sort, limit: 5000 });
  const exportAs = useExport();
  const [index, setIndex] = useState(0);
  useEffect(() => setIndex(0), [view, sort]);
  const groups = find.data?.groups ?? [];
  const group = groups[Math.min(index, groups.length - 1)];
  return (
    <>
      <p className="lead">{t('dup.listings.lead')}</p>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('dup.view')}</span>
          <select value={view} onChange={(e) => setView(e.target.value as ListingView)} data-testid="dup-listing-view">
            <option value="copied">{t('dup.view.copied')}</option>
            <option value="merge">{t('dup.view.merge')}</option>
            <option value="all">{t('dup.view.all')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('dup.sort')}</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as 'sellers' | 'listings')}>
            <option value="sellers">{t('dup.listings.sort.sellers')}</option>
            <option value="listings">{t('dup.listings.sort.listings')}</option>
          </select>
        </label>
        <span className="spacer" />
        <button type="button" onClick={() => void exportAs({ what: 'listings', view, format: 'csv' })}>
          {t('dup.exportListingsCsv')}
        </button>
        <button type="button" onClick={() => void exportAs({ what: 'listings', view, format: 'json' })}>
          {t('dup.exportListingsJson')}
        </button>
      </div>
      <ResultNotices state={find} empty={groups.length === 0} emptyBody={t('dup.listings.none')} />
      {group ? (
        <div className="review">
          <div className="review-list">
            <div className="review-list-head muted small">{t('dup.groups', { n: formatNumber(language, find.data?.totalGroups ?? groups.length) })}</div>
            <VirtualList
              items={groups}
              rowHeight={64}
              label={t('dup.listings.groupList')}
              activeIndex={index}
              getKey={(g) => g.id}
              renderItem={(g, i) => (
                <button type="button" className={i === index ? 'group-row active' : 'group-row'} aria-current={i === index ? 'true' : undefined} onClick={() => setIndex(i)}>
                  {g.photos[0]?.images[0] ? <Thumb sha256={g.photos[0].images[0].sha256} alt="" size={44} /> : null}
                  <span className="group-row-text">
                    <span className="group-row-title">{g.listings[0]?.title || g.listings[0]?.id}</span>
                    <span className="muted small">
                      {t(g.kind === 'same_seller' ? 'dup.listings.kind.same_seller' : 'dup.listings.kind.different_sellers')} · {t('dup.listings.groupMeta', { size: g.size, sellers: g.sellers })}
                    </span>
                  </span>
                </button>
              )}
            />
          </div>
          <ListingGroupDetail group={group} />
        </div>
      ) : null}
    </>
  );
}

function ListingGroupDetail({ group }: { group: ListingGroup }) {
  const { t } = useI18n();
  return (
    <div className="review-detail" data-testid="dup-listing-group">
      <div className="row review-actions">
        <h2>{t('dup.listings.title', { id: group.id, size: group.size, sellers: group.sellers })}</h2>
        <span className={group.kind === 'same_seller' ? 'badge' : 'badge danger'}>
          {t(group.kind === 'same_seller' ? 'dup.listings.kind.same_seller' : 'dup.listings.kind.different_sellers')}
        </span>
      </div>
      <table className="data" aria-label={t('dup.listings.groupList')}>
        <thead>
          <tr>
            <th>{t('dup.listings.col.listing')}</th>
            <th>{t('dup.listings.col.seller')}</th>
            <th>{t('dup.listings.col.source')}</th>
            <th className="num">{t('dup.listings.col.photos')}</th>
            <th className="num">{t('dup.listings.col.shared')}</th>
          </tr>
        </thead>
        <tbody>
          {group.listings.map((l) => (
            <tr key={l.id}>
              <td>
                <strong>{l.id}</strong> {l.title}
              </td>
              <td>{l.seller ?? '—'}</td>
              <td className="muted small">{l.source ? (l.source.split(/[\\/]/).pop() ?? l.source) : '—'}</td>
              <td className="num">{l.photos}</td>
              <td className="num">{l.sharedPhotos}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('dup.listings.sharedPhotos')}</h3>
      {group.photos.map((p) => (
        <div key={p.images[0]?.sha256} className="card shared-photo">
          <div className="row">
            {p.images.map((im) => (
              <span key={im.sha256} className="pair-cell" title={im.paths[0] ?? im.sha256}>
                <Thumb sha256={im.sha256} alt="" size={64} /> {im.listings.join(', ')}
              </span>
            ))}
          </div>
          <div className="muted small">{t('dup.listings.photoBy', { listings: p.listings.join(', '), sellers: p.sellers.join(', ') || '—' })}</div>
          {p.pairs.map((pair) => (
            <div key={`${pair.a}-${pair.b}`}>
              <PairFacts pair={pair} />
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

/** Cross-catalog matching: each listing of ours against the listings of another imported source. */
export function DuplicateAgainstView() {
  const { t, language } = useI18n();
  const sources = useCall('duplicates.sources', {});
  const [source, setSource] = usePersistentState<string>('dup.against.source', '');
  const known = sources.data?.sources ?? [];
  const chosen = known.some((s) => s.source === source) ? source : '';
  const result = useCall('duplicates.against', { source: chosen || '-', limit: 2000 }, chosen !== '');
  const exportAs = useExport();
  const data = chosen ? result.data : undefined;
  return (
    <>
      <p className="lead">{t('dup.against.lead')}</p>
      <div className="toolbar">
        <label className="inline-field">
          <span>{t('dup.against.source')}</span>
          <select value={chosen} onChange={(e) => setSource(e.target.value)} data-testid="dup-against-source">
            <option value="">{t('dup.against.pick')}</option>
            {known.map((s) => (
              <option key={s.source} value={s.source} title={s.source}>
                {s.name} ({formatNumber(language, s.listings)})
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" disabled={!chosen} onClick={() => void exportAs({ what: 'against', source: chosen, format: 'csv' })}>
          {t('dup.exportAgainstCsv')}
        </button>
      </div>
      {sources.data && known.length < 2 ? <div className="notice">{t('dup.against.noSources')}</div> : null}
      {result.error && chosen ? <ErrorNotice error={result.error} onRetry={result.reload} /> : null}
      {chosen && !data && result.loading ? <Spinner label={t('dup.loading')} /> : null}
      {data ? (
        <>
          <p className="muted" data-testid="dup-against-summary">
            {t('dup.against.summary', {
              near: formatNumber(language, data.withNear),
              a: formatNumber(language, data.listingsA),
              similar: formatNumber(language, data.withSimilarOnly),
              source: data.source.split(/[\\/]/).pop() ?? data.source,
            })}
          </p>
          <table className="data" aria-label={t('dup.mode.against')}>
            <thead>
              <tr>
                <th>{t('dup.against.col.listing')}</th>
                <th>{t('dup.against.col.near')}</th>
                <th>{t('dup.against.col.similar')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <AgainstRowView key={r.listing.id} row={r} />
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}

function AgainstRowView({ row }: { row: AgainstRow }) {
  const { t } = useI18n();
  const match = (m: AgainstRow['near'][number]) => (
    <div key={`${m.listing.id}-${m.pair.b}`} className="pair-cell">
      <Thumb sha256={m.pair.b} alt="" size={40} />
      <span>
        <strong>{m.listing.id}</strong> {m.listing.title} {m.listing.seller ? <span className="muted">· {m.listing.seller}</span> : null}
        <br />
        <span className="badge">{t(m.tier === 'similar' ? 'dup.tier.similar' : m.tier === 'exact' ? 'dup.tier.exact' : 'dup.tier.near')}</span> <PairFacts pair={m.pair} />
      </span>
    </div>
  );
  const first = row.near[0] ?? row.similar[0];
  return (
    <tr>
      <td>
        <span className="pair-cell">
          {first ? <Thumb sha256={first.pair.a} alt="" size={40} /> : null}
          <span>
            <strong>{row.listing.id}</strong> {row.listing.title}
            {row.listing.seller ? <span className="muted"> · {row.listing.seller}</span> : null}
          </span>
        </span>
      </td>
      <td>{row.near.length ? row.near.map(match) : '—'}</td>
      <td>{row.similar.length ? row.similar.map(match) : '—'}</td>
    </tr>
  );
}

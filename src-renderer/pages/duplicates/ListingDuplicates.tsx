import { useEffect, useState } from 'react';
import { Thumb } from '../../components/ListingCard';
import { VirtualList } from '../../components/VirtualList';
import { formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';
import { usePersistentState } from '../../hooks/usePersistentState';
import { useI18n } from '../../i18n';
import { ListingGroupDetail } from './ListingGroupDetail';
import { ResultNotices } from './ResultNotices';
import { useExport } from './useExport';

type ListingView = 'all' | 'merge' | 'copied';

/** Listing-level duplicates: listings tied by the same photo, as re-listings to merge or photos copied across sellers. */
export function ListingDuplicates() {
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

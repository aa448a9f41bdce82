import { Thumb } from '../../components/ListingCard';
import { VirtualList } from '../../components/VirtualList';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import { photoCount, photoName, photosOnly } from '../../photo-name';
import type { Group } from './useGroupReview';

interface Props {
  groups: Group[];
  /** All groups found, of which `groups` are the first. */
  total: number;
  loading: boolean;
  index: number;
  onSelect: (index: number) => void;
}

/** The review queue: one row per group, the current one highlighted, reviewed ones ticked. */
export function GroupList({ groups, total, loading, index, onSelect }: Props) {
  const { t, language } = useI18n();
  return (
    <div className="review-list">
      <div className="review-list-head muted small">
        {t('dup.groups', { n: formatNumber(language, total) })} {loading ? <span className="spinner" aria-hidden="true" /> : null}
      </div>
      <VirtualList
        items={groups}
        rowHeight={64}
        label={t('dup.groupList')}
        activeIndex={index}
        getKey={(g) => g.id}
        renderItem={(g, i) => (
          <button type="button" className={i === index ? 'group-row active' : 'group-row'} aria-current={i === index ? 'true' : undefined} onClick={() => onSelect(i)}>
            <Thumb sha256={g.images[0]!.sha256} alt="" size={44} />
            <span className="group-row-text">
              <span className="group-row-title">{photoName(g.images[0]!)}</span>
              <span className="muted small">{photosOnly(g) ? t('dup.groupMetaPhotos', { n: photoCount(g) }) : t('dup.groupMeta', { size: g.size, sellers: g.sellers })}</span>
            </span>
            {g.images.some((im) => im.keep) ? (
              <span className="badge ok" title={t('dup.reviewed')}>
                ✓
              </span>
            ) : null}
          </button>
        )}
      />
    </div>
  );
}

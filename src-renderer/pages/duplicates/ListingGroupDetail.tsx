import type { MethodOutput } from '../../../src-main/api/contract';
import { Thumb } from '../../components/ListingCard';
import { useI18n } from '../../i18n';
import { PairFacts } from './PairFacts';

type ListingGroup = MethodOutput<'duplicates.listings'>['groups'][number];

/** One group of listings tied by the same photo: each listing with its seller and source, then the shared photos with their evidence. */
export function ListingGroupDetail({ group }: { group: ListingGroup }) {
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

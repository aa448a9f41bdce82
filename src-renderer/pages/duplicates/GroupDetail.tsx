import { Kbd } from '../../components/Common';
import { ListingCard } from '../../components/ListingCard';
import { useI18n } from '../../i18n';
import { baseName, photoCount, photoName, photosOnly } from '../../photo-name';
import { EvidenceTable } from './EvidenceTable';
import type { Group, Verdict } from './useGroupReview';

interface Props {
  group: Group;
  keep?: string;
  setKeep: (s: string) => void;
  verdicts: Record<string, Verdict>;
  setVerdict: (sha: string, v: Verdict) => void;
  onSave: () => void;
  onAll: (v: Verdict) => void;
}

/** One group under review: its images with the keep choice and a verdict on each other image, then the evidence. */
export function GroupDetail({ group, keep, setKeep, verdicts, setVerdict, onSave, onAll }: Props) {
  const { t } = useI18n();
  return (
    <div className="review-detail" data-testid="dup-group">
      <div className="row review-actions">
        <h2>{photosOnly(group) ? t('dup.groupTitlePhotos', { id: group.id, n: photoCount(group) }) : t('dup.groupTitle', { id: group.id, size: group.size, sellers: group.sellers })}</h2>
        <span className="spacer" />
        <button type="button" onClick={() => onAll('not_duplicate')} title={`${t('dup.allNot')} (N)`} aria-keyshortcuts="N">
          {t('dup.allNot')} <Kbd keys="n" />
        </button>
        <button type="button" className="primary" onClick={() => onAll('duplicate')} title={`${t('dup.allDup')} (D)`} aria-keyshortcuts="D">
          {t('dup.allDup')} <Kbd keys="d" />
        </button>
      </div>
      <p className="muted small">{t('dup.keysHint')}</p>
      <div className="group-images">
        {group.images.map((img, i) => {
          const listing = img.listings[0];
          const isKeep = img.sha256 === keep;
          const verdict = verdicts[img.sha256] ?? 'duplicate';
          return (
            <div key={img.sha256} className="group-image">
              <ListingCard
                sha256={img.sha256}
                name={photoName(img)}
                path={img.paths[0]}
                listing={listing ? { id: listing.id, title: listing.title, price: listing.price, seller: listing.seller, category: listing.category } : undefined}
                rank={i < 9 ? i + 1 : undefined}
                selected={isKeep}
                score={img.keep ? t('dup.kept') : img.centre ? t('dup.centre') : undefined}
                footer={
                  <div className="image-controls">
                    <label className="radio">
                      <input type="radio" name={`keep-${group.id}`} checked={isKeep} onChange={() => setKeep(img.sha256)} />
                      {t('dup.keepThis')}
                    </label>
                    {!isKeep ? (
                      <select aria-label={t('dup.verdictFor', { id: listing?.id ?? img.sha256.slice(0, 10) })} value={verdict} onChange={(e) => setVerdict(img.sha256, e.target.value as Verdict)}>
                        <option value="duplicate">{t('dup.verdict.duplicate')}</option>
                        <option value="not_duplicate">{t('dup.verdict.not')}</option>
                      </select>
                    ) : null}
                  </div>
                }
              />
              {img.listings.length > 1 ? <div className="muted small">{t('dup.moreListings', { n: img.listings.length - 1 })}</div> : null}
              {img.paths.length > 1 ? (
                <div className="muted small same-file" data-testid="dup-same-file">
                  {t('dup.sameFile', { n: img.paths.length })}
                  <ul>
                    {img.paths.map((p) => (
                      <li key={p} title={p}>
                        {baseName(p)}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
      <div className="row">
        <button type="button" className="primary" onClick={onSave} title={`${t('dup.save')} (Enter)`}>
          {t('dup.save')}
        </button>
      </div>
      <h3>{t('dup.evidence')}</h3>
      <EvidenceTable group={group} />
    </div>
  );
}

import { useState } from 'react';
import { Thumb } from '../../components/ListingCard';
import { formatScore } from '../../format';
import { useI18n } from '../../i18n';
import { photoName } from '../../photo-name';
import { TIERS } from './tiers';
import type { Group } from './useGroupReview';

/** Why the group's images were grouped: the measures of each pair (the first 12 until asked for all). */
export function EvidenceTable({ group }: { group: Group }) {
  const { t } = useI18n();
  const [allPairs, setAllPairs] = useState(false);
  const titleOf = (sha: string) => {
    const img = group.images.find((i) => i.sha256 === sha);
    return img?.listings[0]?.id ?? (img ? photoName(img) : sha.slice(0, 10));
  };
  const pairs = allPairs ? group.pairs : group.pairs.slice(0, 12);
  return (
    <>
      <table className="data" aria-label={t('dup.evidence')}>
        <thead>
          <tr>
            <th>{t('dup.col.a')}</th>
            <th>{t('dup.col.b')}</th>
            <th className="num">{t('dup.col.hash')}</th>
            <th className="num">{t('dup.col.cosine')}</th>
            <th className="num" title={t('dup.col.alignment.hint')}>
              {t('dup.col.alignment')}
            </th>
            <th className="num" title={t('dup.col.frame.hint')}>
              {t('dup.col.frame')}
            </th>
            <th className="num" title={t('dup.col.colour.hint')}>
              {t('dup.col.colour')}
            </th>
            <th>{t('dup.col.tier')}</th>
            <th>{t('dup.col.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={`${p.a}-${p.b}`}>
              <td>
                <span className="pair-cell">
                  <Thumb sha256={p.a} alt="" size={28} /> {titleOf(p.a)}
                </span>
              </td>
              <td>
                <span className="pair-cell">
                  <Thumb sha256={p.b} alt="" size={28} /> {titleOf(p.b)}
                </span>
              </td>
              <td className="num">{t('dup.bits', { n: p.hashDistance })}</td>
              <td className="num">{p.cosine !== null ? formatScore(p.cosine) : '—'}</td>
              <td className="num">{p.alignment !== null ? formatScore(p.alignment) : '—'}</td>
              <td className="num">{p.frame !== null ? formatScore(p.frame) : '—'}</td>
              <td className="num">{p.colourDistance !== null ? t('dup.degrees', { n: Math.round(p.colourDistance) }) : '—'}</td>
              <td>
                {p.tier ? <span className="badge">{t(TIERS.find((x) => x.id === p.tier)!.label)}</span> : '—'}
                {p.otherColour ? (
                  <span className="badge accent" title={t('dup.otherColour.hint')}>
                    {t('dup.otherColour')}
                  </span>
                ) : null}
              </td>
              <td>
                {p.decision ? (
                  <span className={p.decision === 'duplicate' ? 'badge danger' : 'badge ok'}>{t(p.decision === 'duplicate' ? 'dup.verdict.duplicate' : 'dup.verdict.not')}</span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {group.pairs.length > pairs.length ? (
        <button type="button" className="link" onClick={() => setAllPairs(true)}>
          {t('dup.allPairs', { n: group.pairs.length })}
        </button>
      ) : null}
    </>
  );
}

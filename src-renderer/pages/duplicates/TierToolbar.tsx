import { formatScore } from '../../format';
import { useI18n } from '../../i18n';
import { TIERS, type Tier } from './tiers';

export type GroupSort = 'size' | 'sellers';

interface Props {
  tier: Tier;
  setTier: (tier: Tier) => void;
  /** The threshold on show: the slider's while it moves, else the one applied. */
  threshold?: number;
  setThreshold: (threshold: number) => void;
  sort: GroupSort;
  setSort: (sort: GroupSort) => void;
}

/** Tier, its cosine threshold and the group order, with the chosen tier's explanation below. */
export function TierToolbar({ tier, setTier, threshold, setThreshold, sort, setSort }: Props) {
  const { t } = useI18n();
  return (
    <>
      <div className="toolbar">
        <div className="segmented" role="group" aria-label={t('dup.tier')}>
          {TIERS.map((x) => (
            <button key={x.id} type="button" aria-pressed={tier === x.id} title={t(x.hint)} onClick={() => setTier(x.id)}>
              {t(x.label)}
            </button>
          ))}
        </div>
        {tier !== 'exact' ? (
          <label className="slider">
            <span>{t('dup.threshold')}</span>
            <input
              type="range"
              min={0.5}
              max={1}
              step={0.005}
              value={threshold ?? 0.9}
              onChange={(e) => setThreshold(Number(e.target.value))}
              aria-valuetext={formatScore(threshold ?? 0.9)}
            />
            <output>{threshold !== undefined ? formatScore(threshold) : '—'}</output>
          </label>
        ) : null}
        <label className="inline-field">
          <span>{t('dup.sort')}</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as GroupSort)}>
            <option value="size">{t('dup.sort.size')}</option>
            <option value="sellers">{t('dup.sort.sellers')}</option>
          </select>
        </label>
      </div>
      <p className="muted small tier-hint">{t(TIERS.find((x) => x.id === tier)!.hint)}</p>
    </>
  );
}

import type { MethodOutput } from '../../../src-main/api/contract';
import { ErrorNotice, Spinner } from '../../components/Common';
import { formatNumber } from '../../format';
import type { CallState } from '../../hooks/useCall';
import { useI18n } from '../../i18n';

/** The catalog in numbers: listings, images, vectors per model, database size, photos still to embed. */
export function CatalogStats({ stats }: { stats: CallState<MethodOutput<'catalog.stats'>> }) {
  const { t, language } = useI18n();
  return (
    <>
      {stats.error ? <ErrorNotice error={stats.error} onRetry={stats.reload} /> : null}
      {stats.data ? (
        <div className="stats" data-testid="catalog-stats">
          <Stat label={t('catalog.stat.listings')} value={formatNumber(language, stats.data.listings)} />
          <Stat label={t('catalog.stat.images')} value={formatNumber(language, stats.data.images)} />
          {stats.data.models.map((m) => (
            <Stat key={`${m.modelId}@${m.revision}`} label={t('catalog.stat.vectors', { model: m.modelId, dim: m.dim })} value={formatNumber(language, m.count)} />
          ))}
          <Stat label={t('catalog.stat.size')} value={`${formatNumber(language, stats.data.dbBytes / 1048576, 1)} MB`} title={stats.data.dbPath} />
          {stats.data.pendingImages > 0 ? <Stat label={t('catalog.stat.pending')} value={formatNumber(language, stats.data.pendingImages)} title={t('catalog.pendingHint')} tone="danger" /> : null}
        </div>
      ) : stats.loading ? (
        <Spinner label={t('common.loading')} />
      ) : null}
    </>
  );
}

function Stat({ label, value, title, tone }: { label: string; value: string; title?: string; tone?: 'danger' }) {
  return (
    <div className={tone ? `stat ${tone}` : 'stat'} title={title}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

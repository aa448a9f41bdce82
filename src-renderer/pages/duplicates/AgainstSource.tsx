import type { MethodOutput } from '../../../src-main/api/contract';
import { ErrorNotice, Spinner } from '../../components/Common';
import { Thumb } from '../../components/ListingCard';
import { formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';
import { usePersistentState } from '../../hooks/usePersistentState';
import { useI18n } from '../../i18n';
import { PairFacts } from './PairFacts';
import { useExport } from './useExport';

type AgainstRow = MethodOutput<'duplicates.against'>['rows'][number];

/** Cross-catalog matching: each listing of ours against the listings of another imported source. */
export function AgainstSource() {
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

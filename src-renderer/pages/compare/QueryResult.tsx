import type { MethodOutput } from '../../../src-main/api/contract';
import { LatencyBars } from '../../components/LatencyBars';
import { Thumb } from '../../components/ListingCard';
import { familyLabel } from '../../family-label';
import { formatMs, formatNumber, formatPercent, formatProbability, formatScore } from '../../format';
import { useI18n } from '../../i18n';

/** One query on both models: overlap and rank agreement, latency, and the two result lists side by side. */
export function QueryResult({ out }: { out: MethodOutput<'compare.query'> }) {
  const { t, language } = useI18n();
  const [a, b] = out.runs;
  return (
    <div className="card" data-testid="compare-result">
      <div className="stats">
        <div className="stat">
          <div className="stat-value">{formatPercent(language, out.overlapAtK)}</div>
          <div className="stat-label">{t('cmp.overlap', { k: out.k })}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{out.rankCorrelation === null ? '—' : formatNumber(language, out.rankCorrelation, 2)}</div>
          <div className="stat-label">{t('cmp.rankCorr')}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{out.aligned.filter((r) => r.foundBy === 'first').length}</div>
          <div className="stat-label">{t('cmp.onlyIn', { model: a.model.id })}</div>
        </div>
        <div className="stat">
          <div className="stat-value">{out.aligned.filter((r) => r.foundBy === 'second').length}</div>
          <div className="stat-label">{t('cmp.onlyIn', { model: b.model.id })}</div>
        </div>
      </div>
      <h3>{t('cmp.latency')}</h3>
      <LatencyBars
        label={t('cmp.latencyLabel')}
        format={(v) => t('cmp.ms', { ms: formatMs(language, v) })}
        bars={out.runs.map((r) => ({
          label: `${r.model.id}`,
          value: r.ms,
          detail: `· ${r.model.provider}${r.loadMs ? ` · ${t('cmp.load', { ms: formatMs(language, r.loadMs) })}` : ''}`,
          tone: r.model.kind === 'softmax' ? ('b' as const) : ('a' as const),
        }))}
      />
      <div className="compare-columns">
        {out.runs.map((run) => (
          <div key={run.model.id} className="compare-column">
            <h3>
              <span className={`family ${run.model.family}`}>{familyLabel(run.model.family)}</span> {run.model.name}
            </h3>
            <ol className="hit-list">
              {run.items.map((hit) => (
                <li key={`${hit.sha256}-${hit.rank}`} className={hit.onlyHere ? 'hit only' : 'hit'}>
                  <span className="hit-rank">{hit.rank}</span>
                  <Thumb sha256={hit.sha256} alt="" size={40} />
                  <span className="hit-text">
                    <span className="group-row-title">{hit.title ?? hit.sha256.slice(0, 12)}</span>
                    <span className="muted small">
                      {t('cmp.score', { s: formatScore(hit.score) })}
                      {hit.probability !== null ? ` · ${t('cmp.probability', { p: formatProbability(language, hit.probability) })}` : ''}
                    </span>
                  </span>
                  {hit.onlyHere ? <span className={run.model.kind === 'softmax' ? 'badge ok' : 'badge accent'}>{t('cmp.onlyHere')}</span> : null}
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
      <p className="muted small">{t('cmp.scoreNote')}</p>
    </div>
  );
}

import type { MethodOutput } from '../../../src-main/api/contract';
import { Histogram } from '../../components/Histogram';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';

/** How the queue's scores spread, with the review threshold marked; beside it the relative model's scores when the list has one. */
export function ScoreCharts({ data, below }: { data: MethodOutput<'mismatch.list'>; below: number }) {
  const { t, language } = useI18n();
  const sigmoid = data.scoreField === 'probability';
  return (
    <div className="chart-pair">
      <div className="card chart-card">
        <div className="chart-head">
          <h2>{sigmoid ? t('mm.chart.probability') : t('mm.chart.relative')}</h2>
          <span className="muted small">{t('mm.chart.scored', { n: formatNumber(language, data.coverage.scored) })}</span>
        </div>
        <Histogram
          bins={data.histogram}
          label={t('mm.chart.label')}
          markers={below < 1 ? [{ value: below, label: t('mm.chart.threshold') }] : []}
          highlight={below < 1 ? { from: 0, to: below } : undefined}
          xLabel={sigmoid ? t('mm.chart.xProbability') : t('mm.chart.xRelative')}
          height={140}
        />
      </div>
      {data.relativeHistogram && data.relativeModel ? (
        <div className="card chart-card">
          <div className="chart-head">
            <h2>{t('mm.chart.relative')}</h2>
            <span className="muted small">{data.relativeModel.id}</span>
          </div>
          <Histogram bins={data.relativeHistogram} label={t('mm.chart.relativeLabel')} xLabel={t('mm.chart.xRelative')} height={140} />
        </div>
      ) : null}
    </div>
  );
}

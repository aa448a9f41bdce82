import { useMemo } from 'react';
import type { MethodOutput } from '../../../src-main/api/contract';
import { Histogram, binsFromEdges, trimBins } from '../../components/Histogram';
import { formatNumber, formatScore } from '../../format';
import { useI18n } from '../../i18n';

interface Props {
  distribution: MethodOutput<'duplicates.distribution'>;
  /** Kept in view when the tails are trimmed. */
  threshold?: number;
  /** Mark the threshold and shade the pairs right of it (not for exact copies). */
  marked: boolean;
}

/** The cosine of every candidate pair, as a histogram with the threshold marked. */
export function ScoreChart({ distribution, threshold, marked }: Props) {
  const { t, language } = useI18n();
  const bins = useMemo(() => {
    const h = distribution.cosine.all;
    return trimBins(binsFromEdges(h.edges, h.counts), threshold !== undefined ? [threshold] : []);
  }, [distribution, threshold]);
  return (
    <div className="card chart-card">
      <div className="chart-head">
        <h2>{t('dup.chart.title')}</h2>
        <span className="muted small">{t('dup.chart.pairs', { n: formatNumber(language, distribution.pairs) })}</span>
      </div>
      <Histogram
        bins={bins}
        label={t('dup.chart.label', { n: distribution.pairs })}
        markers={threshold !== undefined && marked ? [{ value: threshold, label: t('dup.chart.threshold', { v: formatScore(threshold) }) }] : []}
        highlight={threshold !== undefined && marked ? { from: threshold, to: 1 } : undefined}
        xLabel={t('dup.chart.x')}
        height={150}
      />
    </div>
  );
}

import { formatMs, formatNumber } from '../../format';
import { useI18n } from '../../i18n';
import type { SearchOutput } from '../../state/search';
import { matchValue } from './results';

/** The line above the results: how many, how fast, with which model and method, and a good match's strength. */
export function ResultsMeta({ output, busy }: { output: SearchOutput; busy: boolean }) {
  const { t, language } = useI18n();
  const results = output.results;
  return (
    <div className="results-meta" aria-live="polite" data-testid="search-meta">
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      <span>{t('search.meta', { n: formatNumber(language, results.length), ms: formatMs(language, output.ms), model: output.model, searched: formatNumber(language, output.searched) })}</span>
      {output.stacked && results.some((r) => r.copies.length) ? (
        <span className="badge">{t('search.stackedMeta', { n: formatNumber(language, results.reduce((s, r) => s + r.copies.length, 0)) })}</span>
      ) : null}
      <span className="badge">{output.method === 'exact' ? t('search.method.exact') : output.method === 'ann' ? t('search.method.ann') : 'Qdrant'}</span>
      {output.match && !output.match.weak ? (
        <span className="badge ok" title={t(output.match.kind === 'probability' ? 'search.match.probabilityHint' : 'search.match.relativeHint')}>
          {t('search.match.best', { value: matchValue(language, output.match) })}
        </span>
      ) : null}
      <span className="muted small">{t('search.scoreNote')}</span>
    </div>
  );
}

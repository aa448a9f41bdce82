import { useEffect, useRef, useState } from 'react';
import { mediaUrl } from '../api/client';
import { EmptyState, ErrorNotice, Spinner } from '../components/Common';
import { Icon } from '../components/icons';
import { useCall } from '../hooks/useCall';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { useSearchControls } from '../state/search';
import { onlyDemoModels } from '../useStatus';
import type { PageProps } from './page-props';
import { FirstRun } from './search/FirstRun';
import { QueryForm } from './search/QueryForm';
import { ResultsGrid } from './search/ResultsGrid';
import { ResultsMeta } from './search/ResultsMeta';
import { matchValue } from './search/results';
import { useSearch } from './search/useSearch';

export function SearchPage({ status, navigate }: PageProps) {
  const { t, language } = useI18n();
  const { query, output, error, busy, open, toggle, run, update } = useSearch();
  const [showFilters, setShowFilters] = useState(Boolean(query.category || query.seller || query.priceMin || query.priceMax));
  const box = useRef<HTMLInputElement>(null);
  // Category and seller pick lists, with counts; re-read when the catalog changes.
  const facets = useCall('catalog.facets', {}, showFilters);
  const reloadFacets = facets.reload;
  useEffect(() => reloadFacets(), [status?.listings, reloadFacets]);

  // "/" pressed on another page: focus the box once it is here.
  const { takeFocusRequest } = useSearchControls();
  useEffect(() => {
    if (takeFocusRequest()) box.current?.focus();
  });

  const similarTo = (sha256: string, title: string) => update({ image: { ref: { sha256 }, preview: mediaUrl('thumb', sha256), name: title }, text: '' }, true);

  const catalogEmpty = status !== undefined && status.images === 0 && status.listings === 0;
  const models = status?.packs.models.filter((m) => m.status === 'ok') ?? [];
  const results = output?.results ?? [];
  // A model with no vectors in a catalog that has photos: nothing was searched, not filtered out.
  const notEmbedded = output !== undefined && output.store === 'local' && output.searched === 0 && (status?.images ?? 0) > 0;

  return (
    <section className="page" aria-labelledby="search-title">
      <div className="page-head">
        <div>
          <h1 id="search-title">{t('nav.search')}</h1>
          <p className="lead">{t('search.lead')}</p>
        </div>
      </div>
      {onlyDemoModels(status) ? (
        <div className="notice warn" role="note" data-testid="demo-banner">
          <span>
            <strong>{t('search.demoBanner.title')}</strong> {t('search.demoBanner.body')}
          </span>
          <button type="button" onClick={() => navigate('models')}>
            {t('search.demoBanner.action')}
          </button>
        </div>
      ) : null}

      {status === undefined ? (
        // Until the catalog's size is known: neither the first-run welcome nor the search form, so
        // a new user does not see one flash into the other.
        <Spinner label={t('common.loading')} />
      ) : catalogEmpty ? (
        <FirstRun navigate={navigate} />
      ) : (
        <>
          <QueryForm query={query} update={update} run={(q) => void run(q)} boxRef={box} models={models} showFilters={showFilters} toggleFilters={() => setShowFilters((v) => !v)} facets={facets.data} />

          {error ? <ErrorNotice error={error} onRetry={() => void run(query)} /> : null}
          {output ? <ResultsMeta output={output} busy={busy} /> : busy ? <Spinner label={t('search.searching')} /> : null}
          {output?.match?.weak && results.length > 0 ? (
            <div className="notice warn" role="note" data-testid="weak-match">
              <strong>{t('search.weak.title')}</strong>{' '}
              {t(output.match.kind === 'probability' ? 'search.weak.probability' : 'search.weak.relative', { value: matchValue(language, output.match), threshold: matchValue(language, { ...output.match, best: output.match.threshold }) })}
            </div>
          ) : null}
          {output && results.length === 0 && notEmbedded ? (
            <EmptyState
              title={t('search.notEmbedded.title', { model: output.model })}
              actions={
                <button type="button" className="primary" onClick={() => navigate('catalog')}>
                  {t('common.goCatalog')}
                </button>
              }
            >
              <p>{t('search.notEmbedded.body', { model: output.model, n: formatNumber(language, status?.images ?? 0) })}</p>
            </EmptyState>
          ) : output && results.length === 0 ? (
            <EmptyState title={t('search.noResults.title')}>
              <p>{t('search.noResults.body')}</p>
            </EmptyState>
          ) : null}
          {results.length > 0 ? <ResultsGrid results={results} open={open} onToggle={toggle} onSimilar={similarTo} weak={Boolean(output?.match?.weak)} /> : null}
          {!output && !busy && !error ? (
            <EmptyState icon={<Icon name="upload" size={28} />} title={t('search.start.title')}>
              <p>{t('search.start.body')}</p>
            </EmptyState>
          ) : null}
        </>
      )}
    </section>
  );
}

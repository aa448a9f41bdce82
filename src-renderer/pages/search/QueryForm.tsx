import { type RefObject, useId } from 'react';
import type { MethodOutput } from '../../../src-main/api/contract';
import { Kbd } from '../../components/Common';
import { ImagePicker } from '../../components/ImagePicker';
import { DEMO_QUERY } from '../../hooks/useDemoLoader';
import { useI18n } from '../../i18n';
import { SEARCH_BOX_ID, type SearchQuery } from '../../state/search';
import { FacetSelect } from './FacetSelect';

interface Props {
  query: SearchQuery;
  update: (patch: Partial<SearchQuery>, search?: boolean | 'soon') => void;
  run: (query: SearchQuery) => void;
  boxRef: RefObject<HTMLInputElement | null>;
  /** The packs a search can use. */
  models: Array<{ id: string; name: string }>;
  showFilters: boolean;
  toggleFilters: () => void;
  /** Category and seller pick lists, with counts (while the filters are shown). */
  facets?: MethodOutput<'catalog.facets'>;
}

/** The search form: a photo, text, the photo/text balance, model, result count, stacking and filters. */
export function QueryForm({ query, update, run, boxRef, models, showFilters, toggleFilters, facets }: Props) {
  const { t } = useI18n();
  const ids = { category: useId(), seller: useId(), min: useId(), max: useId(), k: useId(), model: useId(), weight: useId(), stack: useId() };
  return (
    <form
      className="query card"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        run(query);
      }}
    >
      <ImagePicker image={query.image} onChange={(image) => update({ image }, Boolean(image) || Boolean(query.text.trim()))} />
      <div className="query-main">
        <label htmlFor={SEARCH_BOX_ID} className="sr-only">
          {t('search.textLabel')}
        </label>
        <div className="query-row">
          <input
            id={SEARCH_BOX_ID}
            ref={boxRef}
            type="search"
            value={query.text}
            onChange={(e) => update({ text: e.target.value })}
            placeholder={query.image ? t('search.refinePlaceholder') : t('search.textPlaceholder', { example: DEMO_QUERY })}
            aria-keyshortcuts="/"
            title={`${t('search.textLabel')} (/)`}
            autoComplete="off"
          />
          <button type="submit" className="primary" disabled={!query.image && !query.text.trim()}>
            {t('search.submit')}
          </button>
        </div>
        {query.image && query.text.trim() ? (
          <label className="slider" htmlFor={ids.weight}>
            <span>{t('search.weight.photo')}</span>
            <input id={ids.weight} type="range" min={0} max={1} step={0.05} value={query.textWeight} onChange={(e) => update({ textWeight: Number(e.target.value) })} onPointerUp={() => run(query)} onKeyUp={() => run(query)} aria-valuetext={t('search.weight.value', { w: Math.round(query.textWeight * 100) })} />
            <span>{t('search.weight.text')}</span>
          </label>
        ) : null}
        <div className="row small query-options">
          <label className="inline-field" htmlFor={ids.model}>
            <span>{t('search.model')}</span>
            <select id={ids.model} value={query.model} onChange={(e) => update({ model: e.target.value }, true)}>
              <option value="">{t('search.model.default')}</option>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field" htmlFor={ids.k}>
            <span>{t('search.k')}</span>
            <select id={ids.k} value={query.k} onChange={(e) => update({ k: Number(e.target.value) }, true)}>
              {[20, 50, 100, 200, 500].map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field check" htmlFor={ids.stack} title={t('search.stack.hint')}>
            <input id={ids.stack} type="checkbox" checked={query.stack} onChange={(e) => update({ stack: e.target.checked }, true)} />
            <span>{t('search.stack')}</span>
          </label>
          <button type="button" className="ghost small" aria-expanded={showFilters} onClick={toggleFilters}>
            {t('search.filters')}
            {query.category || query.seller || query.priceMin || query.priceMax ? ` (${[query.category, query.seller, query.priceMin, query.priceMax].filter(Boolean).length})` : ''}
          </button>
          <span className="spacer" />
          <span className="muted">
            {t('search.hint')} <Kbd keys="/" /> <Kbd keys="mod+v" />
          </span>
        </div>
        {showFilters ? (
          <div className="filters">
            <FacetSelect id={ids.category} label={t('search.filter.category')} value={query.category} options={facets?.categories} onChange={(category) => update({ category }, true)} />
            <FacetSelect id={ids.seller} label={t('search.filter.seller')} value={query.seller} options={facets?.sellers} onChange={(seller) => update({ seller }, true)} />
            <div className="field">
              <label htmlFor={ids.min}>{t('search.filter.priceMin')}</label>
              <input id={ids.min} type="number" inputMode="decimal" value={query.priceMin} onChange={(e) => update({ priceMin: e.target.value }, 'soon')} />
            </div>
            <div className="field">
              <label htmlFor={ids.max}>{t('search.filter.priceMax')}</label>
              <input id={ids.max} type="number" inputMode="decimal" value={query.priceMax} onChange={(e) => update({ priceMax: e.target.value }, 'soon')} />
            </div>
            {query.category || query.seller || query.priceMin || query.priceMax ? (
              <button type="button" className="ghost small filters-clear" onClick={() => update({ category: '', seller: '', priceMin: '', priceMax: '' }, true)}>
                {t('search.filter.clear')}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    </form>
  );
}

import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../src-main/api/contract';
import { call, mediaUrl } from '../api/client';
import { EmptyState, ErrorNotice, Kbd, Spinner } from '../components/Common';
import { Icon } from '../components/icons';
import { ImagePicker } from '../components/ImagePicker';
import { ProgressBar } from '../components/ProgressBar';
import { ListingCard } from '../components/ListingCard';
import { VirtualGrid } from '../components/VirtualGrid';
import { formatMs, formatNumber, formatProbability, formatScore } from '../format';
import { useCall } from '../hooks/useCall';
import { DEMO_QUERY, useDemoLoader } from '../hooks/useDemoLoader';
import { useI18n } from '../i18n';
import type { Language } from '../i18n/strings';
import { type QueryImage, useIntents } from '../state/intents';
import { onlyDemoModels } from '../useStatus';
import type { PageProps } from './page-props';

type SearchOutput = MethodOutput<'search.query'>;
type Result = SearchOutput['results'][number];
type Match = NonNullable<SearchOutput['match']>;

interface Query {
  image?: QueryImage;
  text: string;
  textWeight: number;
  k: number;
  model: string;
  category: string;
  seller: string;
  priceMin: string;
  priceMax: string;
  /** Near-identical copies of a photo stacked into one result. */
  stack: boolean;
}

const EMPTY: Query = { text: '', textWeight: 0.5, k: 50, model: '', category: '', seller: '', priceMin: '', priceMax: '', stack: true };

const SESSION_KEY = 'lookalike.search';

/** The query survives a reload (sessionStorage); uploaded photo bytes are too big to keep there. */
function loadQuery(): Query {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Query | null;
    return saved ? { ...EMPTY, ...saved } : EMPTY;
  } catch {
    return EMPTY;
  }
}

function saveQuery(q: Query): void {
  const keepImage = q.image && 'sha256' in q.image.ref;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...q, image: keepImage ? q.image : undefined }));
}

/** The last query and its answer outlive the page, so switching pages does not lose a search. */
let remembered: { query: Query; output?: SearchOutput } = { query: loadQuery() };

/** Whether the user has a search of their own (the demo loader must not replace it). */
export function hasUserSearch(): boolean {
  const q = loadQuery();
  return Boolean(q.text.trim() || q.image);
}

let focusPending = false;

/** "/" from any page: focus the search box now, or as soon as the Search page has rendered it. */
export function focusSearchBox(): void {
  const box = document.getElementById('search-text');
  if (box) box.focus();
  else focusPending = true;
}

/** A grid cell: a result, or (expanded) one of its copies right after it. */
interface Cell {
  result: Result;
  rank: number;
  /** Rank of the result this is a copy of. */
  copyOf?: number;
  /** Copies stacked under this result (0 for a copy). */
  copies: number;
}

export function searchCells(results: readonly Result[], open: ReadonlySet<string>): Cell[] {
  return results.flatMap((r, i) => [
    { result: r, rank: i + 1, copies: r.copies.length },
    ...(open.has(r.sha256) ? r.copies.map((c) => ({ result: { ...c, copies: [] }, rank: i + 1, copyOf: i + 1, copies: 0 })) : []),
  ]);
}

/** The weak-match signal in words: "4 %" (SigLIP probability) or "2.0 σ" (CLIP, above the catalog's typical score). */
export function matchValue(language: Language, match: Match): string {
  if (match.kind === 'probability') return formatProbability(language, match.best);
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(match.best)} σ`;
}

function toInput(q: Query): MethodInput<'search.query'> {
  const filter = {
    ...(q.category.trim() ? { category: q.category.trim() } : {}),
    ...(q.seller.trim() ? { seller: q.seller.trim() } : {}),
    ...(q.priceMin.trim() && Number.isFinite(Number(q.priceMin)) ? { priceMin: Number(q.priceMin) } : {}),
    ...(q.priceMax.trim() && Number.isFinite(Number(q.priceMax)) ? { priceMax: Number(q.priceMax) } : {}),
  };
  return {
    ...(q.image ? { image: q.image.ref } : {}),
    ...(q.text.trim() ? { text: q.text.trim() } : {}),
    ...(q.image && q.text.trim() ? { textWeight: q.textWeight } : {}),
    k: q.k,
    ...(q.model ? { model: q.model } : {}),
    ...(Object.keys(filter).length ? { filter } : {}),
    stack: q.stack,
  };
}

export function SearchPage({ status, navigate }: PageProps) {
  const { t, language } = useI18n();
  const [query, setQuery] = useState<Query>(remembered.query);
  const [output, setOutput] = useState<SearchOutput | undefined>(remembered.output);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [showFilters, setShowFilters] = useState(Boolean(query.category || query.seller || query.priceMin || query.priceMax));
  const abort = useRef<AbortController>(undefined);
  const box = useRef<HTMLInputElement>(null);
  const demo = useDemoLoader();
  const ids = { category: useId(), seller: useId(), min: useId(), max: useId(), k: useId(), model: useId(), weight: useId(), stack: useId() };
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  // Category and seller pick lists, with counts; re-read when the catalog changes.
  const facets = useCall('catalog.facets', {}, showFilters);
  const reloadFacets = facets.reload;
  useEffect(() => reloadFacets(), [status?.listings, reloadFacets]);

  // "/" pressed on another page: focus the box once it is here.
  useEffect(() => {
    if (!focusPending) return;
    focusPending = false;
    box.current?.focus();
  });

  const run = useCallback(async (q: Query) => {
    remembered = { query: q, output: remembered.output };
    saveQuery(q);
    if (!q.image && !q.text.trim()) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setError(undefined);
    try {
      const out = await call('search.query', toInput(q), { signal: controller.signal });
      if (controller.signal.aborted) return;
      remembered = { query: q, output: out };
      setOpen(new Set());
      setOutput(out);
    } catch (err) {
      if (!controller.signal.aborted) setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (abort.current === controller) setBusy(false);
    }
  }, []);

  const priceTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const update = (patch: Partial<Query>, search: boolean | 'soon' = false) => {
    const next = { ...query, ...patch };
    setQuery(next);
    remembered = { ...remembered, query: next };
    clearTimeout(priceTimer.current);
    if (search === 'soon') priceTimer.current = setTimeout(() => void run(next), 400);
    else if (search) void run(next);
  };
  useEffect(() => () => clearTimeout(priceTimer.current), []);

  // After a reload the query is back but not its answer: ask again.
  useEffect(() => {
    if (!remembered.output && (remembered.query.text.trim() || remembered.query.image)) void run(remembered.query);
  }, [run]);

  // A drop, a paste or the demo loader asked for a search.
  const { searchRequest, clearSearchRequest } = useIntents();
  useEffect(() => {
    if (!searchRequest) return;
    clearSearchRequest();
    const next: Query = { ...remembered.query, image: searchRequest.image, text: searchRequest.text ?? (searchRequest.image ? '' : remembered.query.text) };
    setQuery(next);
    void run(next);
  }, [searchRequest, clearSearchRequest, run]);

  const cells = useMemo(() => searchCells(output?.results ?? [], open), [output, open]);
  const toggle = (sha256: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (!next.delete(sha256)) next.add(sha256);
      return next;
    });

  const similarTo = (sha256: string, title: string) => update({ image: { ref: { sha256 }, preview: mediaUrl('thumb', sha256), name: title }, text: '' }, true);

  const catalogEmpty = status !== undefined && status.images === 0 && status.listings === 0;
  const models = status?.packs.models.filter((m) => m.status === 'ok') ?? [];
  const results = output?.results ?? [];

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

      {catalogEmpty ? (
        <EmptyState
          icon={<Icon name="search" size={28} />}
          title={t('search.firstRun.title')}
          actions={
            <>
              <button type="button" className="primary" onClick={() => void demo.load()} disabled={demo.running}>
                {t('demo.button')}
              </button>
              <button type="button" onClick={() => navigate('catalog')}>
                {t('search.firstRun.import')}
              </button>
            </>
          }
        >
          <p>{t('search.firstRun.body')}</p>
          {demo.running ? (
            <div className="first-run-progress">
              <ProgressBar progress={demo.job?.progress} label={t('demo.loading')} />
            </div>
          ) : null}
        </EmptyState>
      ) : (
        <>
          <form
            className="query card"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              void run(query);
            }}
          >
            <ImagePicker image={query.image} onChange={(image) => update({ image }, Boolean(image) || Boolean(query.text.trim()))} />
            <div className="query-main">
              <label htmlFor="search-text" className="sr-only">
                {t('search.textLabel')}
              </label>
              <div className="query-row">
                <input
                  id="search-text"
                  ref={box}
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
                  <input id={ids.weight} type="range" min={0} max={1} step={0.05} value={query.textWeight} onChange={(e) => update({ textWeight: Number(e.target.value) })} onPointerUp={() => void run(query)} onKeyUp={() => void run(query)} aria-valuetext={t('search.weight.value', { w: Math.round(query.textWeight * 100) })} />
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
                <button type="button" className="ghost small" aria-expanded={showFilters} onClick={() => setShowFilters((v) => !v)}>
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
                  <FacetSelect id={ids.category} label={t('search.filter.category')} value={query.category} options={facets.data?.categories} onChange={(category) => update({ category }, true)} />
                  <FacetSelect id={ids.seller} label={t('search.filter.seller')} value={query.seller} options={facets.data?.sellers} onChange={(seller) => update({ seller }, true)} />
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

          {error ? <ErrorNotice error={error} onRetry={() => void run(query)} /> : null}
          {output ? (
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
          ) : busy ? (
            <Spinner label={t('search.searching')} />
          ) : null}
          {output?.match?.weak && results.length > 0 ? (
            <div className="notice warn" role="note" data-testid="weak-match">
              <strong>{t('search.weak.title')}</strong>{' '}
              {t(output.match.kind === 'probability' ? 'search.weak.probability' : 'search.weak.relative', { value: matchValue(language, output.match), threshold: matchValue(language, { ...output.match, best: output.match.threshold }) })}
            </div>
          ) : null}
          {output && results.length === 0 ? (
            <EmptyState title={t('search.noResults.title')}>
              <p>{t('search.noResults.body')}</p>
            </EmptyState>
          ) : null}
          {results.length > 0 ? (
            <div className={output?.match?.weak ? 'results weak' : 'results'}>
              <VirtualGrid
                items={cells}
                label={t('search.results')}
                getKey={(c) => (c.copyOf ? `${c.result.sha256}@${c.copyOf}` : c.result.sha256)}
                minColumnWidth={176}
                // Two-line title and the meta line, then room for "+N more listings" / "Copy of #N" and the copies button.
                footerHeight={82 + (cells.some((c) => c.copyOf || c.result.listings.length > 1) ? 18 : 0) + (results.some((r) => r.copies.length > 0) ? 26 : 0)}
                renderItem={(c) => {
                  const r = c.result;
                  return (
                    <ListingCard
                      sha256={r.sha256}
                      listing={r.listing ?? undefined}
                      name={r.name}
                      path={r.image}
                      rank={c.copyOf ? undefined : c.rank}
                      score={formatScore(r.score)}
                      title={t('search.similarTo', { title: r.name })}
                      onClick={() => similarTo(r.sha256, r.name)}
                      footer={
                        c.copyOf ? (
                          <div className="listing-meta copy-of">{t('search.copyOf', { rank: c.copyOf })}</div>
                        ) : r.listings.length > 1 ? (
                          <div className="listing-meta">{t('search.moreListings', { n: r.listings.length - 1 })}</div>
                        ) : undefined
                      }
                      after={
                        c.copies > 0 ? (
                          <button type="button" className="link copies-toggle" aria-expanded={open.has(r.sha256)} onClick={() => toggle(r.sha256)}>
                            {open.has(r.sha256)
                              ? t(c.copies === 1 ? 'search.copies.hideOne' : 'search.copies.hide', { n: c.copies })
                              : t(c.copies === 1 ? 'search.copies.one' : 'search.copies', { n: c.copies })}
                          </button>
                        ) : undefined
                      }
                    />
                  );
                }}
              />
            </div>
          ) : null}
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

/** A pick list of a listing field's values with their counts; "" is any. */
function FacetSelect({ id, label, value, options, onChange }: { id: string; label: string; value: string; options?: Array<{ value: string; count: number }>; onChange: (value: string) => void }) {
  const { t, language } = useI18n();
  const known = options?.some((o) => o.value.toLocaleLowerCase() === value.toLocaleLowerCase());
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={options?.find((o) => o.value.toLocaleLowerCase() === value.toLocaleLowerCase())?.value ?? value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('search.filter.any')}</option>
        {value && !known ? <option value={value}>{value}</option> : null}
        {options?.map((o) => (
          <option key={o.value} value={o.value}>
            {`${o.value} (${formatNumber(language, o.count)})`}
          </option>
        ))}
      </select>
    </div>
  );
}

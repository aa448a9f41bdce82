import { useState } from 'react';
import type { MethodOutput } from '../../src-main/api/contract';
import { call } from '../api/client';
import { EmptyPage, ErrorNotice, Spinner } from '../components/Common';
import { ImagePicker } from '../components/ImagePicker';
import { LatencyBars } from '../components/LatencyBars';
import { Thumb } from '../components/ListingCard';
import { familyLabel } from '../family-label';
import { formatMs, formatNumber, formatPercent, formatProbability, formatScore } from '../format';
import { useI18n } from '../i18n';
import type { QueryImage } from '../state/intents';
import type { PageProps } from './page-props';

type QueryOut = MethodOutput<'compare.query'>;
type LabelsOut = MethodOutput<'compare.labels'>;
type CatalogOut = MethodOutput<'compare.catalog'>;

const DEFAULT_LABELS = 'mug, vase, hat, handbag, chair, a photo of a dog';

function ModelPicker(props: { label: string; auto: string; packs: Array<{ id: string; family: string | null }>; value: string; onChange: (id: string) => void }) {
  return (
    <label className="inline-field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.auto}</option>
        {props.packs.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id} ({familyLabel(m.family)})
          </option>
        ))}
      </select>
    </label>
  );
}

function useRun<T>() {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      setData(await work());
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return { data, error, busy, run };
}

export function ComparePage({ status, navigate }: PageProps) {
  const { t, language } = useI18n();
  const packs = status?.packs.models.filter((m) => m.status === 'ok') ?? [];
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [image, setImage] = useState<QueryImage>();
  const [text, setText] = useState('');
  const [k, setK] = useState(10);
  const [labels, setLabels] = useState(DEFAULT_LABELS);
  const [useCategories, setUseCategories] = useState(false);
  const query = useRun<QueryOut>();
  const zeroShot = useRun<LabelsOut>();
  const catalog = useRun<CatalogOut>();
  const models = first && second && first !== second ? { models: [first, second] } : {};

  if (packs.length < 2 && status) {
    return <EmptyPage heading={t('nav.compare')} icon="compare" title={t('cmp.needTwo.title')} body={t('cmp.needTwo.body')} action={{ label: t('nav.models'), onClick: () => navigate('models') }} />;
  }

  const runQuery = () =>
    void query.run(() => call('compare.query', { ...(image ? { image: image.ref } : {}), ...(text.trim() ? { text: text.trim() } : {}), k, ...models }));
  const runLabels = () =>
    image &&
    void zeroShot.run(() =>
      call('compare.labels', {
        image: image.ref,
        labels: labels
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
        useCategories,
        ...models,
      }),
    );

  return (
    <section className="page" aria-labelledby="cmp-title">
      <div className="page-head">
        <div>
          <h1 id="cmp-title">{t('nav.compare')}</h1>
          <p className="lead">{t('cmp.lead')}</p>
        </div>
      </div>

      <div className="toolbar">
        <ModelPicker label={t('cmp.modelA')} auto={t('cmp.auto')} packs={packs} value={first} onChange={setFirst} />
        <ModelPicker label={t('cmp.modelB')} auto={t('cmp.auto')} packs={packs} value={second} onChange={setSecond} />
        {first && first === second ? <span className="badge danger">{t('cmp.sameModel')}</span> : null}
      </div>

      <form
        className="query card"
        onSubmit={(e) => {
          e.preventDefault();
          runQuery();
        }}
      >
        <ImagePicker image={image} onChange={setImage} />
        <div className="query-main">
          <div className="query-row">
            <label htmlFor="compare-text" className="sr-only">
              {t('search.textLabel')}
            </label>
            <input id="compare-text" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('cmp.textPlaceholder')} autoComplete="off" />
            <button type="submit" className="primary" disabled={(!image && !text.trim()) || query.busy}>
              {t('cmp.run')}
            </button>
          </div>
          <div className="row small query-options">
            <label className="inline-field">
              <span>{t('cmp.k')}</span>
              <select value={k} onChange={(e) => setK(Number(e.target.value))}>
                {[5, 10, 20, 50].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted">{t('cmp.queryHint')}</span>
          </div>
        </div>
      </form>

      {query.error ? <ErrorNotice error={query.error} onRetry={runQuery} /> : null}
      {query.busy && !query.data ? <Spinner label={t('cmp.running')} /> : null}
      {query.data ? <QueryResult out={query.data} /> : null}

      <div className="card" aria-labelledby="zs-title">
        <h2 id="zs-title">{t('cmp.zs.title')}</h2>
        <p className="explain" data-testid="zs-explain">
          {t('cmp.zs.explain')}
        </p>
        <div className="zs-form">
          <div className="field grow">
            <label htmlFor="zs-labels">{t('cmp.zs.labels')}</label>
            <input id="zs-labels" type="text" value={labels} onChange={(e) => setLabels(e.target.value)} />
          </div>
          <label className="radio">
            <input type="checkbox" checked={useCategories} onChange={(e) => setUseCategories(e.target.checked)} />
            {t('cmp.zs.categories')}
          </label>
          <button type="button" className="primary" disabled={!image || zeroShot.busy} onClick={runLabels}>
            {t('cmp.zs.run')}
          </button>
        </div>
        {!image ? <p className="muted small">{t('cmp.zs.needImage')}</p> : null}
        {zeroShot.error ? <ErrorNotice error={zeroShot.error} onRetry={runLabels} /> : null}
        {zeroShot.busy ? <Spinner label={t('cmp.running')} /> : null}
        {zeroShot.data ? <LabelResult out={zeroShot.data} /> : null}
      </div>

      <div className="card">
        <div className="row">
          <h2>{t('cmp.cat.title')}</h2>
          <span className="spacer" />
          <button type="button" onClick={() => void catalog.run(() => call('compare.catalog', { ...models, limit: 20 }))} disabled={catalog.busy}>
            {t('cmp.cat.run')}
          </button>
        </div>
        <p className="muted">{t('cmp.cat.hint')}</p>
        {catalog.error ? <ErrorNotice error={catalog.error} /> : null}
        {catalog.busy ? <Spinner label={t('cmp.running')} /> : null}
        {catalog.data ? <CatalogResult out={catalog.data} /> : null}
      </div>
      <p className="muted small">{t('cmp.footnote', { n: formatNumber(language, status?.images ?? 0) })}</p>
    </section>
  );
}

function QueryResult({ out }: { out: QueryOut }) {
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

function LabelResult({ out }: { out: LabelsOut }) {
  const { t, language } = useI18n();
  return (
    <div className="zs-result" data-testid="zs-result">
      {out.runs.map((run) => {
        const sum = run.scores.reduce((s, x) => s + x.score, 0);
        return (
          <div key={run.model.id} className="zs-column">
            <h3>
              <span className={`family ${run.model.family}`}>{familyLabel(run.model.family)}</span> {run.model.id}
            </h3>
            <div className="muted small">{run.kind === 'softmax' ? t('cmp.zs.softmax', { sum: formatPercent(language, sum) }) : t('cmp.zs.sigmoid')}</div>
            <ul className="zs-bars">
              {run.scores.map((s, i) => (
                <li key={s.label} className={i === run.best ? 'best' : undefined}>
                  <span className="zs-label">{s.label}</span>
                  <span className={run.kind === 'softmax' ? 'meter tone-b' : 'meter'}>
                    <span style={{ width: `${Math.max(0.5, s.score * 100)}%` }} />
                  </span>
                  <span className="zs-value">{formatProbability(language, s.score)}</span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </div>
  );
}

function CatalogResult({ out }: { out: CatalogOut }) {
  const { t, language } = useI18n();
  const [a, b] = out.models;
  const rows: Array<{ title: string; counts: CatalogOut['duplicates']['counts'] }> = [
    { title: t('cmp.cat.duplicates'), counts: out.duplicates.counts },
    { title: t('cmp.cat.mismatches'), counts: out.mismatches.counts },
  ];
  return (
    <table className="data" data-testid="compare-catalog">
      <thead>
        <tr>
          <th />
          <th className="num">{a.id}</th>
          <th className="num">{b.id}</th>
          <th className="num">{t('cmp.cat.both')}</th>
          <th className="num">{t('cmp.onlyIn', { model: a.id })}</th>
          <th className="num">{t('cmp.onlyIn', { model: b.id })}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.title}>
            <th scope="row">{r.title}</th>
            <td className="num">{formatNumber(language, r.counts.first)}</td>
            <td className="num">{formatNumber(language, r.counts.second)}</td>
            <td className="num">{formatNumber(language, r.counts.both)}</td>
            <td className="num">{formatNumber(language, r.counts.onlyFirst)}</td>
            <td className="num">{formatNumber(language, r.counts.onlySecond)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

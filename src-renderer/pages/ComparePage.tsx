import { useState } from 'react';
import type { MethodInput, MethodOutput } from '../../src-main/api/contract';
import { call } from '../api/client';
import { EmptyPage, ErrorNotice, Spinner } from '../components/Common';
import { ImagePicker } from '../components/ImagePicker';
import { JobProgress } from '../components/JobProgress';
import { formatNumber } from '../format';
import { useJobCall } from '../hooks/useJobCall';
import { useI18n } from '../i18n';
import type { QueryImage } from '../state/intents';
import { CatalogResult } from './compare/CatalogResult';
import { LabelResult } from './compare/LabelResult';
import { ModelPicker } from './compare/ModelPicker';
import { QueryResult } from './compare/QueryResult';
import { useRun } from './compare/useRun';
import type { PageProps } from './page-props';

const DEFAULT_LABELS = 'mug, vase, hat, handbag, chair, a photo of a dog';

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
  const query = useRun<MethodOutput<'compare.query'>>();
  const zeroShot = useRun<MethodOutput<'compare.labels'>>();
  // The whole-catalog comparison is a job of the backend: after a reload the page picks up the
  // newest one (running, or its answer) until Run asks for another.
  const [requested, setRequested] = useState<MethodInput<'compare.catalog'>>();
  const catalog = useJobCall('compare.catalog', requested, { adopt: true });
  const models = first && second && first !== second ? { models: [first, second] } : {};

  if (packs.length < 2 && status) {
    return <EmptyPage heading={t('nav.compare')} icon="compare" title={t('cmp.needTwo.title')} body={t('cmp.needTwo.body')} action={{ label: t('nav.models'), onClick: () => navigate('models') }} />;
  }

  const runQuery = () =>
    void query.run(() => call('compare.query', { ...(image ? { image: image.ref } : {}), ...(text.trim() ? { text: text.trim() } : {}), k, ...models }));
  const runCatalog = () => {
    const next = { ...models, limit: 20 };
    // The same comparison again: computed afresh, as a click on Run always did.
    if (JSON.stringify(next) === JSON.stringify(requested)) catalog.reload();
    else setRequested(next);
  };
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
          <button type="button" onClick={runCatalog} disabled={catalog.loading}>
            {t('cmp.cat.run')}
          </button>
        </div>
        <p className="muted">{t('cmp.cat.hint')}</p>
        {catalog.error ? <ErrorNotice error={catalog.error} /> : null}
        <JobProgress state={catalog} hint={t('cmp.running')} testId="cmp-job" always />
        {catalog.data ? <CatalogResult out={catalog.data} /> : null}
      </div>
      <p className="muted small">{t('cmp.footnote', { n: formatNumber(language, status?.images ?? 0) })}</p>
    </section>
  );
}

import { useId, useState } from 'react';
import type { ModelListing } from '../../src-main/api/schemas/models';
import { call } from '../api/client';
import { ErrorNotice, Spinner } from '../components/Common';
import { ProgressBar } from '../components/ProgressBar';
import { familyLabel } from '../family-label';
import { formatNumber } from '../format';
import { useCall } from '../hooks/useCall';
import { useI18n } from '../i18n';
import { providerReason } from '../provider-reasons';
import { markCatalogChanged } from '../state/catalog-changes';
import { useJobs } from '../state/jobs';
import { useToasts } from '../state/toasts';
import type { PageProps } from './page-props';
import { ModelVariants } from './ModelsVariants';

export function ModelsPage({ refreshStatus }: PageProps) {
  const { t, language } = useI18n();
  const list = useCall('models.list', {});
  const jobs = useJobs();
  const toasts = useToasts();
  const job = jobs.latest('model');
  const [source, setSource] = useState('');
  const [variant, setVariant] = useState('');
  const sourceId = useId();
  const variantId = useId();

  const install = async () => {
    const input = { source: source.trim(), ...(variant.trim() ? { variant: variant.trim() } : {}) };
    try {
      const out = await jobs.run('model', t('models.jobLabel'), (onProgress, signal) => call('models.install', input, { onProgress, signal }), input);
      if (out) {
        markCatalogChanged();
        toasts.show({ kind: 'success', message: t('models.installed', { name: out.model.name }) });
        setSource('');
      }
    } catch (err) {
      toasts.show({ kind: 'error', message: t('models.installFailed', { message: err instanceof Error ? err.message : String(err) }) });
    }
    list.reload();
    refreshStatus();
  };

  const remove = async (m: ModelListing) => {
    if (!window.confirm(t('models.removeConfirm', { name: m.name }))) return;
    try {
      await call('models.remove', { id: m.id });
      markCatalogChanged();
      toasts.show({ kind: 'success', message: t('models.removed', { name: m.name }) });
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
    list.reload();
    refreshStatus();
  };

  const makeDefault = async (m: ModelListing) => {
    try {
      await call('models.setDefault', { id: m.id });
      markCatalogChanged();
      toasts.show({ kind: 'success', message: t('models.defaultSet', { name: m.name }) });
    } catch (err) {
      toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
    }
    list.reload();
    refreshStatus();
  };

  const models = list.data?.models ?? [];
  const onlyDemo = models.length > 0 && models.every((m) => m.demo);
  const provider = list.data?.provider;

  return (
    <section className="page" aria-labelledby="models-title">
      <div className="page-head">
        <div>
          <h1 id="models-title">{t('nav.models')}</h1>
          <p className="lead">{t('models.lead')}</p>
        </div>
      </div>
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data ? <Spinner label={t('common.loading')} /> : null}
      {onlyDemo ? (
        <div className="notice warn" role="note">
          {t('models.onlyDemo')}
        </div>
      ) : null}

      {models.length > 0 ? (
        <div className="model-grid" data-testid="model-list">
          {models.map((m) => (
            <article key={m.id} className={m.status === 'broken' ? 'card model broken' : 'card model'} aria-label={m.name}>
              <div className="model-head">
                <span className={`family ${m.family ?? ''}`}>{familyLabel(m.family)}</span>
                <h3>{m.name}</h3>
              </div>
              <div className="row small">
                {m.demo ? <span className="badge demo">{t('models.demoBadge')}</span> : null}
                {m.isDefault ? <span className="badge accent">{t('models.default')}</span> : null}
                {m.status === 'broken' ? <span className="badge danger">{t('models.broken')}</span> : <span className="badge ok">{t('models.ready')}</span>}
              </div>
              <dl className="facts">
                <dt>{t('models.id')}</dt>
                <dd>
                  <code>{m.id}</code>
                </dd>
                <dt>{t('models.dim')}</dt>
                <dd>{m.dim ?? '—'}</dd>
                <dt>{t('models.variant')}</dt>
                <dd>{m.variant ?? '—'}{m.variants.length > 1 ? ` (${m.variants.join(', ')})` : ''}</dd>
                <dt>{t('models.size')}</dt>
                <dd>{formatNumber(language, m.sizeBytes / 1048576, 1)} MB</dd>
                <dt>{t('models.source')}</dt>
                <dd>{t(m.source === 'bundled' ? 'models.source.bundled' : m.source === 'installed' ? 'models.source.installed' : 'models.source.extra')}</dd>
              </dl>
              {m.demo ? <p className="muted small">{t('models.demoNote')}</p> : null}
              {m.error ? (
                <div className="notice error small" role="alert">
                  {m.error}
                </div>
              ) : null}
              <ModelVariants model={m} onChange={list.reload} />
              {m.status === 'ok' && !m.isDefault ? (
                <div className="row">
                  <button type="button" className="small" onClick={() => void makeDefault(m)}>
                    {t('models.setDefault')}
                  </button>
                </div>
              ) : null}
              {m.source === 'installed' ? (
                <div className="row">
                  <button type="button" className="danger small" onClick={() => void remove(m)}>
                    {t('models.remove')}
                  </button>
                </div>
              ) : null}
            </article>
          ))}
        </div>
      ) : list.data ? (
        <div className="notice warn">{t('models.none')}</div>
      ) : null}

      <div className="card">
        <h2>{t('models.provider.title')}</h2>
        {provider ? (
          <>
            <p>
              {t('models.provider.active')} <span className="badge accent">{provider.active}</span>
              {provider.forced ? <span className="muted small"> ({t('models.provider.forced')})</span> : null}
            </p>
            {provider.skipped.length ? (
              <table className="data">
                <thead>
                  <tr>
                    <th>{t('models.provider.skipped')}</th>
                    <th>{t('models.provider.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {provider.skipped.map((s) => (
                    <tr key={s.provider}>
                      <td>{s.provider}</td>
                      <td className="muted" title={s.reason}>
                        {providerReason(t, s.reason)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        ) : list.data ? (
          <p className="muted">{t('models.provider.unknown')}</p>
        ) : null}
      </div>

      <div className="card">
        <h2>{t('models.install.title')}</h2>
        <p className="muted">{t('models.install.hint')}</p>
        <form
          className="install-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (source.trim()) void install();
          }}
        >
          <div className="field grow">
            <label htmlFor={sourceId}>{t('models.install.source')}</label>
            <input id={sourceId} type="text" value={source} onChange={(e) => setSource(e.target.value)} placeholder="/home/me/models/siglip-base.zip" spellCheck={false} />
          </div>
          <div className="field">
            <label htmlFor={variantId}>{t('models.install.variant')}</label>
            <input id={variantId} type="text" value={variant} onChange={(e) => setVariant(e.target.value)} placeholder="fp16, int8…" spellCheck={false} size={10} />
          </div>
          <button type="submit" className="primary" disabled={!source.trim() || job?.state === 'running'}>
            {t('models.install.submit')}
          </button>
        </form>
        {job?.state === 'running' ? (
          <div className="import-job">
            <ProgressBar progress={job.progress} label={t('models.jobLabel')} />
            <button type="button" onClick={job.cancel}>
              {t('common.cancel')}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}

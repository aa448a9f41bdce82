import { useEffect, useId, useRef, useState } from 'react';
import { ApiCallError, isDesktop } from '../api/client';
import { CatalogBrowser } from '../components/CatalogBrowser';
import { Dialog, EmptyState, ErrorNotice, Spinner } from '../components/Common';
import { ImportJobView, RunHistory } from '../components/ImportJob';
import { Icon } from '../components/icons';
import { ProgressBar } from '../components/ProgressBar';
import { formatNumber } from '../format';
import { useCall } from '../hooks/useCall';
import { useDemoLoader } from '../hooks/useDemoLoader';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import { type DroppedImport, useIntents } from '../state/intents';
import { useJobs } from '../state/jobs';
import type { PageProps } from './page-props';

const LISTING_FILE = /\.(csv|json|jsonl|ndjson)$/i;

export interface ImportInput {
  paths: string[];
  listings?: string;
  models?: string[];
}

/** Lines typed or dropped → folders/images and at most one listings file (by extension). */
export function splitImportPaths(lines: string[], listings?: string): ImportInput | { error: 'tooManyListings' | 'empty' } {
  const clean = lines.map((l) => l.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
  const listingFiles = clean.filter((l) => LISTING_FILE.test(l));
  const explicit = listings?.trim() || undefined;
  if (listingFiles.length + (explicit ? 1 : 0) > 1) return { error: 'tooManyListings' };
  const paths = clean.filter((l) => !LISTING_FILE.test(l));
  const listingFile = explicit ?? listingFiles[0];
  if (paths.length === 0 && !listingFile) return { error: 'empty' };
  return listingFile ? { paths, listings: listingFile } : { paths };
}

export function CatalogPage({ refreshStatus, status }: PageProps) {
  const { t, language } = useI18n();
  const jobs = useJobs();
  const intents = useIntents();
  const stats = useCall('catalog.stats', {});
  const runs = useCall('catalog.errors', { runs: 10, errorsPerRun: 500 });
  const job = jobs.latest('import');
  const demo = useDemoLoader();
  // What was typed survives a reload, like the import it started.
  const [pathsText, setPathsText] = usePersistentState('import.paths', '');
  const [listingsText, setListingsText] = usePersistentState('import.listings', '');
  const [formError, setFormError] = useState<string>();
  // Which packs embed the new photos; none ticked means the default pack.
  const [models, setModels] = useState<string[]>([]);
  const packs = status?.packs.models.filter((m) => m.status === 'ok') ?? [];
  const [dropped, setDropped] = useState<DroppedImport>();
  const [browserDrop, setBrowserDrop] = useState<string[]>();
  const pathsRef = useRef<HTMLTextAreaElement>(null);
  const pathsId = useId();
  const listingsId = useId();

  // Anything that finishes changes the stats and the run history.
  const finished = jobs.jobs.filter((j) => j.state !== 'running' && (j.kind === 'import' || j.kind === 'demo')).length;
  const reloadStats = stats.reload;
  const reloadRuns = runs.reload;
  useEffect(() => {
    reloadStats();
    reloadRuns();
  }, [finished, reloadStats, reloadRuns]);

  // A run the backend still reports as running (a cancel being wound up, or another window's
  // import) is re-read until it settles.
  const unsettled = runs.data?.runs.some((r) => r.status === 'running') ?? false;
  useEffect(() => {
    if (!unsettled) return;
    const timer = setTimeout(() => {
      reloadRuns();
      reloadStats();
    }, 2000);
    return () => clearTimeout(timer);
  }, [unsettled, runs.data, reloadRuns, reloadStats]);

  // A drop from anywhere lands here: confirm with real paths (desktop), or ask for the path (browser).
  const { importRequest, clearImportRequest } = intents;
  useEffect(() => {
    if (!importRequest) return;
    clearImportRequest();
    if (importRequest.items.every((i) => i.path)) setDropped(importRequest);
    else {
      setBrowserDrop(importRequest.items.map((i) => i.name));
      requestAnimationFrame(() => pathsRef.current?.focus());
    }
  }, [importRequest, clearImportRequest]);

  // The import is a job of the backend: a reload, another tab or a closed window does not stop it.
  const start = (input: ImportInput) => {
    setFormError(undefined);
    void jobs
      .start('catalog.import', input)
      .then(() => refreshStatus())
      .catch((err: unknown) => {
        // A job that failed shows its own notice; a start that was refused (another import runs) is said here.
        if (err instanceof ApiCallError && err.code !== 'failed') setFormError(err.message);
        refreshStatus();
      });
  };

  const submit = () => {
    const parsed = splitImportPaths(pathsText.split('\n'), listingsText);
    if ('error' in parsed) return setFormError(t(parsed.error === 'empty' ? 'catalog.form.empty' : 'catalog.form.tooManyListings'));
    setBrowserDrop(undefined);
    start(models.length ? { ...parsed, models } : parsed);
  };

  const running = job?.state === 'running' || demo.running;
  // Once the demo is in the catalog, loading it again only re-reads it: not offered.
  const demoLoaded = runs.data?.runs.some((r) => r.status === 'completed' && JSON.stringify(r.inputs).includes('demo-catalog')) ?? false;
  const empty = stats.data && stats.data.listings === 0 && stats.data.images === 0;

  return (
    <section className="page" aria-labelledby="catalog-title">
      <div className="page-head">
        <div>
          <h1 id="catalog-title">{t('nav.catalog')}</h1>
          <p className="lead">{t('catalog.lead')}</p>
        </div>
      </div>

      {stats.error ? <ErrorNotice error={stats.error} onRetry={stats.reload} /> : null}
      {stats.data ? (
        <div className="stats" data-testid="catalog-stats">
          <Stat label={t('catalog.stat.listings')} value={formatNumber(language, stats.data.listings)} />
          <Stat label={t('catalog.stat.images')} value={formatNumber(language, stats.data.images)} />
          {stats.data.models.map((m) => (
            <Stat key={`${m.modelId}@${m.revision}`} label={t('catalog.stat.vectors', { model: m.modelId, dim: m.dim })} value={formatNumber(language, m.count)} />
          ))}
          <Stat label={t('catalog.stat.size')} value={`${formatNumber(language, stats.data.dbBytes / 1048576, 1)} MB`} title={stats.data.dbPath} />
          {stats.data.pendingImages > 0 ? <Stat label={t('catalog.stat.pending')} value={formatNumber(language, stats.data.pendingImages)} title={t('catalog.pendingHint')} tone="danger" /> : null}
        </div>
      ) : stats.loading ? (
        <Spinner label={t('common.loading')} />
      ) : null}

      {empty && !running ? (
        <EmptyState
          icon={<Icon name="catalog" size={28} />}
          title={t('catalog.empty.title')}
          actions={
            <button type="button" className="primary" onClick={() => void demo.load()}>
              {t('demo.button')}
            </button>
          }
        >
          <p>{t('catalog.empty.body')}</p>
        </EmptyState>
      ) : null}
      {demo.running ? (
        <div className="card">
          <h2>{t('demo.loading')}</h2>
          <ProgressBar progress={demo.job?.progress} label={t('demo.loading')} />
        </div>
      ) : null}

      <div className="card">
        <h2>{t('catalog.import.title')}</h2>
        {browserDrop ? (
          <div className="notice info" role="status">
            {t('catalog.browserDrop', { names: browserDrop.join(', ') })}
          </div>
        ) : null}
        <p className="muted">{isDesktop() ? t('catalog.import.hintDesktop') : t('catalog.import.hintBrowser')}</p>
        <form
          className="import-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <div className="field">
            <label htmlFor={pathsId}>{t('catalog.form.paths')}</label>
            <textarea
              id={pathsId}
              ref={pathsRef}
              rows={3}
              value={pathsText}
              onChange={(e) => setPathsText(e.target.value)}
              placeholder={t('catalog.form.pathsPlaceholder')}
              spellCheck={false}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  submit();
                }
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={listingsId}>{t('catalog.form.listings')}</label>
            <input id={listingsId} type="text" value={listingsText} onChange={(e) => setListingsText(e.target.value)} placeholder={t('catalog.form.listingsPlaceholder')} spellCheck={false} />
          </div>
          {packs.length > 1 ? (
            <fieldset className="model-choice">
              <legend>{t('catalog.form.models')}</legend>
              {packs.map((m) => (
                <label key={m.id} className="radio">
                  <input
                    type="checkbox"
                    checked={models.length ? models.includes(m.id) : m.isDefault}
                    onChange={(e) => {
                      const current = models.length ? models : packs.filter((p) => p.isDefault).map((p) => p.id);
                      setModels(e.target.checked ? [...new Set([...current, m.id])] : current.filter((id) => id !== m.id));
                    }}
                  />
                  {m.id}
                  {m.demo ? <span className="badge demo">{t('status.demo')}</span> : null}
                </label>
              ))}
              <span className="muted small">{t('catalog.form.modelsHint')}</span>
            </fieldset>
          ) : null}
          {formError ? (
            <div className="notice error" role="alert">
              {formError}
            </div>
          ) : null}
          <div className="row">
            <button type="submit" className="primary" disabled={running} title={`${t('catalog.form.submit')} (Ctrl+Enter)`}>
              {t('catalog.form.submit')}
            </button>
            {!empty && !running && !demoLoaded ? (
              <button type="button" onClick={() => void demo.load()}>
                {t('demo.buttonShort')}
              </button>
            ) : null}
          </div>
        </form>
        {job ? <ImportJobView /> : null}
      </div>

      <RunHistory runs={runs.data?.runs} error={runs.error} onRetry={runs.reload} />

      {stats.data && stats.data.images > 0 ? <CatalogBrowser version={finished} /> : null}

      <Dialog
        open={dropped !== undefined}
        title={t('catalog.confirm.title')}
        onClose={() => setDropped(undefined)}
        actions={
          <>
            <button type="button" onClick={() => setDropped(undefined)}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={running}
              onClick={() => {
                const parsed = dropped ? splitImportPaths(dropped.items.map((i) => i.path ?? '')) : undefined;
                setDropped(undefined);
                if (parsed && !('error' in parsed)) start(models.length ? { ...parsed, models } : parsed);
                else if (parsed) setFormError(t(parsed.error === 'empty' ? 'catalog.form.empty' : 'catalog.form.tooManyListings'));
              }}
            >
              {t('catalog.confirm.import')}
            </button>
          </>
        }
      >
        <p>{t('catalog.confirm.body')}</p>
        <ul className="path-list">
          {dropped?.items.map((i) => (
            <li key={i.path}>
              <span className="badge">{i.isDirectory ? t('catalog.confirm.folder') : LISTING_FILE.test(i.name) ? t('catalog.confirm.listings') : t('catalog.confirm.file')}</span>{' '}
              <code>{i.path}</code>
            </li>
          ))}
        </ul>
      </Dialog>
    </section>
  );
}

function Stat({ label, value, title, tone }: { label: string; value: string; title?: string; tone?: 'danger' }) {
  return (
    <div className={tone ? `stat ${tone}` : 'stat'} title={title}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { ApiCallError, isDesktop } from '../api/client';
import { CatalogBrowser } from '../components/CatalogBrowser';
import { EmptyState } from '../components/Common';
import { ImportJobView, RunHistory } from '../components/ImportJob';
import { Icon } from '../components/icons';
import { ProgressBar } from '../components/ProgressBar';
import { useCall } from '../hooks/useCall';
import { useDemoLoader } from '../hooks/useDemoLoader';
import { usePersistentState } from '../hooks/usePersistentState';
import { useI18n } from '../i18n';
import { type DroppedImport, useIntents } from '../state/intents';
import { useJobs } from '../state/jobs';
import { CatalogStats } from './catalog/CatalogStats';
import { DropConfirm } from './catalog/DropConfirm';
import { type ImportInput, splitImportPaths } from './catalog/import-paths';
import { ModelChoice } from './catalog/ModelChoice';
import type { PageProps } from './page-props';

export function CatalogPage({ refreshStatus, status }: PageProps) {
  const { t } = useI18n();
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

      <CatalogStats stats={stats} />

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
          {packs.length > 1 ? <ModelChoice packs={packs} models={models} setModels={setModels} /> : null}
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

      <DropConfirm
        dropped={dropped}
        running={running}
        onCancel={() => setDropped(undefined)}
        onImport={() => {
          const parsed = dropped ? splitImportPaths(dropped.items.map((i) => i.path ?? '')) : undefined;
          setDropped(undefined);
          if (parsed && !('error' in parsed)) start(models.length ? { ...parsed, models } : parsed);
          else if (parsed) setFormError(t(parsed.error === 'empty' ? 'catalog.form.empty' : 'catalog.form.tooManyListings'));
        }}
      />
    </section>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { Dialog, Kbd } from './components/Common';
import { DropOverlay } from './components/DropOverlay';
import { ConnectPanel } from './components/ConnectPanel';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Icon } from './components/icons';
import { ProgressBar } from './components/ProgressBar';
import { Toasts } from './components/Toasts';
import { type DropIntent, isImageFile, queryImageFromFile } from './drop';
import { isTypingTarget, shortcutLabel, useHotkeys } from './hooks/useHotkeys';
import { useI18n } from './i18n';
import { pages } from './pages';
import { IntentProvider, useIntents } from './state/intents';
import { JobProvider, useJobs } from './state/jobs';
import { ScrollContext } from './state/scroll';
import { SearchProvider, useSearchControls } from './state/search';
import { ToastProvider, useToasts } from './state/toasts';
import { applyTheme, loadTheme } from './theme';
import { type AppStatus, useStatus } from './useStatus';
import { formatNumber } from './format';

function pageFromHash(): string {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return pages.some((p) => p.id === id) ? id : (pages[0]?.id ?? '');
}

export function App() {
  return (
    <ToastProvider>
      <JobProvider>
        <IntentProvider>
          <SearchProvider>
            <Shell />
          </SearchProvider>
        </IntentProvider>
      </JobProvider>
    </ToastProvider>
  );
}

/** Shortcuts every page shares; page-specific ones are listed by the pages themselves. */
const GLOBAL_SHORTCUTS: Array<{ keys: string; label: 'shortcuts.pages' | 'shortcuts.focusSearch' | 'shortcuts.paste' | 'shortcuts.help' }> = [
  { keys: 'alt+1…7', label: 'shortcuts.pages' },
  { keys: '/', label: 'shortcuts.focusSearch' },
  { keys: 'mod+v', label: 'shortcuts.paste' },
  { keys: '?', label: 'shortcuts.help' },
];

function Shell() {
  const { t } = useI18n();
  const { status, error, refresh } = useStatus();
  // Browser mode without the key (a restarted browser, a new server link): ask for the link.
  const signedOut = error?.code === 'unauthorized';
  const jobs = useJobs();
  const intents = useIntents();
  const toasts = useToasts();
  const { focusBox } = useSearchControls();
  const [current, setCurrent] = useState(pageFromHash);
  const [helpOpen, setHelpOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const getScrollElement = useCallback(() => mainRef.current, []);

  useEffect(() => applyTheme(loadTheme()), []);
  useEffect(() => {
    const onHash = () => {
      setCurrent(pageFromHash());
      mainRef.current?.scrollTo({ top: 0 });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // A finished job changes the catalog or the models: re-read the status bar.
  const finished = jobs.jobs.filter((j) => j.state !== 'running').length;
  useEffect(() => {
    if (finished > 0) void refresh();
  }, [finished, refresh]);
  // While something runs, the catalog grows: refresh the counts more often than the idle 15 s.
  const busy = jobs.running.length > 0;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void refresh(), 3000);
    return () => clearInterval(timer);
  }, [busy, refresh]);

  const navigate = useCallback((id: string) => {
    location.hash = `#/${id}`;
  }, []);

  const searchWithFile = useCallback(
    async (file: File) => {
      try {
        intents.requestSearch({ image: await queryImageFromFile(file) });
      } catch (err) {
        toasts.show({ kind: 'error', message: t('error.generic', { message: err instanceof Error ? err.message : String(err) }) });
      }
    },
    [intents, toasts, t],
  );

  const onDrop = useCallback(
    (intent: DropIntent) => {
      if (intent.kind === 'search') void searchWithFile(intent.file);
      else if (intent.kind === 'import') intents.requestImport(intent.request);
      else toasts.show({ kind: 'error', message: t('drop.unsupported', { names: intent.names.join(', ') }) });
    },
    [intents, searchWithFile, toasts, t],
  );

  // Paste an image anywhere (Ctrl/Cmd+V) to search with it; text pastes into fields as usual.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = Array.from(e.clipboardData?.files ?? []).find(isImageFile);
      if (!file) return;
      if (isTypingTarget(e.target) && e.clipboardData?.types.includes('text/plain')) return;
      e.preventDefault();
      void searchWithFile(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [searchWithFile]);

  const hotkeys: Record<string, () => void> = {
    '/': () => {
      navigate('search');
      // Now when Search is open, else as soon as the Search page has rendered its box.
      focusBox();
    },
    '?': () => setHelpOpen(true),
  };
  for (const p of pages) hotkeys[`alt+${p.shortcut}`] = () => navigate(p.id);
  useHotkeys(hotkeys);

  const page = pages.find((p) => p.id === current);
  const Page = page?.component;

  return (
    <ScrollContext.Provider value={getScrollElement}>
      <div className="shell">
        <a className="skip-link" href="#main-content">
          {t('a11y.skip')}
        </a>
        <nav className="sidebar" aria-label={t('a11y.mainNav')}>
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◐
            </span>
            {t('app.title')}
          </div>
          <ul>
            {pages.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === current ? 'page' : undefined} title={`${t(p.label)} (${shortcutLabel(`alt+${p.shortcut}`)})`} aria-keyshortcuts={`Alt+${p.shortcut}`}>
                  <Icon name={p.icon} />
                  <span className="nav-label">{t(p.label)}</span>
                  <span className="nav-key" aria-hidden="true">
                    {p.shortcut}
                  </span>
                </a>
              </li>
            ))}
          </ul>
          <div className="sidebar-foot">
            <p className="muted small">{t('drop.sidebarHint')}</p>
            <button type="button" className="ghost small" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?" title={`${t('shortcuts.title')} (?)`}>
              {t('shortcuts.title')} <Kbd keys="?" />
            </button>
          </div>
        </nav>
        <main className="content" id="main-content" ref={mainRef} tabIndex={-1}>
          {signedOut ? (
            <ConnectPanel />
          ) : Page ? (
            <ErrorBoundary key={page.id} title={t('error.page')} reloadLabel={t('error.reload')}>
              <Page refreshStatus={() => void refresh()} navigate={navigate} status={status} />
            </ErrorBoundary>
          ) : null}
        </main>
        <Toasts />
        <StatusBar status={status} offline={Boolean(error)} signedOut={signedOut} />
      </div>
      <DropOverlay onDrop={onDrop} />
      <Dialog
        open={helpOpen}
        title={t('shortcuts.title')}
        onClose={() => setHelpOpen(false)}
        actions={
          <button type="button" className="primary" onClick={() => setHelpOpen(false)}>
            {t('common.close')}
          </button>
        }
      >
        <table className="shortcut-table">
          <tbody>
            {GLOBAL_SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <Kbd keys={s.keys} />
                </td>
                <td>{t(s.label)}</td>
              </tr>
            ))}
            <tr>
              <td>
                <Kbd keys="a" /> <Kbd keys="f" /> <Kbd keys="s" /> <Kbd keys="u" />
              </td>
              <td>{t('shortcuts.mismatch')}</td>
            </tr>
            <tr>
              <td>
                <Kbd keys="j" /> <Kbd keys="k" /> <Kbd keys="d" /> <Kbd keys="n" />
              </td>
              <td>{t('shortcuts.duplicates')}</td>
            </tr>
          </tbody>
        </table>
      </Dialog>
    </ScrollContext.Provider>
  );
}

function StatusBar({ status, offline, signedOut }: { status?: AppStatus; offline: boolean; signedOut: boolean }) {
  const { t, language } = useI18n();
  const jobs = useJobs();
  const job = jobs.running.at(-1);
  const packs = status?.packs.models.filter((m) => m.status === 'ok') ?? [];
  const provider = status?.packs.provider?.active;
  return (
    <footer className="statusbar" aria-label={t('a11y.statusBar')}>
      {signedOut ? (
        <span className="status-error" data-testid="status-signed-out">{t('status.signedOut')}</span>
      ) : offline ? (
        <span className="status-error">{t('status.offline')}</span>
      ) : status ? (
        <>
          <span className="status-item" data-testid="status-catalog">
            {t('status.catalog', { listings: formatNumber(language, status.listings), images: formatNumber(language, status.images) })}
          </span>
          <span className="status-item" data-testid="status-models">
            {packs.length ? (
              <>
                {t('status.modelsLabel')}{' '}
                {packs.map((m) => (
                  <span key={m.id} className="status-model" title={m.isDefault ? `${m.name} (${t('models.default')})` : m.name}>
                    {m.isDefault ? <strong>{m.id}</strong> : m.id}
                    {m.demo ? <span className="badge demo">{t('status.demo')}</span> : null}
                  </span>
                ))}
              </>
            ) : (
              t('status.noModels')
            )}
          </span>
          {provider ? <span className="status-item">{t('status.provider', { provider: provider.toUpperCase() })}</span> : null}
        </>
      ) : (
        <span>{t('common.loading')}</span>
      )}
      {job ? (
        <span className="status-job" aria-live="polite">
          <span className="status-job-label">{job.label}</span>
          <ProgressBar progress={job.progress} compact label={job.label} />
          <button type="button" className="ghost small" onClick={job.cancel}>
            {t('common.cancel')}
          </button>
        </span>
      ) : null}
    </footer>
  );
}

import { useEffect, useState } from 'react';
import { useI18n } from './i18n';
import { pages } from './pages';
import { applyTheme, loadTheme } from './theme';
import { useStatus } from './useStatus';

function pageFromHash(): string {
  const id = location.hash.replace(/^#\/?/, '');
  return pages.some((p) => p.id === id) ? id : (pages[0]?.id ?? '');
}

export function App() {
  const { t } = useI18n();
  const { status, error, refresh } = useStatus();
  const [current, setCurrent] = useState(pageFromHash);

  useEffect(() => applyTheme(loadTheme()), []);
  useEffect(() => {
    const onHash = () => setCurrent(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey) return;
      const page = pages.find((p) => p.shortcut === e.key);
      if (page) {
        e.preventDefault();
        location.hash = `#/${page.id}`;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const page = pages.find((p) => p.id === current);
  const Page = page?.component;
  const navigate = (id: string) => {
    location.hash = `#/${id}`;
  };

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">{t('app.title')}</div>
        <ul>
          {pages.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === current ? 'page' : undefined} title={`${t(p.label)} (Alt+${p.shortcut})`}>
                {t(p.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        {error?.message.includes('token') ? (
          <div className="notice error" role="alert">{t('error.token')}</div>
        ) : Page ? (
          <Page refreshStatus={() => void refresh()} navigate={navigate} />
        ) : null}
      </main>
      <footer className="statusbar" aria-live="polite">
        {error ? (
          <span className="status-error">{t('status.offline')}</span>
        ) : status ? (
          <>
            <span>{t('status.catalog', { listings: status.listings, images: status.images })}</span>
            <span>
              {status.models.length
                ? t('status.models', {
                    models: status.models.map((m) => `${m.name}${m.demo ? ` (${t('status.demo')})` : ''}${m.provider ? ` · ${m.provider}` : ''}`).join(', '),
                  })
                : t('status.noModels')}
            </span>
          </>
        ) : (
          <span>{t('common.loading')}</span>
        )}
      </footer>
    </div>
  );
}

import { useState } from 'react';
import { type LanguageSetting, useI18n } from '../i18n';
import { type ThemeSetting, applyTheme, loadTheme } from '../theme';
import type { PageProps } from './page-props';

export function SettingsPage({ status }: PageProps) {
  const { t, setting, setSetting } = useI18n();
  const [theme, setTheme] = useState<ThemeSetting>(loadTheme);
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page-head">
        <div>
          <h1 id="settings-title">{t('nav.settings')}</h1>
        </div>
      </div>
      <div className="card">
        <div className="form-grid">
          <label htmlFor="language">{t('settings.language')}</label>
          <select id="language" value={setting} onChange={(e) => setSetting(e.target.value as LanguageSetting)}>
            <option value="auto">{t('settings.language.auto')}</option>
            <option value="en">English</option>
            <option value="ru">Русский</option>
          </select>
          <label htmlFor="theme">{t('settings.theme')}</label>
          <select
            id="theme"
            value={theme}
            onChange={(e) => {
              const next = e.target.value as ThemeSetting;
              applyTheme(next);
              setTheme(next);
            }}
          >
            <option value="auto">{t('settings.theme.auto')}</option>
            <option value="light">{t('settings.theme.light')}</option>
            <option value="dark">{t('settings.theme.dark')}</option>
          </select>
        </div>
      </div>
      {status ? (
        <div className="card">
          <h2>{t('settings.about')}</h2>
          <dl className="facts">
            <dt>{t('settings.version')}</dt>
            <dd>{status.version}</dd>
            <dt>{t('settings.catalogFile')}</dt>
            <dd>
              <code>{status.dbPath}</code>
            </dd>
          </dl>
          <p className="muted small">{t('settings.offline')}</p>
        </div>
      ) : null}
    </section>
  );
}

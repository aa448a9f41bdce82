import { useState } from 'react';
import { type LanguageSetting, useI18n } from '../i18n';
import { type ThemeSetting, applyTheme, loadTheme } from '../theme';

export function SettingsPage() {
  const { t, setting, setSetting } = useI18n();
  const [theme, setTheme] = useState<ThemeSetting>(loadTheme);
  return (
    <section className="page">
      <h1>{t('nav.settings')}</h1>
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
    </section>
  );
}

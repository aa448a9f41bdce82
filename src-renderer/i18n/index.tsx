import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type Language, type StringKey, dictionaries } from './strings';

export type LanguageSetting = Language | 'auto';

const STORAGE_KEY = 'lookalike.language';

function systemLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function format(template: string, params?: Record<string, string | number>): string {
  return params ? template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : template;
}

interface I18n {
  language: Language;
  setting: LanguageSetting;
  setSetting: (s: LanguageSetting) => void;
  t: (key: StringKey, params?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [setting, setSettingState] = useState<LanguageSetting>(() => (localStorage.getItem(STORAGE_KEY) as LanguageSetting | null) ?? 'auto');
  const language = setting === 'auto' ? systemLanguage() : setting;
  const setSetting = useCallback((s: LanguageSetting) => {
    localStorage.setItem(STORAGE_KEY, s);
    setSettingState(s);
  }, []);
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = language;
    const dict = dictionaries[language];
    return { language, setting, setSetting, t: (key, params) => format(dict[key], params) };
  }, [language, setting, setSetting]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

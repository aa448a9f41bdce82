export type ThemeSetting = 'auto' | 'light' | 'dark';

const STORAGE_KEY = 'lookalike.theme';

export function loadTheme(): ThemeSetting {
  return (localStorage.getItem(STORAGE_KEY) as ThemeSetting | null) ?? 'auto';
}

/** 'auto' leaves the choice to the OS (color-scheme: light dark in styles.css). */
export function applyTheme(theme: ThemeSetting): void {
  localStorage.setItem(STORAGE_KEY, theme);
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

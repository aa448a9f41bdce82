import type { Language } from './i18n/strings';

/** Number and duration formatting that follows the UI language (1,234.5 vs 1 234,5). */
export function formatNumber(language: Language, n: number, digits = 0): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}

export function formatPrice(language: Language, n: number): string {
  return new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/**
 * 0.8731 → "0.873" ("0,873" in Russian); scores are compared by eye, three decimals are enough.
 * Follows the UI language (the I18nProvider keeps <html lang> current), so every page's scores
 * match its percentages without each caller passing the language.
 */
export function formatScore(n: number, language: string = uiLanguage()): string {
  return formatDecimal(n, 3, language);
}

/** A number with exactly `digits` decimals in the UI language (axis ticks, seconds). */
export function formatDecimal(n: number, digits: number, language: string = uiLanguage()): string {
  return new Intl.NumberFormat(language, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

function uiLanguage(): string {
  return (typeof document !== 'undefined' && document.documentElement.lang) || 'en';
}

export function formatPercent(language: Language, fraction: number): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
}

/** A probability as a percentage people can read: tiny ones are "<0.1%", not 5e-6. */
export function formatProbability(language: Language, p: number): string {
  if (p > 0 && p < 0.001) return `<${new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(0.001)}`;
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: p < 0.1 ? 1 : 0 }).format(p);
}

/** Seconds → "42 s", "3 min 05 s", "1 h 02 min" (units localised by the caller's templates). */
export function splitDuration(seconds: number): { h: number; m: number; s: number } {
  const total = Math.max(0, Math.round(seconds));
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

export function formatMs(language: Language, ms: number): string {
  return formatNumber(language, ms, ms < 10 ? 1 : 0);
}

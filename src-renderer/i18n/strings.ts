/** Every user-visible string of the UI, in English and Russian. Russian must define every key. */
export const en = {
  'app.title': 'Lookalike',
  'nav.search': 'Search',
  'nav.duplicates': 'Duplicates',
  'nav.mismatch': 'Mismatch',
  'nav.compare': 'Compare',
  'nav.catalog': 'Catalog',
  'nav.models': 'Models',
  'nav.settings': 'Settings',
  'status.catalog': '{listings} listings · {images} images',
  'status.models': 'Models: {models}',
  'status.noModels': 'No models',
  'status.demo': 'demo',
  'status.offline': 'Backend unavailable',
  'error.token': 'This page needs the link that "lookalike serve" printed (it carries a one-time token).',
  'error.generic': 'Something went wrong: {message}',
  'common.retry': 'Retry',
  'common.cancel': 'Cancel',
  'common.loading': 'Loading…',
  'settings.language': 'Language',
  'settings.language.auto': 'Follow the system',
  'settings.theme': 'Theme',
  'settings.theme.auto': 'Follow the system',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
} as const;

export type StringKey = keyof typeof en;

export const ru: Record<StringKey, string> = {
  'app.title': 'Lookalike',
  'nav.search': 'Поиск',
  'nav.duplicates': 'Дубликаты',
  'nav.mismatch': 'Несоответствия',
  'nav.compare': 'Сравнение',
  'nav.catalog': 'Каталог',
  'nav.models': 'Модели',
  'nav.settings': 'Настройки',
  'status.catalog': 'Объявлений: {listings} · изображений: {images}',
  'status.models': 'Модели: {models}',
  'status.noModels': 'Нет моделей',
  'status.demo': 'демо',
  'status.offline': 'Сервер недоступен',
  'error.token': 'Откройте ссылку, которую напечатала команда «lookalike serve» (в ней одноразовый ключ).',
  'error.generic': 'Что-то пошло не так: {message}',
  'common.retry': 'Повторить',
  'common.cancel': 'Отмена',
  'common.loading': 'Загрузка…',
  'settings.language': 'Язык',
  'settings.language.auto': 'Как в системе',
  'settings.theme': 'Тема',
  'settings.theme.auto': 'Как в системе',
  'settings.theme.light': 'Светлая',
  'settings.theme.dark': 'Тёмная',
};

export const dictionaries = { en, ru } as const;
export type Language = keyof typeof dictionaries;

/**
 * Strings of the Models page's weight-variant panel (8-bit by measurement), in English and Russian
 * (merged into strings.ts; Russian defines every key).
 */
export const enModels = {
  'models.variants.title': 'Faster variants',
  'models.variants.lead': 'Measured on a sample of your catalog against the full-precision (fp32) model: how much faster, and how much search and duplicates change.',
  'models.variants.notMeasured': 'Not measured on this catalog yet.',
  'models.variants.figures': '{speedup}× faster on photos, {textSpeedup}× on text. Search top-10 kept: {textKept} (text), {imageKept} (similar photos). Duplicate pairs kept: {dupKept} of {dupPairs}. Vectors ≥ {cosine} cosine to fp32. {images} photos, {date}.',
  'models.variants.recommended': 'recommended',
  'models.variants.notRecommended': 'not recommended',
  'models.variants.inUse': 'in use',
  'models.variants.measure': 'Measure on my catalog',
  'models.variants.remeasure': 'Measure again',
  'models.variants.use': 'Use {variant}',
  'models.variants.auto': 'Back to automatic',
  'models.variants.jobLabel': 'Measuring {variant} of {name}',
  'models.variants.switched': '{name} now runs with {variant}. The catalog is embedded again with it.',
  'models.variants.failed': 'Could not measure: {message}',
};

export const ruModels: Record<keyof typeof enModels, string> = {
  'models.variants.title': 'Быстрые варианты',
  'models.variants.lead': 'Измерено на выборке из вашего каталога по сравнению с полной точностью (fp32): насколько быстрее и насколько меняются поиск и дубликаты.',
  'models.variants.notMeasured': 'На этом каталоге ещё не измерялся.',
  'models.variants.figures': 'Фото в {speedup}× быстрее, текст в {textSpeedup}×. Сохранено из первой десятки поиска: {textKept} (текст), {imageKept} (похожие фото). Пар дубликатов сохранено: {dupKept} из {dupPairs}. Косинус к fp32 ≥ {cosine}. {images} фото, {date}.',
  'models.variants.recommended': 'рекомендуется',
  'models.variants.notRecommended': 'не рекомендуется',
  'models.variants.inUse': 'используется',
  'models.variants.measure': 'Измерить на моём каталоге',
  'models.variants.remeasure': 'Измерить снова',
  'models.variants.use': 'Использовать {variant}',
  'models.variants.auto': 'Вернуть автоматический выбор',
  'models.variants.jobLabel': 'Измерение {variant} для {name}',
  'models.variants.switched': '{name} теперь работает с {variant}. Каталог будет заново проиндексирован с ним.',
  'models.variants.failed': 'Не удалось измерить: {message}',
};

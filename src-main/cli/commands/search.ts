import type { SearchFilter } from '../../api/schemas/search.js';
import { MAX_K } from '../../api/limits.js';
import { type Command, UsageError, numberOption, stringList, stringOption } from '../command.js';

const FILTER_HELP = 'category=VALUE, seller=VALUE, price<=N, price>=N';

/**
 * One `--filter` into the filter object: `category=shoes`, `seller=acme`, `price<=50`,
 * `price>=10` (spaces around the operator and key case are tolerated; category and seller match case-insensitively).
 */
export function parseFilters(items: string[]): SearchFilter | undefined {
  if (items.length === 0) return undefined;
  const filter: SearchFilter = {};
  for (const item of items) {
    const m = /^\s*([A-Za-z]+)\s*(<=|>=|=)\s*(.*?)\s*$/.exec(item);
    if (!m) throw new UsageError(`bad --filter "${item}": expected ${FILTER_HELP}`);
    const key = (m[1] as string).toLowerCase();
    const op = m[2] as string;
    const value = m[3] as string;
    if (value === '') throw new UsageError(`bad --filter "${item}": the value is empty`);
    if (key === 'category' || key === 'seller') {
      if (op !== '=') throw new UsageError(`bad --filter "${item}": ${key} takes "=", e.g. ${key}=VALUE`);
      if (filter[key] !== undefined && filter[key] !== value) throw new UsageError(`--filter ${key} given twice with different values`);
      filter[key] = value;
    } else if (key === 'price') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`bad --filter "${item}": price needs a number, got "${value}"`);
      if (op === '<=') filter.priceMax = Math.min(filter.priceMax ?? n, n);
      else if (op === '>=') filter.priceMin = Math.max(filter.priceMin ?? n, n);
      else {
        filter.priceMin = n;
        filter.priceMax = n;
      }
    } else throw new UsageError(`bad --filter "${item}": unknown field "${m[1]}" (use ${FILTER_HELP})`);
  }
  if (filter.priceMin !== undefined && filter.priceMax !== undefined && filter.priceMin > filter.priceMax) {
    throw new UsageError(`--filter price range is empty (price>=${filter.priceMin} and price<=${filter.priceMax})`);
  }
  return filter;
}

/** --qdrant-url / --qdrant-key, shared by search and qdrant. */
export function qdrantFlags(values: Record<string, unknown>): { url?: string; apiKey?: string } | undefined {
  const url = typeof values['qdrant-url'] === 'string' ? values['qdrant-url'] : undefined;
  const apiKey = typeof values['qdrant-key'] === 'string' ? values['qdrant-key'] : undefined;
  return url || apiKey ? { ...(url ? { url } : {}), ...(apiKey ? { apiKey } : {}) } : undefined;
}

export const qdrantOptions = {
  'qdrant-url': { type: 'string' },
  'qdrant-key': { type: 'string' },
} as const;

export const searchCommand: Command = {
  name: 'search',
  summary: 'Find catalog images (and their listings) by photo, text, or photo plus text',
  usage:
    'search (--image FILE | --text "..." | --image FILE --text "..." [--text-weight W]) [--model ID] [-k N]\n' +
    `       [--filter ${FILTER_HELP}]... [--store local|qdrant] [--qdrant-url URL] [--qdrant-key KEY] [--db FILE]\n` +
    '       prints {"model", "store", "method", "ms", "results": [{"listing", "listings", "image", "sha256", "score"}]}\n' +
    '       one result per image (its listings that pass the filters); --text-weight 0..1 (default 0.5) is the\n' +
    '       share of the text in a photo+text query; Qdrant: QDRANT_URL / QDRANT_API_KEY or the flags.',
  options: {
    image: { type: 'string' },
    text: { type: 'string' },
    'text-weight': { type: 'string' },
    model: { type: 'string' },
    k: { type: 'string', short: 'k' },
    filter: { type: 'string', multiple: true },
    store: { type: 'string' },
    'no-stack': { type: 'boolean' },
    ...qdrantOptions,
  },
  async run(values, _positionals, io) {
    const image = stringOption(values, 'image');
    const text = stringOption(values, 'text');
    if (image === undefined && text === undefined) throw new UsageError('give --image FILE, --text "...", or both');
    if (text !== undefined && text.trim() === '') throw new UsageError('--text is empty');
    const textWeight = numberOption(values, 'text-weight', { min: 0, max: 1 });
    if (textWeight !== undefined && (image === undefined || text === undefined)) throw new UsageError('--text-weight needs both --image and --text');
    const k = numberOption(values, 'k', { min: 1, max: MAX_K, integer: true });
    const store = stringOption(values, 'store') ?? 'local';
    if (store !== 'local' && store !== 'qdrant') throw new UsageError(`--store must be local or qdrant, got "${store}"`);
    const filter = parseFilters(stringList(values, 'filter'));
    const model = stringOption(values, 'model');
    const qdrant = qdrantFlags(values);
    const out = await io.call('search.query', {
      ...(image !== undefined ? { image: { path: image } } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(textWeight !== undefined ? { textWeight } : {}),
      ...(model ? { model } : {}),
      ...(k !== undefined ? { k } : {}),
      ...(filter ? { filter } : {}),
      ...(qdrant ? { qdrant } : {}),
      store,
      stack: values['no-stack'] !== true,
    });
    return {
      model: out.model,
      store: out.store,
      method: out.method,
      ms: out.ms,
      match: out.match,
      results: out.results.map((r) => ({
        name: r.name,
        listing: r.listing,
        listings: r.listings,
        image: r.image,
        sha256: r.sha256,
        score: r.score,
        ...(out.stacked ? { copies: r.copies.map((c) => ({ name: c.name, image: c.image, sha256: c.sha256, score: c.score })) } : {}),
      })),
    };
  },
};

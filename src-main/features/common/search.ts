import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import type { MethodOutput } from '../../api/contract.js';
import type { SearchFilter, searchMethods } from '../../api/schemas/search.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { VectorSpace } from '../../catalog/vectors.js';
import type { Embedder } from '../../engine/types.js';
import { textMatchStrength } from '../../index/match-strength.js';
import { combineQuery } from '../../index/query.js';
import { NOT_CONFIGURED, QdrantStore, collectionName, qdrantSettings } from '../../index/qdrant.js';
import type { StoreHit, VectorStore } from '../../index/types.js';
import type { CallContext } from '../context.js';
import { overFetch, stackHits } from './copies.js';
import { imageLabels, listingFacets } from '../images.js';
import { loadModel } from './load-model.js';
import { queryImageVector } from './vectors.js';

export type SearchInput = z.output<(typeof searchMethods)['search.query']['input']>;

/** The vectors a model's search runs over: its own, at its current revision. */
export function vectorSpace(model: Embedder): VectorSpace {
  return { modelId: model.id, revision: model.revision, dim: model.dim };
}

/**
 * Category and seller match case-insensitively: the SQL compares with NOCASE (ASCII), and a value
 * is first mapped to the catalog's own spelling with a Unicode case fold ("КРУЖКА" finds
 * "кружка"; Qdrant's keyword match, which is exact, gets the stored spelling too).
 */
function toFilter(catalog: Catalog, filter: SearchFilter | undefined): SearchFilter {
  if (!filter || (filter.category === undefined && filter.seller === undefined)) return filter ?? {};
  const facets = listingFacets(catalog);
  const canonical = (value: string | undefined, values: Array<{ value: string }>) => {
    if (value === undefined) return undefined;
    const folded = value.trim().toLocaleLowerCase();
    return values.find((v) => v.value.toLocaleLowerCase() === folded)?.value ?? value.trim();
  };
  const category = canonical(filter.category, facets.categories);
  const seller = canonical(filter.seller, facets.sellers);
  return { ...filter, ...(category !== undefined ? { category } : {}), ...(seller !== undefined ? { seller } : {}) };
}

/**
 * One search over a model's store (local or Qdrant): the query image and/or text embedded, the
 * store searched with the listing filter, copies stacked, each result with its listings. The
 * search.query method, and compare's run of the same query on two packs.
 */
export async function runSearch(input: SearchInput, ctx: CallContext): Promise<MethodOutput<'search.query'>> {
  const { services, signal } = ctx;
  const model = await loadModel(services, input.model);
  const space = vectorSpace(model);
  // Load (or reuse) the store first: its one-time load is not query time.
  let store: VectorStore;
  if (input.store === 'qdrant') {
    const settings = qdrantSettings(input.qdrant ?? {}, services.config.qdrant);
    if (!settings) throw new AppError('unavailable', NOT_CONFIGURED);
    store = await QdrantStore.open(settings, collectionName(services.dbPath), space);
  } else {
    store = await services.stores.local(space, { signal, progress: ctx.progress });
  }

  const started = performance.now();
  const [imageVec, textVec] = await Promise.all([
    input.image ? queryImageVector(input.image, model, services.catalog, signal) : undefined,
    input.text !== undefined ? model.embedTexts([input.text], { signal }).then((v) => v[0]) : undefined,
  ]);
  const query = combineQuery(imageVec, textVec, input.textWeight);
  // "More like this" on a catalog image: the image itself is not a result.
  const self = input.image && 'sha256' in input.image && input.text === undefined ? input.image.sha256 : undefined;
  const catalog = services.catalog;
  const filter = toFilter(catalog, input.filter);
  const want = input.stack ? overFetch(input.k) : input.k;
  const hits = (await store.search(query, want + (self ? 1 : 0), filter)).filter((h) => h.sha256 !== self).slice(0, want);
  const stacks = input.stack ? await stackHits(catalog, services.duplicates.store, model, hits, input.k) : hits.map((h) => ({ ...h, copies: [] }));
  const shown = stacks.flatMap((s) => [s, ...s.copies]);
  const listings = catalog.listingsOfImages(shown.map((h) => h.sha256), filter);
  const labels = imageLabels(catalog, shown.map((h) => h.sha256));
  const result = (h: StoreHit) => {
    const of = listings.get(h.sha256) ?? [];
    const label = labels.get(h.sha256);
    return { sha256: h.sha256, image: label?.path ?? null, name: of[0]?.title.trim() || (label?.name ?? h.sha256.slice(0, 12)), score: h.score, listing: of[0] ?? null, listings: of };
  };
  const results = stacks.map((s) => ({ ...result(s), copies: s.copies.map(result) }));
  const match = input.image === undefined && textVec ? textMatchStrength(catalog, model, query, hits) : null;
  return {
    model: model.id,
    store: input.store,
    method: store.kind,
    searched: store.size(),
    ms: Math.round((performance.now() - started) * 10) / 10,
    stacked: input.stack,
    match,
    results,
  };
}

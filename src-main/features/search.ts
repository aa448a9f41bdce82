import fs from 'node:fs/promises';
import { AppError } from '../shared/errors.js';
import type { CallContext, Handler } from '../features/context.js';
import type { ImageRef } from '../api/schemas/common.js';
import type { SearchFilter } from '../api/schemas/search.js';
import type { Embedder } from '../engine/types.js';
import type { Catalog } from '../catalog/catalog.js';
import type { VectorSpace } from '../catalog/vectors.js';
import { DEFAULT_COPY_RULE, copyHashes, hashDistance, isCopy, overFetch, stackCopies } from '../index/copies.js';
import { textMatchStrength } from '../index/match-strength.js';
import { combineQuery } from '../index/query.js';
import { NOT_CONFIGURED, QdrantStore, collectionName, pushToQdrant, qdrantHealth, qdrantSettings, vectorName } from '../index/qdrant.js';
import { pushedCount } from '../index/stores.js';
import type { StoreHit, VectorStore } from '../index/types.js';
import { imageLabels, listingFacets } from './images.js';
import { cosine } from '../engine/similarity.js';

async function embedder(services: CallContext['services'], model: string | undefined): Promise<Embedder> {
  return services.models.embedder(model);
}

/** The image of a query as a vector: a catalog image's cached vector when there is one. */
async function imageVector(ref: ImageRef, model: Embedder, { services, signal }: CallContext): Promise<Float32Array> {
  let bytes: Uint8Array;
  if ('sha256' in ref) {
    const catalog = services.catalog;
    const cached = catalog.getEmbeddings([ref.sha256], model.id, model.revision).get(ref.sha256);
    if (cached) return cached;
    const original = await catalog.readOriginal(ref.sha256);
    if (!original) throw new AppError('not_found', catalog.hasImage(ref.sha256) ? `the file of image ${ref.sha256.slice(0, 12)}… is no longer on disk` : `no image ${ref.sha256.slice(0, 12)}… in the catalog`);
    const [vector] = (await model.embedImages([original.bytes], { signal })) as [Float32Array];
    catalog.putEmbeddings(model.id, model.revision, [{ sha256: ref.sha256, vector }]);
    return vector;
  }
  if ('path' in ref) {
    bytes = await fs.readFile(ref.path).catch((err: NodeJS.ErrnoException) => {
      throw new AppError('bad_request', `cannot read image file ${ref.path} (${err.code ?? err.message})`);
    });
  } else {
    bytes = Buffer.from(ref.bytes, 'base64');
    if (bytes.length === 0) throw new AppError('bad_request', 'the uploaded image is empty or not base64');
  }
  const [vector] = (await model.embedImages([bytes], { signal })) as [Float32Array];
  return vector;
}

/** The vectors a model's search runs over: its own, at its current revision. */
function vectorSpace(model: Embedder): VectorSpace {
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

export const searchQuery: Handler<'search.query'> = async (input, ctx) => {
  const { services, signal } = ctx;
  const model = await embedder(services, input.model);
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
    input.image ? imageVector(input.image, model, ctx) : undefined,
    input.text !== undefined ? model.embedTexts([input.text], { signal }).then((v) => v[0]) : undefined,
  ]);
  const query = combineQuery(imageVec, textVec, input.textWeight);
  // "More like this" on a catalog image: the image itself is not a result.
  const self = input.image && 'sha256' in input.image && input.text === undefined ? input.image.sha256 : undefined;
  const catalog = services.catalog;
  const filter = toFilter(catalog, input.filter);
  const want = input.stack ? overFetch(input.k) : input.k;
  const hits = (await store.search(query, want + (self ? 1 : 0), filter)).filter((h) => h.sha256 !== self).slice(0, want);
  const stacks = input.stack ? await stackHits(catalog, model, hits, input.k) : hits.map((h) => ({ ...h, copies: [] }));
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
};

/** Near-identical copies under their best-ranked copy (see index/copies.ts); at most k stacks. */
async function stackHits(catalog: Catalog, model: Embedder, hits: StoreHit[], k: number) {
  const shas = hits.map((h) => h.sha256);
  const [hashes, vectors] = [await copyHashes(catalog, shas), catalog.getEmbeddings(shas, model.id, model.revision)];
  return stackCopies(
    hits,
    (leader, hit) => {
      // The hash first (a popcount): most pairs are told apart without a dot product.
      const distance = hashDistance(hashes.get(leader.sha256), hashes.get(hit.sha256));
      if (!(distance <= DEFAULT_COPY_RULE.hash)) return false;
      const a = vectors.get(leader.sha256);
      const b = vectors.get(hit.sha256);
      return isCopy(distance, a && b ? cosine(a, b) : Number.NaN);
    },
    k,
  );
}

export const searchQdrantStatus: Handler<'search.qdrantStatus'> = async (input, { services }) => {
  const collection = collectionName(services.dbPath);
  const catalog = services.catalog;
  const models = catalog.embeddingModels().map((m) => ({
    model: m.modelId,
    revision: m.revision,
    vector: vectorName(m.modelId),
    local: m.count,
    pushed: pushedCount(catalog, collection, vectorName(m.modelId), m.revision),
  }));
  const settings = qdrantSettings(input.qdrant ?? {}, services.config.qdrant);
  if (!settings) {
    return { configured: false, url: null, reachable: false, version: null, collection, collectionExists: false, points: null, vectors: [], error: NOT_CONFIGURED, models };
  }
  return { configured: true, ...(await qdrantHealth(settings, collection)), models };
};

export const searchQdrantPush: Handler<'search.qdrantPush'> = async (input, { services, progress, signal }) => {
  const settings = qdrantSettings(input.qdrant ?? {}, services.config.qdrant);
  if (!settings) throw new AppError('unavailable', NOT_CONFIGURED);
  const model = await embedder(services, input.model);
  const started = performance.now();
  const collection = collectionName(services.dbPath);
  const result = await pushToQdrant(settings, collection, services.stores.pushSource(vectorSpace(model)), services.stores.checkpoint(), {
    batchSize: input.batchSize,
    recreate: input.recreate,
    signal,
    onProgress: (p) => progress({ phase: 'pushing to Qdrant', done: p.done, total: p.total, message: `${p.pushed} sent` }),
  });
  return { model: model.id, revision: model.revision, ...result, seconds: Math.round((performance.now() - started) / 100) / 10 };
};

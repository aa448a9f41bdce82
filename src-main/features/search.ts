import fs from 'node:fs/promises';
import { ApiError } from '../api/errors.js';
import type { CallContext, Handler } from '../api/handler.js';
import type { ImageRef } from '../api/schemas/common.js';
import type { SearchFilter } from '../api/schemas/search.js';
import type { Embedder } from '../engine/types.js';
import { listingsOfImages } from '../index/catalog-source.js';
import { combineQuery } from '../index/query.js';
import { NOT_CONFIGURED, QdrantStore, collectionName, pushToQdrant, qdrantHealth, qdrantSettings, vectorName } from '../index/qdrant.js';
import { pushedCount } from '../index/stores.js';
import type { VectorStore } from '../index/types.js';

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
    if (!original) throw new ApiError('not_found', catalog.hasImage(ref.sha256) ? `the file of image ${ref.sha256.slice(0, 12)}… is no longer on disk` : `no image ${ref.sha256.slice(0, 12)}… in the catalog`);
    const [vector] = (await model.embedImages([original.bytes], { signal })) as [Float32Array];
    catalog.putEmbeddings(model.id, model.revision, [{ sha256: ref.sha256, vector }]);
    return vector;
  }
  if ('path' in ref) {
    bytes = await fs.readFile(ref.path).catch((err: NodeJS.ErrnoException) => {
      throw new ApiError('bad_request', `cannot read image file ${ref.path} (${err.code ?? err.message})`);
    });
  } else {
    bytes = Buffer.from(ref.bytes, 'base64');
    if (bytes.length === 0) throw new ApiError('bad_request', 'the uploaded image is empty or not base64');
  }
  const [vector] = (await model.embedImages([bytes], { signal })) as [Float32Array];
  return vector;
}

function toFilter(filter: SearchFilter | undefined) {
  return filter ?? {};
}

export const searchQuery: Handler<'search.query'> = async (input, ctx) => {
  const { services, signal } = ctx;
  const model = await embedder(services, input.model);
  const identity = { id: model.id, revision: model.revision, dim: model.dim };
  // Load (or reuse) the store first: its one-time load is not query time.
  let store: VectorStore;
  if (input.store === 'qdrant') {
    const settings = qdrantSettings(input.qdrant ?? {});
    if (!settings) throw new ApiError('unavailable', NOT_CONFIGURED);
    store = await QdrantStore.open(settings, collectionName(services.dbPath), { modelId: model.id, revision: model.revision, dim: model.dim });
  } else {
    store = await services.stores.local(identity, { signal, progress: ctx.progress });
  }

  const started = performance.now();
  const [imageVec, textVec] = await Promise.all([
    input.image ? imageVector(input.image, model, ctx) : undefined,
    input.text !== undefined ? model.embedTexts([input.text], { signal }).then((v) => v[0]) : undefined,
  ]);
  const query = combineQuery(imageVec, textVec, input.textWeight);
  // "More like this" on a catalog image: the image itself is not a result.
  const self = input.image && 'sha256' in input.image && input.text === undefined ? input.image.sha256 : undefined;
  const filter = toFilter(input.filter);
  const hits = (await store.search(query, input.k + (self ? 1 : 0), filter)).filter((h) => h.sha256 !== self).slice(0, input.k);
  const catalog = services.catalog;
  const listings = listingsOfImages(catalog, hits.map((h) => h.sha256), filter);
  const results = hits.map((h) => {
    const of = listings.get(h.sha256) ?? [];
    return { sha256: h.sha256, image: catalog.imagePaths(h.sha256)[0] ?? null, score: h.score, listing: of[0] ?? null, listings: of };
  });
  return {
    model: model.id,
    store: input.store,
    method: store.kind,
    searched: store.size(),
    ms: Math.round((performance.now() - started) * 10) / 10,
    results,
  };
};

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
  const settings = qdrantSettings(input.qdrant ?? {});
  if (!settings) {
    return { configured: false, url: null, reachable: false, version: null, collection, collectionExists: false, points: null, vectors: [], error: NOT_CONFIGURED, models };
  }
  return { configured: true, ...(await qdrantHealth(settings, collection)), models };
};

export const searchQdrantPush: Handler<'search.qdrantPush'> = async (input, { services, progress, signal }) => {
  const settings = qdrantSettings(input.qdrant ?? {});
  if (!settings) throw new ApiError('unavailable', NOT_CONFIGURED);
  const model = await embedder(services, input.model);
  const identity = { id: model.id, revision: model.revision, dim: model.dim };
  const started = performance.now();
  const collection = collectionName(services.dbPath);
  const result = await pushToQdrant(settings, collection, services.stores.pushSource(identity), services.stores.checkpoint(), {
    batchSize: input.batchSize,
    recreate: input.recreate,
    signal,
    onProgress: (p) => progress({ phase: 'pushing to Qdrant', done: p.done, total: p.total, message: `${p.pushed} sent` }),
  });
  return { model: model.id, revision: model.revision, ...result, seconds: Math.round((performance.now() - started) / 100) / 10 };
};

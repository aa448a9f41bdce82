import { AppError } from '../shared/errors.js';
import type { Handler } from '../features/context.js';
import { NOT_CONFIGURED, collectionName, pushToQdrant, qdrantHealth, qdrantSettings, vectorName } from '../index/qdrant.js';
import { pushedCount } from '../index/stores.js';
import { loadModel } from './common/load-model.js';
import { runSearch, vectorSpace } from './common/search.js';

export const searchQuery: Handler<'search.query'> = (input, ctx) => runSearch(input, ctx);

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
  const model = await loadModel(services, input.model);
  const started = performance.now();
  const collection = collectionName(services.dbPath);
  const result = await pushToQdrant(settings, collection, services.stores.pushSource(vectorSpace(model)), services.stores.checkpoint(), {
    batchSize: input.batchSize,
    recreate: input.recreate,
    signal,
    onProgress: (p) => progress({ phase: 'pushing to Qdrant', done: p.done, total: p.total }),
  });
  return { model: model.id, revision: model.revision, ...result, seconds: Math.round((performance.now() - started) / 100) / 10 };
};

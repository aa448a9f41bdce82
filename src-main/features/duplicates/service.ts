import { AppError } from '../../shared/errors.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { ModelRegistry } from '../../engine/registry.js';
import { DuplicateFinder, type ModelRevision } from './finder.js';
import { catalogKnn } from './neighbours.js';

/**
 * The finder wired to the app's catalog and models. The model revision comes from the catalog
 * when it holds vectors of only one revision of the model (no ONNX session needed); otherwise
 * the pack is loaded to learn its current revision.
 */
export function createDuplicateFinder(catalog: Catalog, models: () => ModelRegistry): DuplicateFinder {
  const resolveModel = async (id: string | undefined): Promise<ModelRevision | null> => {
    let packId = id;
    try {
      packId = (await models().resolve(id)).id;
    } catch (err) {
      // No usable pack: vectors already in the catalog still serve when asked for by id.
      if (id === undefined) return null;
      // Otherwise the registry's error, as every feature gives it (not_found: no such pack; unavailable: a broken one).
      if (!catalog.embeddingModels().some((m) => m.modelId === id)) throw err instanceof AppError ? err : new AppError('not_found', err instanceof Error ? err.message : String(err));
    }
    const revisions = catalog.embeddingModels().filter((m) => m.modelId === packId);
    if (revisions.length === 0) return id === undefined ? null : { id: packId as string, revision: '' };
    if (revisions.length === 1) return { id: packId as string, revision: revisions[0]!.revision };
    const embedder = await models().embedder(packId);
    return { id: embedder.id, revision: embedder.revision };
  };
  return new DuplicateFinder({ catalog, resolveModel, knn: catalogKnn });
}

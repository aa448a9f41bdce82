import { AppError } from '../../shared/errors.js';
import type { FamilyName } from '../../shared/families.js';
import type { OnnxEmbedder } from '../../engine/embedder.js';
import type { Services } from '../services.js';

/**
 * The loaded pack `id` (the default pack when omitted), for every feature that embeds or scores.
 * One error mapping: the caller's mistakes pass as the registry says them (not_found: no such
 * pack; bad_request: e.g. an unknown provider); anything else that stops a pack from loading
 * (none installed, a broken pack, a failing load) is `unavailable`, "cannot load model ...".
 */
export async function loadModel(services: Services, id: string | undefined, overrides: { provider?: string } = {}): Promise<OnnxEmbedder> {
  try {
    return await services.models.embedder(id, overrides);
  } catch (err) {
    if (err instanceof AppError && err.code !== 'unavailable') throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new AppError('unavailable', `cannot load model${id ? ` "${id}"` : ''}: ${message}`);
  }
}

/** A loaded pack as the features that score with it report it (the contract's ModelRef). */
export function modelRef(e: OnnxEmbedder) {
  return { id: e.id, name: e.pack.name, revision: e.revision, family: e.family, kind: e.scoring.kind, provider: e.provider };
}

/** The first usable installed pack of a family other than `except`, or null. */
export async function firstPackOfFamily(services: Services, family: FamilyName, except?: string): Promise<string | null> {
  const { models } = await services.models.list();
  return models.find((m) => m.status === 'ok' && m.family === family && m.id !== except)?.id ?? null;
}

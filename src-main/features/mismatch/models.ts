import { AppError } from '../../shared/errors.js';
import type { FamilyName } from '../../shared/families.js';
import type { OnnxEmbedder } from '../../engine/embedder.js';
import { NotFoundError } from '../../engine/errors.js';
import type { Services } from '../services.js';
import { type LanguageSupport, packLanguages } from './language.js';

/** A loaded pack as the mismatch and compare features report it (schemas' ModelRef). */
export function modelRef(e: OnnxEmbedder) {
  return { id: e.id, name: e.pack.name, revision: e.revision, family: e.family, kind: e.scoring.kind, provider: e.provider };
}

/** The loaded pack `id` (default pack when omitted), with engine errors mapped to API errors. */
export async function loadModel(services: Services, id: string | undefined): Promise<OnnxEmbedder> {
  try {
    return await services.models.embedder(id);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof NotFoundError) throw new AppError('not_found', message);
    throw new AppError('unavailable', `cannot load model${id ? ` "${id}"` : ''}: ${message}`);
  }
}

/** The first usable installed pack of a family other than `except`, or null. */
export async function firstPackOfFamily(services: Services, family: FamilyName, except?: string): Promise<string | null> {
  const { models } = await services.models.list();
  return models.find((m) => m.status === 'ok' && m.family === family && m.id !== except)?.id ?? null;
}

const languageCache = new WeakMap<OnnxEmbedder, Promise<LanguageSupport>>();

/** Which scripts a loaded pack reads (decided once per loaded pack). */
export function languagesOf(e: OnnxEmbedder): Promise<LanguageSupport> {
  let cached = languageCache.get(e);
  if (!cached) {
    cached = packLanguages(e.pack);
    languageCache.set(e, cached);
  }
  return cached;
}

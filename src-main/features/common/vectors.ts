import fs from 'node:fs/promises';
import { AppError } from '../../shared/errors.js';
import type { Progress } from '../../shared/progress.js';
import type { ImageRef } from '../../api/schemas/common.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { Embedder } from '../../engine/types.js';
import type { ZeroShotStore } from './zero-shot-store.js';

/**
 * Image vectors of one model for these catalog images: cached ones from the catalog, the rest
 * embedded now from the original files and cached. Images whose file is gone are left out.
 */
export async function imageVectors(catalog: Catalog, embedder: Embedder, shas: readonly string[], signal?: AbortSignal): Promise<Map<string, Float32Array>> {
  const found = catalog.getEmbeddings(shas, embedder.id, embedder.revision);
  const missing = [...new Set(shas)].filter((s) => !found.has(s));
  if (missing.length === 0) return found;
  const readable: Array<{ sha256: string; bytes: Uint8Array }> = [];
  for (const sha256 of missing) {
    const original = await catalog.readOriginal(sha256);
    if (original) readable.push({ sha256, bytes: original.bytes });
  }
  if (readable.length === 0) return found;
  const vectors = await embedder.embedImages(readable.map((r) => r.bytes), { signal });
  const rows = readable.map((r, i) => ({ sha256: r.sha256, vector: vectors[i]! }));
  catalog.putEmbeddings(embedder.id, embedder.revision, rows);
  for (const r of rows) found.set(r.sha256, r.vector);
  return found;
}

/** The bytes of a query image given as a file or an upload; null for a catalog image (its vectors are cached per model). */
export async function readImageRef(ref: ImageRef): Promise<Uint8Array | null> {
  if ('sha256' in ref) return null;
  if ('path' in ref) {
    return fs.readFile(ref.path).catch((err: NodeJS.ErrnoException) => {
      throw new AppError('bad_request', `cannot read image file ${ref.path} (${err.code ?? err.message})`);
    });
  }
  const bytes = Buffer.from(ref.bytes, 'base64');
  if (bytes.length === 0) throw new AppError('bad_request', 'the uploaded image is empty or not base64');
  return bytes;
}

/**
 * A query image as a vector of one model: a catalog image's cached vector (embedded and cached
 * when missing), else the file's or upload's bytes (`bytes` when the caller has read them already).
 */
export async function queryImageVector(ref: ImageRef, model: Embedder, catalog: Catalog, signal: AbortSignal, bytes?: Uint8Array | null): Promise<Float32Array> {
  if ('sha256' in ref) {
    const vector = (await imageVectors(catalog, model, [ref.sha256], signal)).get(ref.sha256);
    if (!vector) throw new AppError('not_found', catalog.hasImage(ref.sha256) ? `the file of image ${ref.sha256.slice(0, 12)}… is no longer on disk` : `no image ${ref.sha256.slice(0, 12)}… in the catalog`);
    return vector;
  }
  const data = bytes ?? (await readImageRef(ref))!;
  return (await model.embedImages([data], { signal }))[0]!;
}

/** Text vectors of one model, cached by text. */
export async function textVectors(cache: ZeroShotStore, embedder: Embedder, texts: readonly string[], signal?: AbortSignal): Promise<Map<string, Float32Array>> {
  const found = cache.textVectors(embedder.id, embedder.revision, texts);
  const missing = [...new Set(texts)].filter((t) => !found.has(t));
  if (missing.length === 0) return found;
  const vectors = await embedder.embedTexts(missing, { signal });
  const rows = missing.map((t, i): [string, Float32Array] => [t, vectors[i]!]);
  cache.putTextVectors(embedder.id, embedder.revision, rows);
  for (const [t, v] of rows) found.set(t, v);
  return found;
}

/**
 * Embeds every catalog image that has no vector for this model revision yet (a pack added after
 * the import); returns how many it embedded. Images whose file is gone stay without one.
 */
export async function ensureImageEmbeddings(
  catalog: Catalog,
  embedder: Embedder,
  ctx: { progress?: (p: Progress) => void; signal?: AbortSignal },
): Promise<number> {
  const total = catalog.imageCount() - catalog.embeddingCount(embedder.id, embedder.revision);
  if (total <= 0) return 0;
  let done = 0;
  let embedded = 0;
  // Collect first: iterateUnembedded pages by sha, and images left unembedded must not loop.
  const pending = [...catalog.iterateUnembedded(embedder.id, embedder.revision)].flat();
  for (let i = 0; i < pending.length; i += 64) {
    ctx.signal?.throwIfAborted();
    const batch = pending.slice(i, i + 64);
    embedded += (await imageVectors(catalog, embedder, batch, ctx.signal)).size;
    done += batch.length;
    ctx.progress?.({ phase: 'embedding images', done, total: pending.length, failed: done - embedded, message: embedder.id });
  }
  return embedded;
}

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { openCatalog } from '../../src-main/features/schema.js';
import { ingest } from '../../src-main/catalog/ingest.js';
import type { Embedder } from '../../src-main/engine/types.js';
import { tempDir, testEmbedder, writeJpegs } from './catalog-helpers.js';

/** testEmbedder whose first call waits until the test releases it. */
function gatedEmbedder() {
  const inner = testEmbedder();
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  let entered = () => {};
  const firstCall = new Promise<void>((r) => (entered = r));
  let calls = 0;
  const e: Embedder = {
    ...inner,
    async embedImages(images, options) {
      if (calls++ === 0) {
        entered();
        await released;
      }
      return inner.embedImages.call(inner, images, options);
    },
  };
  return { e, release, firstCall };
}

function counts(catalog: Catalog) {
  const one = (sql: string) => catalog.db.prepare(sql).pluck().get() as number;
  return { images: one('SELECT count(*) FROM images'), vectors: one('SELECT count(*) FROM embeddings'), pending: one('SELECT count(*) FROM pending_embeddings') };
}

describe('images stored without their vectors are listed as pending and finished later', () => {
  let root: string;
  let photos: string;
  let catalog: Catalog;

  beforeEach(async () => {
    root = tempDir();
    photos = path.join(root, 'photos');
    await writeJpegs(photos, 40);
    catalog = openCatalog(path.join(root, 'catalog.db'));
  });
  afterEach(() => {
    catalog.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** An import cancelled while the model is behind the reader: every stored image is embedded or pending. */
  async function cancelledImport() {
    const { e, release, firstCall } = gatedEmbedder();
    const abort = new AbortController();
    const run = ingest(catalog, { paths: [photos], embedders: [e], signal: abort.signal, commitOps: 1 });
    await firstCall;
    // The reader stores all 40 images (the queue holds 64) while the model works on its first batch.
    await expect.poll(() => counts(catalog).images, { timeout: 60_000, interval: 20 }).toBe(40);
    abort.abort();
    release();
    await expect(run).rejects.toThrow();
    return counts(catalog);
  }

  it('a cancel leaves no image without a vector or a pending mark, and the next import finishes them', async () => {
    const after = await cancelledImport();
    expect(after.images).toBe(40);
    expect(after.vectors).toBe(16);
    expect(after.pending).toBe(24);
    expect(catalog.pendingByModel()).toEqual([{ modelId: 'test-model', revision: 'r1', count: 24, failed: 0 }]);
    expect(catalog.recentRuns(1)[0]).toMatchObject({ status: 'cancelled' });

    // The next import, of another folder, embeds the 24 as well (read back from where they were seen).
    const other = path.join(root, 'more');
    await writeJpegs(other, 2, 500);
    const e = testEmbedder();
    const next = await ingest(catalog, { paths: [other], embedders: [e] });
    expect(next).toMatchObject({ indexed: 2, repaired: 24, pending: 0, embedded: { 'test-model': 26 } });
    expect(counts(catalog)).toEqual({ images: 42, vectors: 42, pending: 0 });
  });

  it('a repair (an import of nothing) embeds pending images; one whose file is gone stays pending with the reason', async () => {
    await cancelledImport();
    const pendingSha = catalog.db.prepare('SELECT sha256 FROM pending_embeddings ORDER BY sha256 LIMIT 1').pluck().get() as string;
    for (const file of catalog.imagePaths(pendingSha)) fs.rmSync(file);
    const repair = await ingest(catalog, { paths: [], embedders: [testEmbedder()] });
    expect(repair).toMatchObject({ indexed: 0, cached: 0, repaired: 23, pending: 1 });
    expect(catalog.pendingByModel()).toEqual([{ modelId: 'test-model', revision: 'r1', count: 1, failed: 1 }]);
    expect(catalog.db.prepare('SELECT error FROM pending_embeddings').pluck().get()).toMatch(/no longer on disk/);
    expect(counts(catalog)).toEqual({ images: 40, vectors: 39, pending: 1 });
  });

  it('a model failing on an image leaves it pending with the error, and a new revision drops stale marks', async () => {
    const inner = testEmbedder();
    const picky: Embedder = {
      ...inner,
      async embedImages(images, options) {
        if (images.length > 1) throw new Error('batch refused');
        const [v] = await inner.embedImages.call(inner, images, options);
        if (Buffer.from(images[0]!).equals(fs.readFileSync(path.join(photos, 'img-00007.jpg')))) return [new Float32Array(48).fill(Number.NaN)];
        return [v!];
      },
    };
    const s = await ingest(catalog, { paths: [photos], embedders: [picky] });
    expect(s).toMatchObject({ indexed: 39, failedCount: 1, pending: 1 });
    expect(catalog.pendingByModel()).toEqual([{ modelId: 'test-model', revision: 'r1', count: 1, failed: 1 }]);
    await ingest(catalog, { paths: [photos], embedders: [testEmbedder('test-model', 'r2')] });
    expect(catalog.pendingByModel()).toEqual([]);
    expect(counts(catalog)).toEqual({ images: 40, vectors: 40, pending: 0 });
  });
});

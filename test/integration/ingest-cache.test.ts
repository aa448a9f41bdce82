import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { openCatalog } from '../../src-main/features/schema.js';
import { ingest } from '../../src-main/catalog/ingest.js';
import { tempDir, testEmbedder, writeJpegs } from './catalog-helpers.js';

describe('embedding cache and incremental re-index', () => {
  let root: string;
  let photos: string;
  let catalog: Catalog;

  beforeEach(async () => {
    root = tempDir();
    photos = path.join(root, 'photos');
    await writeJpegs(photos, 12);
    catalog = openCatalog(path.join(root, 'catalog.db'));
  });

  afterEach(() => {
    catalog.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('re-importing an unchanged folder reads and embeds nothing', async () => {
    const e = testEmbedder();
    const first = await ingest(catalog, { paths: [photos], embedders: [e] });
    expect(first).toMatchObject({ indexed: 12, cached: 0, embedded: { 'test-model': 12 } });
    const e2 = testEmbedder();
    const second = await ingest(catalog, { paths: [photos], embedders: [e2] });
    expect(second).toMatchObject({ indexed: 0, cached: 12, embedded: { 'test-model': 0 } });
    expect(e2.calls).toBe(0);
  });

  it('skips unchanged files without reading them, rehashes changed ones', async () => {
    const e = testEmbedder();
    await ingest(catalog, { paths: [photos], embedders: [e] });
    const victim = path.join(photos, 'img-00003.jpg');
    // Unreadable but unchanged (same size and mtime): must be skipped without an open().
    fs.chmodSync(victim, 0o000);
    const skipped = await ingest(catalog, { paths: [photos], embedders: [e] });
    fs.chmodSync(victim, 0o644);
    if (process.getuid?.() !== 0) expect(skipped.failed).toEqual([]);
    // Changed content at the same path: rehashed, new image, old mapping replaced.
    const before = catalog.knownFile(victim)!.sha256;
    fs.copyFileSync(path.join(photos, 'img-00001.jpg'), victim);
    fs.utimesSync(victim, new Date(), new Date(Date.now() + 5000));
    const changed = await ingest(catalog, { paths: [photos], embedders: [e] });
    expect(changed).toMatchObject({ cached: 12, indexed: 0 });
    expect(catalog.knownFile(victim)!.sha256).not.toBe(before);
    expect(catalog.knownFile(victim)!.sha256).toBe(catalog.knownFile(path.join(photos, 'img-00001.jpg'))!.sha256);
  });

  it('a renamed or moved file re-uses its image and vectors', async () => {
    const e = testEmbedder();
    await ingest(catalog, { paths: [photos], embedders: [e] });
    const from = path.join(photos, 'img-00005.jpg');
    const to = path.join(photos, 'moved', 'renamed.jpg');
    fs.mkdirSync(path.dirname(to));
    fs.renameSync(from, to);
    const calls = e.calls;
    const again = await ingest(catalog, { paths: [photos], embedders: [e] });
    expect(e.calls).toBe(calls);
    expect(again).toMatchObject({ indexed: 0, cached: 12 });
    expect(catalog.knownFile(to)!.sha256).toBe(catalog.knownFile(from)!.sha256);
    expect(catalog.imageCount()).toBe(12);
  });

  it('identical bytes under two names are decoded and embedded once', async () => {
    fs.copyFileSync(path.join(photos, 'img-00000.jpg'), path.join(photos, 'copy.jpg'));
    const e = testEmbedder();
    const s = await ingest(catalog, { paths: [photos], embedders: [e] });
    expect(e.calls).toBe(12);
    expect(s).toMatchObject({ indexed: 12, cached: 1 });
    expect(catalog.imageCount()).toBe(12);
  });

  it('a new model revision re-embeds that model only and drops its stale vectors', async () => {
    const a1 = testEmbedder('model-a', 'r1');
    const b1 = testEmbedder('model-b', 'r1');
    await ingest(catalog, { paths: [photos], embedders: [a1, b1] });
    const a2 = testEmbedder('model-a', 'r2');
    const b1again = testEmbedder('model-b', 'r1');
    const s = await ingest(catalog, { paths: [photos], embedders: [a2, b1again] });
    expect(a2.calls).toBe(12);
    expect(b1again.calls).toBe(0);
    expect(s.embedded).toEqual({ 'model-a': 12, 'model-b': 0 });
    expect(catalog.embeddingModels().map((m) => `${m.modelId}@${m.revision}:${m.count}`)).toEqual(['model-a@r2:12', 'model-b@r1:12']);
  });

  it('adding a model embeds every known image for it and nothing for the others', async () => {
    const a = testEmbedder('model-a');
    await ingest(catalog, { paths: [photos], embedders: [a] });
    const b = testEmbedder('model-b');
    const s = await ingest(catalog, { paths: [photos], embedders: [a, b] });
    expect(s).toMatchObject({ indexed: 12, cached: 0, embedded: { 'model-a': 0, 'model-b': 12 } });
    expect(b.calls).toBe(12);
  });

  it('iterates stored vectors in batches, bit-identical to what the embedder returned', async () => {
    const e = testEmbedder();
    await ingest(catalog, { paths: [photos], embedders: [e] });
    const batches = [...catalog.iterateEmbeddings('test-model', 'r1', 5)];
    expect(batches.map((b) => b.length)).toEqual([5, 5, 2]);
    expect(catalog.embeddingCount('test-model', 'r1')).toBe(12);
    const { sha256, vector } = batches[0]![0]!;
    const file = catalog.imagePaths(sha256)[0]!;
    const [fresh] = await e.embedImages([fs.readFileSync(file)]);
    expect(Array.from(vector)).toEqual(Array.from(fresh!));
  });

  it('an embedder failure on one image fails that file only', async () => {
    const e = testEmbedder();
    const bad = fs.readFileSync(path.join(photos, 'img-00004.jpg'));
    const flaky = {
      ...e,
      async embedImages(images: Uint8Array[]) {
        if (images.some((b) => Buffer.compare(Buffer.from(b), bad) === 0)) throw new Error('model exploded');
        return e.embedImages(images);
      },
    };
    const s = await ingest(catalog, { paths: [photos], embedders: [flaky] });
    expect(s.failed).toEqual([{ path: path.join(photos, 'img-00004.jpg'), error: 'test-model could not embed it: model exploded' }]);
    expect(s.indexed).toBe(11);
    expect(catalog.embeddingCount('test-model', 'r1')).toBe(11);
    // The next run retries only the image without a vector.
    const retry = testEmbedder();
    const again = await ingest(catalog, { paths: [photos], embedders: [retry] });
    expect(retry.calls).toBe(1);
    expect(again).toMatchObject({ indexed: 1, cached: 11 });
  });

  it('cancel keeps committed work and the next run resumes', async () => {
    await writeJpegs(photos, 60, 100);
    const abort = new AbortController();
    const e = testEmbedder();
    const slow = {
      ...e,
      async embedImages(images: Uint8Array[]) {
        const out = await e.embedImages(images);
        if (e.calls >= 32) abort.abort();
        return out;
      },
    };
    await expect(ingest(catalog, { paths: [photos], embedders: [slow], signal: abort.signal })).rejects.toThrow();
    expect(catalog.recentRuns(1)[0]!.status).toBe('cancelled');
    const kept = catalog.embeddingCount('test-model', 'r1');
    expect(kept).toBeGreaterThanOrEqual(16);
    const resume = testEmbedder();
    const s = await ingest(catalog, { paths: [photos], embedders: [resume] });
    expect(resume.calls).toBe(72 - kept);
    expect(catalog.embeddingCount('test-model', 'r1')).toBe(72);
    expect(s.indexed + s.cached).toBe(72);
  });
});

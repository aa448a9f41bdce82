import fs from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { LocalStore } from '../../src-main/index/local.js';
import { QdrantStore, pushToQdrant, type PushCheckpoint } from '../../src-main/index/qdrant.js';
import { annFiles } from '../../src-main/index/ann.js';
import { fixtureCatalog, makeFixture, storeSuite } from './search-suite.js';

const fixture = makeFixture();
const cleanup: Array<() => void> = [];
afterAll(() => cleanup.forEach((fn) => fn()));

async function local(annThreshold: number) {
  const { catalog, dir } = fixtureCatalog(fixture, 'm', 'r1');
  cleanup.push(() => {
    catalog.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const store = await LocalStore.open(catalog.iterateEmbeddings('m', 'r1', 50), {
    modelId: 'm',
    revision: 'r1',
    dim: fixture.dim,
    count: catalog.embeddingCount('m', 'r1'),
    annThreshold,
    files: annFiles(path.join(dir, 'catalog.db'), 'm', 'r1'),
    resolveFilter: (f) => catalog.shasMatching(f),
  });
  return { store, fixture };
}

storeSuite('local, exact scan', async () => {
  const opened = await local(1_000_000);
  if (opened.store.kind !== 'exact') throw new Error('expected the exact store');
  return opened;
});

storeSuite(
  'local, HNSW index',
  async () => {
    const opened = await local(0);
    if (opened.store.kind !== 'ann') throw new Error('expected the ANN store');
    return opened;
  },
  { approximate: true },
);

function memoryCheckpoint(): PushCheckpoint {
  const rows = new Map<string, Map<string, string>>();
  return {
    pushed: (c, v, r) => new Map(rows.get(`${c}/${v}/${r}`)),
    markPushed: (c, v, r, list) => {
      const m = rows.get(`${c}/${v}/${r}`) ?? new Map<string, string>();
      for (const x of list) m.set(x.sha256, x.payloadHash);
      rows.set(`${c}/${v}/${r}`, m);
    },
    forget: () => rows.clear(),
  };
}

const qdrantUrl = process.env.QDRANT_URL;
storeSuite(
  'Qdrant',
  async () => {
    const settings = { url: qdrantUrl as string, apiKey: process.env.QDRANT_API_KEY };
    const collection = `lookalike_test_${process.pid}_${Date.now()}`;
    const byImage = new Map<string, typeof fixture.listings>();
    for (const l of fixture.listings) for (const s of l.images) byImage.set(s, [...(byImage.get(s) ?? []), l]);
    await pushToQdrant(
      settings,
      collection,
      {
        modelId: 'm',
        revision: 'r1',
        dim: fixture.dim,
        count: fixture.images.length,
        rows: () => [fixture.images],
        payloads: (shas) => new Map(shas.map((s) => [s, (byImage.get(s) ?? []).map(({ images: _images, ...l }) => l)])),
      },
      memoryCheckpoint(),
      { batchSize: 64, recreate: true },
    );
    const store = await QdrantStore.open(settings, collection, { modelId: 'm', revision: 'r1', dim: fixture.dim });
    return { store, fixture };
  },
  { skip: qdrantUrl ? undefined : 'QDRANT_URL is not set (start one with: docker run -p 6333:6333 qdrant/qdrant)' },
);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { openCatalog } from '../../src-main/features/schema.js';
import type { ListingSummary } from '../../src-main/catalog/catalog.js';
import type { ListingFilter } from '../../src-main/catalog/listing-filter.js';
import type { VectorStore } from '../../src-main/index/types.js';

/**
 * The behaviour every VectorStore must show, run against local-exact, local-ANN and Qdrant with
 * the same data. Vectors are unit length with distinct scores (no ties), so every store must
 * return exactly the brute-force answer.
 */
export interface StoreFixture {
  dim: number;
  images: Array<{ sha256: string; vector: Float32Array }>;
  listings: Array<ListingSummary & { images: string[] }>;
  queries: Float32Array[];
}

export function sha(i: number): string {
  return `${i.toString(16).padStart(8, '0')}${'ab'.repeat(28)}`;
}

function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

export function makeFixture(n = 240, dim = 24): StoreFixture {
  const r = rand(7);
  const images = Array.from({ length: n }, (_, i) => ({ sha256: sha(i), vector: unit(Float32Array.from({ length: dim }, r)) }));
  const categories = ['shoes', 'bags', 'dresses'];
  const sellers = ['acme', 'zenith', 'nova', 'orbit'];
  const listings: StoreFixture['listings'] = images.map((im, i) => ({
    id: `L${String(i).padStart(4, '0')}`,
    sku: `SKU-${i}`,
    title: `Product ${i}`,
    category: categories[i % 3] as string,
    price: 5 + ((i * 7) % 100),
    seller: sellers[i % 4] as string,
    images: [im.sha256],
  }));
  // Image 1 is also shown by a second listing of another category and seller: it passes
  // {category: dresses, seller: nova} only through that listing, never by mixing the two.
  listings.push({ id: 'L9001', sku: null, title: 'Reseller copy', category: 'dresses', price: 99, seller: 'nova', images: [sha(1)] });
  const queries = Array.from({ length: 8 }, () => unit(Float32Array.from({ length: dim }, r)));
  return { dim, images, listings, queries };
}

/** A catalog file holding the fixture's listings, images and vectors (for model `id`). */
export function fixtureCatalog(fixture: StoreFixture, modelId: string, revision: string): { catalog: Catalog; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-search-'));
  const catalog = openCatalog(path.join(dir, 'catalog.db'));
  const now = Date.now();
  const db = catalog.db;
  db.transaction(() => {
    const img = db.prepare("INSERT INTO images (sha256, byte_size, width, height, format, created_at) VALUES (?, 1, 1, 1, 'jpeg', ?)");
    const file = db.prepare('INSERT INTO image_files (path, name, sha256, byte_size, mtime_ms, seen_at) VALUES (?, ?, ?, 1, 0, ?)');
    for (const im of fixture.images) {
      img.run(im.sha256, now);
      file.run(`/photos/${im.sha256.slice(0, 8)}.jpg`, `${im.sha256.slice(0, 8)}.jpg`, im.sha256, now);
    }
    const listing = db.prepare('INSERT INTO listings (id, sku, title, category, price, seller, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const link = db.prepare('INSERT INTO listing_images (listing_id, position, sha256) VALUES (?, ?, ?)');
    for (const l of fixture.listings) {
      listing.run(l.id, l.sku, l.title, l.category, l.price, l.seller, now);
      l.images.forEach((s, i) => link.run(l.id, i, s));
    }
  })();
  catalog.putEmbeddings(modelId, revision, fixture.images);
  return { catalog, dir };
}

/** Brute force over the fixture, with the filter semantics of the issue. */
export function expected(fixture: StoreFixture, query: Float32Array, k: number, filter: ListingFilter = {}): string[] {
  const passes = (l: ListingSummary) =>
    (filter.category === undefined || l.category === filter.category) &&
    (filter.seller === undefined || l.seller === filter.seller) &&
    (filter.priceMin === undefined || (l.price !== null && l.price >= filter.priceMin)) &&
    (filter.priceMax === undefined || (l.price !== null && l.price <= filter.priceMax));
  const allowed = new Set(fixture.listings.filter(passes).flatMap((l) => l.images));
  return fixture.images
    .filter((im) => allowed.has(im.sha256))
    .map((im) => ({ sha: im.sha256, score: im.vector.reduce((s, x, j) => s + x * (query[j] as number), 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((h) => h.sha);
}

/**
 * `approximate`: an ANN store may miss a true neighbour now and then (HNSW graphs are built in
 * parallel, so not deterministically); it must still find at least 9 of the true top 10, in order.
 */
export function storeSuite(name: string, open: () => Promise<{ store: VectorStore; fixture: StoreFixture }>, options: { skip?: string; approximate?: boolean } = {}) {
  describe.skipIf(Boolean(options.skip))(`VectorStore behaviour: ${name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let store: VectorStore;
    let fixture: StoreFixture;

    it('opens with every vector', async () => {
      ({ store, fixture } = await open());
      expect(store.size()).toBe(fixture.images.length);
      expect(store.dim).toBe(fixture.dim);
    });

    it('returns the k nearest images, best first, with cosine scores', async () => {
      for (const q of fixture.queries) {
        const hits = await store.search(q, 10);
        const want = expected(fixture, q, 10);
        if (options.approximate) {
          expect(hits.filter((h) => want.includes(h.sha256)).length).toBeGreaterThanOrEqual(9);
          expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
        } else expect(hits.map((h) => h.sha256)).toEqual(want);
        for (const h of hits) {
          const v = fixture.images.find((im) => im.sha256 === h.sha256)!.vector;
          expect(h.score).toBeCloseTo(v.reduce((s, x, j) => s + x * (q[j] as number), 0), 4);
        }
      }
    });

    it('finds an image by its own vector with score 1', async () => {
      const target = fixture.images[17]!;
      const [top] = await store.search(target.vector, 1);
      expect(top?.sha256).toBe(target.sha256);
      expect(top?.score).toBeCloseTo(1, 4);
    });

    it('returns every image when k exceeds the catalog', async () => {
      const hits = await store.search(fixture.queries[0]!, fixture.images.length + 50);
      expect(hits).toHaveLength(fixture.images.length);
      expect(new Set(hits.map((h) => h.sha256)).size).toBe(fixture.images.length);
    });

    it.each<[string, ListingFilter]>([
      ['category', { category: 'shoes' }],
      ['seller', { seller: 'acme' }],
      ['price range', { priceMin: 20, priceMax: 40 }],
      ['price ceiling', { priceMax: 12 }],
      ['category + seller + price', { category: 'bags', seller: 'zenith', priceMin: 10 }],
    ])('filters by %s', async (_label, filter) => {
      for (const q of fixture.queries.slice(0, 4)) {
        const hits = await store.search(q, 8, filter);
        const want = expected(fixture, q, 8, filter);
        expect(want.length).toBeGreaterThan(0);
        expect(hits.map((h) => h.sha256)).toEqual(want);
      }
    });

    it('matches an image through one listing that passes every condition, never by mixing listings', async () => {
      // sha(1): listing L0001 is bags/zenith, listing L9001 is dresses/nova.
      const q = fixture.images[1]!.vector;
      expect((await store.search(q, 1, { category: 'dresses', seller: 'nova' }))[0]?.sha256).toBe(sha(1));
      const mixed = await store.search(q, 300, { category: 'dresses', seller: 'zenith' });
      expect(mixed.map((h) => h.sha256)).not.toContain(sha(1));
      expect(mixed.map((h) => h.sha256)).toEqual(expected(fixture, q, 300, { category: 'dresses', seller: 'zenith' }));
    });

    it('returns nothing when no listing passes the filter', async () => {
      expect(await store.search(fixture.queries[0]!, 5, { category: 'no-such-category' })).toEqual([]);
    });

    it('rejects a query of the wrong dimension', async () => {
      await expect(store.search(new Float32Array(fixture.dim + 1), 5)).rejects.toThrow(/dimension/);
    });
  });
}

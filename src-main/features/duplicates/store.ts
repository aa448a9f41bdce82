import type Database from 'better-sqlite3';
import type { Catalog } from '../../catalog/catalog.js';
import { HASH_VERSION, type ImageHashes } from '../../engine/image-hash.js';

export type PairDecision = 'duplicate' | 'not_duplicate';

export interface StoredPairDecision {
  a: string;
  b: string;
  decision: PairDecision;
  decidedAt: number;
}

export interface ListingRef {
  id: string;
  title: string;
  seller: string | null;
  sku: string | null;
  price: number | null;
  category: string | null;
  url: string | null;
}

/** A candidate graph as the catalog keeps it (graph-codec.ts for nodes and data). */
export interface StoredGraph {
  revision: string;
  key: string;
  format: number;
  builtAt: number;
  pairs: number;
  nodes: Uint8Array;
  data: Uint8Array;
}

/** The duplicate feature's rows in the catalog database (tables from schema.ts). */
export class DuplicateStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly catalog: Catalog) {
    this.db = catalog.db;
    const db = this.db;
    this.stmts = {
      missing: db
        .prepare(
          `SELECT i.sha256 FROM images i LEFT JOIN duplicates_hashes h ON h.sha256 = i.sha256
           WHERE (h.sha256 IS NULL OR h.version <> ?) AND i.sha256 > ? ORDER BY i.sha256 LIMIT ?`,
        )
        .pluck(),
      putHash: db.prepare(
        `INSERT INTO duplicates_hashes (sha256, version, pixel_sha, phash, phash_trim, trim_box, crop_hashes, phash_mirror, phash_trim_mirror, align_thumb, aspect, computed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sha256) DO UPDATE SET version = excluded.version, pixel_sha = excluded.pixel_sha, phash = excluded.phash,
           phash_trim = excluded.phash_trim, trim_box = excluded.trim_box, crop_hashes = excluded.crop_hashes, phash_mirror = excluded.phash_mirror,
           phash_trim_mirror = excluded.phash_trim_mirror, align_thumb = excluded.align_thumb, aspect = excluded.aspect, computed_at = excluded.computed_at`,
      ),
      hashCount: db.prepare('SELECT count(*) FROM duplicates_hashes WHERE version = ?').pluck(),
      allHashes: db.prepare(
        // In storage order (a scan, not a walk of the sha256 index: several times faster on a big table), sorted by the caller.
        `SELECT sha256, pixel_sha AS pixelSha, phash, phash_trim AS phashTrim, trim_box AS trimBox, crop_hashes AS cropHashes, phash_mirror AS phashMirror,
                phash_trim_mirror AS phashTrimMirror, align_thumb AS thumb, aspect, computed_at AS computedAt
         FROM duplicates_hashes NOT INDEXED WHERE version = ?`,
      ),
      listingsOf: db.prepare(
        `SELECT DISTINCT li.sha256, l.id, l.title, l.seller, l.sku, l.price, l.category, l.url FROM listing_images li JOIN listings l ON l.id = li.listing_id
         WHERE li.sha256 IN (SELECT value FROM json_each(?)) ORDER BY li.sha256, l.id`,
      ),
      pathsOf: db.prepare('SELECT sha256, path FROM image_files WHERE sha256 IN (SELECT value FROM json_each(?)) ORDER BY sha256, path'),
      saveGraph: db.prepare(
        `INSERT INTO duplicates_graphs (model, revision, key, format, built_at, pairs, nodes, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model) DO UPDATE SET revision = excluded.revision, key = excluded.key, format = excluded.format, built_at = excluded.built_at,
           pairs = excluded.pairs, nodes = excluded.nodes, data = excluded.data`,
      ),
      graph: db.prepare('SELECT revision, key, format, built_at AS builtAt, pairs, nodes, data FROM duplicates_graphs WHERE model = ?'),
      graphKey: db.prepare('SELECT key FROM duplicates_graphs WHERE model = ?').pluck(),
      copyPrints: db.prepare('SELECT sha256, phash, version, align_thumb AS thumb FROM duplicates_hashes WHERE sha256 IN (SELECT value FROM json_each(?))'),
      paths: db.prepare('SELECT path FROM image_files WHERE sha256 = ? ORDER BY path').pluck(),
      decide: db.prepare(
        `INSERT INTO duplicates_pair_decisions (a, b, decision, decided_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (a, b) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at`,
      ),
      undecide: db.prepare('DELETE FROM duplicates_pair_decisions WHERE a = ? AND b = ?'),
      decisions: db.prepare('SELECT a, b, decision, decided_at AS decidedAt FROM duplicates_pair_decisions ORDER BY decided_at, a, b'),
      keep: db.prepare('INSERT INTO duplicates_keeps (sha256, decided_at) VALUES (?, ?) ON CONFLICT (sha256) DO UPDATE SET decided_at = excluded.decided_at'),
      unkeep: db.prepare('DELETE FROM duplicates_keeps WHERE sha256 = ?'),
      keeps: db.prepare('SELECT sha256, decided_at AS decidedAt FROM duplicates_keeps ORDER BY decided_at, sha256'),
      imageExists: db.prepare('SELECT 1 FROM images WHERE sha256 = ?'),
    };
  }

  /** Images whose hashes are missing or from an older recipe, in batches. */
  *iterateUnhashed(batchSize = 256): Generator<string[]> {
    let after = '';
    for (;;) {
      const shas = this.stmts.missing.all(HASH_VERSION, after, batchSize) as string[];
      if (shas.length === 0) return;
      yield shas;
      after = shas[shas.length - 1] as string;
    }
  }

  putHashes(rows: ReadonlyArray<{ sha256: string; hashes: ImageHashes }>): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const { sha256, hashes: h } of rows) {
        this.stmts.putHash.run(sha256, HASH_VERSION, h.pixelSha, h.phash, h.phashTrim, JSON.stringify(h.trimBox.map((v) => Math.round(v * 1e4) / 1e4)), h.cropHashes, h.phashMirror, h.phashTrimMirror, h.thumb, h.aspect, now);
      }
    })();
  }

  hashCount(): number {
    return this.stmts.hashCount.get(HASH_VERSION) as number;
  }

  /** Every image's current hashes, by sha256, with when they were written. */
  allHashes(): Array<ImageHashes & { sha256: string; computedAt: number }> {
    const rows = this.stmts.allHashes.all(HASH_VERSION) as Array<Omit<ImageHashes, 'trimBox' | 'thumb'> & { sha256: string; trimBox: string; thumb: Buffer; computedAt: number }>;
    rows.sort((x, y) => (x.sha256 < y.sha256 ? -1 : x.sha256 > y.sha256 ? 1 : 0));
    return rows.map((r) => ({ ...r, trimBox: JSON.parse(r.trimBox) as ImageHashes['trimBox'], thumb: new Uint8Array(r.thumb.buffer, r.thumb.byteOffset, r.thumb.byteLength) }));
  }

  /** The listings showing each of these images and the files holding it, by sha256 (one query each, for a page of groups). */
  imageRefs(shas: readonly string[]): Map<string, { listings: ListingRef[]; paths: string[] }> {
    const out = new Map<string, { listings: ListingRef[]; paths: string[] }>(shas.map((s) => [s, { listings: [], paths: [] }]));
    const json = JSON.stringify(shas);
    for (const { sha256, ...listing } of this.stmts.listingsOf.all(json) as Array<ListingRef & { sha256: string }>) out.get(sha256)?.listings.push(listing);
    for (const { sha256, path } of this.stmts.pathsOf.all(json) as Array<{ sha256: string; path: string }>) out.get(sha256)?.paths.push(path);
    return out;
  }

  /** Keeps a model's candidate graph (one per model; the latest replaces the one before). */
  saveGraph(model: string, graph: StoredGraph): void {
    this.stmts.saveGraph.run(model, graph.revision, graph.key, graph.format, graph.builtAt, graph.pairs, graph.nodes, graph.data);
  }

  storedGraph(model: string): StoredGraph | undefined {
    return this.stmts.graph.get(model) as StoredGraph | undefined;
  }

  /** The catalog state the kept graph of a model was built from (without reading the graph). */
  storedGraphKey(model: string): string | undefined {
    return this.stmts.graphKey.get(model) as string | undefined;
  }

  /**
   * The whole-frame pHash of each of these images that has one, with its alignment signature when
   * written by the current HASH_VERSION (search stacks copies by them: features/common/copies.ts).
   */
  copyPrints(shas: readonly string[]): Map<string, { phash: string; signature: Uint8Array | null }> {
    const rows = this.stmts.copyPrints.all(JSON.stringify(shas)) as Array<{ sha256: string; phash: string; version: number; thumb: Buffer }>;
    return new Map(rows.map((r) => [r.sha256, { phash: r.phash, signature: r.version === HASH_VERSION ? new Uint8Array(r.thumb.buffer, r.thumb.byteOffset, r.thumb.byteLength) : null }]));
  }

  paths(sha256: string): string[] {
    return this.stmts.paths.all(sha256) as string[];
  }

  /** Every listing with its source and photo count, by id. */
  allListings(): Map<string, ListingRef & { source: string | null; photos: number }> {
    const rows = this.db
      .prepare(
        `SELECT l.id, l.title, l.seller, l.sku, l.price, l.category, l.url, l.source,
                (SELECT count(DISTINCT li.sha256) FROM listing_images li WHERE li.listing_id = l.id) AS photos
         FROM listings l ORDER BY l.id`,
      )
      .all() as Array<ListingRef & { source: string | null; photos: number }>;
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Listing ids showing each image (images without listings are absent). */
  listingIdsBySha(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const row of this.db.prepare('SELECT DISTINCT sha256, listing_id AS id FROM listing_images ORDER BY listing_id').iterate() as Iterable<{ sha256: string; id: string }>) {
      const list = out.get(row.sha256);
      if (list) list.push(row.id);
      else out.set(row.sha256, [row.id]);
    }
    return out;
  }

  /** Listing sources (listing files) and how many listings each holds. */
  sources(): Array<{ source: string; listings: number }> {
    return this.db.prepare('SELECT source, count(*) AS listings FROM listings WHERE source IS NOT NULL GROUP BY source ORDER BY source').all() as Array<{ source: string; listings: number }>;
  }

  hasImage(sha256: string): boolean {
    return this.stmts.imageExists.get(sha256) !== undefined;
  }

  /** Records (or with `null`, clears) verdicts on pairs, all in one transaction. */
  decidePairs(pairs: ReadonlyArray<{ a: string; b: string; decision: PairDecision | null }>): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const p of pairs) {
        const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
        if (p.decision === null) this.stmts.undecide.run(a, b);
        else this.stmts.decide.run(a, b, p.decision, now);
      }
    })();
  }

  setKeep(shas: readonly string[], keep: boolean): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const sha of shas) {
        if (keep) this.stmts.keep.run(sha, now);
        else this.stmts.unkeep.run(sha);
      }
    })();
  }

  pairDecisions(): StoredPairDecision[] {
    return this.stmts.decisions.all() as StoredPairDecision[];
  }

  keeps(): Array<{ sha256: string; decidedAt: number }> {
    return this.stmts.keeps.all() as Array<{ sha256: string; decidedAt: number }>;
  }

  /** Everything grouping depends on besides the thresholds: when this changes, the cached graph is stale. */
  contentVersion(): string {
    const row = this.db
      .prepare(
        `SELECT (SELECT count(*) FROM images) AS images, (SELECT coalesce(max(rowid), 0) FROM images) AS lastImage,
                (SELECT count(*) FROM duplicates_hashes) AS hashes, (SELECT coalesce(max(computed_at), 0) FROM duplicates_hashes) AS hashedAt`,
      )
      .get() as Record<string, number>;
    return `${row.images}/${row.lastImage}/${row.hashes}/${row.hashedAt}`;
  }
}

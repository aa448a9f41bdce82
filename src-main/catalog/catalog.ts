// catalog/: the SQLite catalog (listings, images by content, files, thumbnails, vectors, import runs)
// and the import that fills it. Runs in the backend and CLI processes; only this folder writes SQL
// for its tables (features add theirs through features/schema.ts).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type ListingFilter, listingFilterSql } from './listing-filter.js';
import type { ListingFields } from './listing-files.js';
import { type Migration, migrate } from './migrations.js';
import { catalogStorageError } from './storage-errors.js';
import { type VectorRow, type VectorSpace, decodeVector, encodeVector } from './vectors.js';

export interface Listing extends ListingFields {
  /** In listing-file order; only images that were imported. */
  images: ListingImage[];
}

/** The listing fields search results and Qdrant payloads carry. */
export type ListingSummary = Pick<ListingFields, 'id' | 'sku' | 'title' | 'category' | 'price' | 'seller'>;

export interface ListingImage {
  sha256: string;
  width: number;
  height: number;
}

export interface ImageInfo {
  sha256: string;
  byteSize: number;
  width: number;
  height: number;
  format: string;
  /** Where the content was last seen on disk (several when copies exist). */
  paths: string[];
}

/** A model revision's vectors in the catalog. */
export interface ModelEmbeddings extends VectorSpace {
  count: number;
}

export interface KnownFile {
  sha256: string;
  byteSize: number;
  mtimeMs: number;
}

export interface Media {
  mime: string;
  bytes: Uint8Array;
}

export interface RunError {
  path: string;
  error: string;
}

export interface IngestRun {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  status: 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted';
  inputs: unknown;
  filesSeen: number;
  indexed: number;
  cached: number;
  failed: number;
  /** Listings the run wrote. */
  listings: number;
  /** Listing rows with a problem plus listing images not found. */
  problems: number;
  message: string | null;
}

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  heif: 'image/heif',
};

type ListingRecord = Omit<Listing, 'images'>;

/**
 * The SQLite catalog: listings, images (by content sha256), where each image lives on disk,
 * thumbnails, embeddings per (model id, revision) and ingest runs. One instance per process
 * (Services.catalog); better-sqlite3 is synchronous, so every call here is short and bounded.
 * Other features add their own tables through a migration (features/schema.ts) and may use `db`.
 */
export class Catalog {
  readonly db: Database.Database;

  private constructor(
    readonly dbPath: string,
    db: Database.Database,
  ) {
    this.db = db;
  }

  /**
   * Opens (creating if needed) the catalog at dbPath and brings its schema up to date with
   * `migrations` (the whole app's list: features/schema.ts openCatalog). A catalog
   * that cannot be written still opens for reading when SQLite can read it; one it cannot open at
   * all (a read-only folder, a full disk during a schema update) gives a CatalogStorageError.
   */
  static open(dbPath: string, migrations: readonly Migration[]): Catalog {
    let db: Database.Database;
    try {
      fs.mkdirSync(path.dirname(dbPath), { recursive: true });
      db = new Database(dbPath);
    } catch (err) {
      throw catalogStorageError(dbPath, err, 'it could not be opened') ?? err;
    }
    try {
      // WAL: readers never block the importer, and a commit is one append; with
      // synchronous=NORMAL a killed process loses nothing committed (only an OS crash or power
      // loss can drop the last few commits, and the file stays consistent either way).
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db, migrations);
    } catch (err) {
      db.close();
      // The first read happens in migrate(); a write there means the schema is older than this version.
      const cannotRead = (err as { code?: unknown }).code === 'SQLITE_READONLY_DIRECTORY';
      throw catalogStorageError(dbPath, err, cannotRead ? 'it could not be opened' : 'it could not be opened, as it needs a schema update for this version of Lookalike') ?? err;
    }
    return new Catalog(dbPath, db);
  }

  private readonly statements = new Map<string, Database.Statement>();
  /** Prepared statements are cached per SQL text: lookups run once per file on import. */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- listings -------------------------------------------------------------------------------

  listingCount(): number {
    return this.sql('SELECT count(*) FROM listings').pluck().get() as number;
  }

  /** Listings with these ids, in the order asked; ids not in the catalog are left out. */
  listingsByIds(ids: readonly string[]): Listing[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT ${LISTING_COLUMNS} FROM listings WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as ListingRecord[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return this.withImages(ids.map((id) => byId.get(id)).filter((r): r is ListingRecord => r !== undefined));
  }

  /** A page of listings in id order. */
  listingsPage(offset: number, limit: number): Listing[] {
    const rows = this.sql(`SELECT ${LISTING_COLUMNS} FROM listings ORDER BY id LIMIT ? OFFSET ?`).all(limit, offset) as ListingRecord[];
    return this.withImages(rows);
  }

  /** Ids of the listings that show this image. */
  listingIdsForImage(sha256: string): string[] {
    return this.sql('SELECT DISTINCT listing_id FROM listing_images WHERE sha256 = ? ORDER BY listing_id').pluck().all(sha256) as string[];
  }

  /** Shas of the images shown by at least one listing that passes the filter. */
  shasMatching(filter: ListingFilter): string[] {
    const { where, params } = listingFilterSql(filter);
    return this.db
      .prepare(`SELECT DISTINCT li.sha256 FROM listings l JOIN listing_images li ON li.listing_id = l.id WHERE ${where}`)
      .pluck()
      .all(...params) as string[];
  }

  /** Listings of each image (those passing the filter, if given), in listing id order. */
  listingsOfImages(shas: readonly string[], filter: ListingFilter = {}): Map<string, ListingSummary[]> {
    const out = new Map<string, ListingSummary[]>();
    if (shas.length === 0) return out;
    const { where, params } = listingFilterSql(filter);
    const rows = this.db
      .prepare(
        `SELECT DISTINCT li.sha256 AS sha256, l.id, l.sku, l.title, l.category, l.price, l.seller
         FROM listing_images li JOIN listings l ON l.id = li.listing_id
         WHERE li.sha256 IN (SELECT value FROM json_each(?)) AND ${where} ORDER BY li.sha256, l.id`,
      )
      .all(JSON.stringify(shas), ...params) as Array<ListingSummary & { sha256: string }>;
    for (const { sha256, ...listing } of rows) {
      const list = out.get(sha256);
      if (list) list.push(listing);
      else out.set(sha256, [listing]);
    }
    return out;
  }

  private withImages(rows: ListingRecord[]): Listing[] {
    if (rows.length === 0) return [];
    const links = this.db
      .prepare(
        `SELECT li.listing_id AS listingId, i.sha256, i.width, i.height FROM listing_images li JOIN images i ON i.sha256 = li.sha256
         WHERE li.listing_id IN (SELECT value FROM json_each(?)) ORDER BY li.listing_id, li.position`,
      )
      .all(JSON.stringify(rows.map((r) => r.id))) as Array<ListingImage & { listingId: string }>;
    const images = new Map<string, ListingImage[]>();
    for (const { listingId, ...image } of links) {
      const list = images.get(listingId);
      if (list) list.push(image);
      else images.set(listingId, [image]);
    }
    return rows.map((r) => ({ ...r, images: images.get(r.id) ?? [] }));
  }

  // ---- images ---------------------------------------------------------------------------------

  imageCount(): number {
    return this.sql('SELECT count(*) FROM images').pluck().get() as number;
  }

  hasImage(sha256: string): boolean {
    return this.sql('SELECT 1 FROM images WHERE sha256 = ?').get(sha256) !== undefined;
  }

  image(sha256: string): ImageInfo | undefined {
    const row = this.db
      .prepare('SELECT sha256, byte_size AS byteSize, width, height, format FROM images WHERE sha256 = ?')
      .get(sha256) as Omit<ImageInfo, 'paths'> | undefined;
    return row && { ...row, paths: this.imagePaths(sha256) };
  }

  /** Files on disk last seen holding this content, most recently seen first. */
  imagePaths(sha256: string): string[] {
    return this.sql('SELECT path FROM image_files WHERE sha256 = ? ORDER BY seen_at DESC, path').pluck().all(sha256) as string[];
  }

  /** Every image sha256 in the catalog, in batches (for features that scan all images). */
  iterateImageShas(batchSize = 4096): Generator<string[]> {
    const page = this.sql('SELECT sha256 FROM images WHERE sha256 > ? ORDER BY sha256 LIMIT ?').pluck();
    return shaPages((after) => page.all(after, batchSize) as string[]);
  }

  thumbnail(sha256: string): Media | undefined {
    const row = this.sql('SELECT mime, bytes FROM thumbnails WHERE sha256 = ?').get(sha256) as { mime: string; bytes: Buffer } | undefined;
    return row && { mime: row.mime, bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) };
  }

  /**
   * The original bytes of a catalog image, read from the first of its files that still holds
   * exactly this content (checked by hash, so a file replaced since import is never served).
   */
  async readOriginal(sha256: string): Promise<Media | undefined> {
    const info = this.image(sha256);
    if (!info) return undefined;
    for (const file of info.paths) {
      const bytes = await fsp.readFile(file).catch(() => undefined);
      if (bytes && createHash('sha256').update(bytes).digest('hex') === sha256) {
        return { mime: MIME[info.format] ?? 'application/octet-stream', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
      }
    }
    return undefined;
  }

  /** What the catalog knows about a file path (for skipping unchanged files without reading them). */
  knownFile(filePath: string): KnownFile | undefined {
    return this.sql('SELECT sha256, byte_size AS byteSize, mtime_ms AS mtimeMs FROM image_files WHERE path = ?').get(filePath) as KnownFile | undefined;
  }

  /** Image content known under a file's base name, e.g. for "IMG_0042.jpg" in a listing file. */
  shasByFileName(name: string): Array<{ path: string; sha256: string }> {
    return this.sql('SELECT path, sha256 FROM image_files WHERE name = ? ORDER BY path').all(name) as Array<{ path: string; sha256: string }>;
  }

  // ---- embeddings -----------------------------------------------------------------------------

  hasEmbedding(sha256: string, modelId: string, revision: string): boolean {
    return this.sql('SELECT 1 FROM embeddings WHERE model_id = ? AND revision = ? AND sha256 = ?').get(modelId, revision, sha256) !== undefined;
  }

  embeddingCount(modelId: string, revision: string): number {
    return this.sql('SELECT count(*) FROM embeddings WHERE model_id = ? AND revision = ?').pluck().get(modelId, revision) as number;
  }

  /** Changes whenever a vector of this model revision is added or removed (loaded stores compare it to reload). */
  embeddingsGeneration(modelId: string, revision: string): string {
    const row = this.sql('SELECT count(*) AS n, coalesce(max(rowid), 0) AS last FROM embeddings WHERE model_id = ? AND revision = ?').get(modelId, revision) as {
      n: number;
      last: number;
    };
    return `${row.n}:${row.last}`;
  }

  /** Up to `limit` images with a vector of this model revision, drawn at random. */
  sampleEmbeddedShas(modelId: string, revision: string, limit: number): string[] {
    return this.sql('SELECT sha256 FROM embeddings WHERE model_id = ? AND revision = ? ORDER BY random() LIMIT ?').pluck().all(modelId, revision, limit) as string[];
  }

  /** Vectors of these images for a model, by sha256; images without one are absent from the map. */
  getEmbeddings(shas: readonly string[], modelId: string, revision: string): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    if (shas.length === 0) return out;
    const rows = this.db
      .prepare('SELECT sha256, dim, vector FROM embeddings WHERE model_id = ? AND revision = ? AND sha256 IN (SELECT value FROM json_each(?))')
      .all(modelId, revision, JSON.stringify(shas)) as Array<{ sha256: string; dim: number; vector: Buffer }>;
    for (const r of rows) out.set(r.sha256, decodeVector(r.vector, r.dim));
    return out;
  }

  /**
   * Every vector of one model revision, in batches of `batchSize`, ordered by sha256. Each batch
   * is its own short query (keyset paging), so the caller may write to the catalog between
   * batches and memory stays at one batch.
   */
  *iterateEmbeddings(modelId: string, revision: string, batchSize = 2048): Generator<VectorRow[]> {
    const page = this.sql(
      'SELECT sha256, dim, vector FROM embeddings WHERE model_id = ? AND revision = ? AND sha256 > ? ORDER BY sha256 LIMIT ?',
    );
    let after = '';
    for (;;) {
      const rows = page.all(modelId, revision, after, batchSize) as Array<{ sha256: string; dim: number; vector: Buffer }>;
      if (rows.length === 0) return;
      yield rows.map((r) => ({ sha256: r.sha256, vector: decodeVector(r.vector, r.dim) }));
      after = (rows[rows.length - 1] as { sha256: string }).sha256;
    }
  }

  /** Stores vectors computed outside an import (e.g. a search that embedded a catalog image). */
  putEmbeddings(modelId: string, revision: string, rows: readonly VectorRow[]): void {
    const insert = this.sql(
      'INSERT OR IGNORE INTO embeddings (sha256, model_id, revision, dim, vector, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const unpend = this.sql('DELETE FROM pending_embeddings WHERE model_id = ? AND revision = ? AND sha256 = ?');
    const now = Date.now();
    try {
      this.db.transaction(() => {
        for (const r of rows) {
          insert.run(r.sha256, modelId, revision, r.vector.length, encodeVector(r.vector), now);
          unpend.run(modelId, revision, r.sha256);
        }
      })();
    } catch (err) {
      throw catalogStorageError(this.dbPath, err, 'the new vectors were not saved') ?? err;
    }
  }

  /** Drops a model's vectors of every revision but `keepRevision`; other models are untouched. */
  pruneEmbeddings(modelId: string, keepRevision: string): number {
    this.sql('DELETE FROM pending_embeddings WHERE model_id = ? AND revision <> ?').run(modelId, keepRevision);
    return this.sql('DELETE FROM embeddings WHERE model_id = ? AND revision <> ?').run(modelId, keepRevision).changes;
  }

  // ---- images waiting for a vector ------------------------------------------------------------

  /** Images stored without their vector of this model revision yet (an import stopped in between). */
  pendingCount(modelId: string, revision: string): number {
    return this.sql('SELECT count(*) FROM pending_embeddings WHERE model_id = ? AND revision = ?').pluck().get(modelId, revision) as number;
  }

  /** Pending images per model: how many, and how many of them the model or a missing file refused. */
  pendingByModel(): Array<{ modelId: string; revision: string; count: number; failed: number }> {
    return this.sql(
      `SELECT model_id AS modelId, revision, count(*) AS count, count(error) AS failed FROM pending_embeddings
       GROUP BY model_id, revision ORDER BY model_id, revision`,
    ).all() as Array<{ modelId: string; revision: string; count: number; failed: number }>;
  }

  /** Pending images of one model revision, in sha256 order, in batches (keyset paging). */
  iteratePending(modelId: string, revision: string, batchSize = 256): Generator<string[]> {
    const page = this.sql('SELECT sha256 FROM pending_embeddings WHERE model_id = ? AND revision = ? AND sha256 > ? ORDER BY sha256 LIMIT ?').pluck();
    return shaPages((after) => page.all(modelId, revision, after, batchSize) as string[]);
  }

  /** Distinct images waiting for a vector of any model. */
  pendingImageCount(): number {
    return this.sql('SELECT count(DISTINCT sha256) FROM pending_embeddings').pluck().get() as number;
  }

  markPendingError(modelId: string, revision: string, sha256: string, error: string): void {
    this.sql('UPDATE pending_embeddings SET error = ? WHERE model_id = ? AND revision = ? AND sha256 = ?').run(error, modelId, revision, sha256);
  }

  /** Images that have no vector yet for this model revision, in sha256 order. */
  iterateUnembedded(modelId: string, revision: string, batchSize = 256): Generator<string[]> {
    const page = this.db
      .prepare(
        `SELECT i.sha256 FROM images i WHERE i.sha256 > ? AND NOT EXISTS
           (SELECT 1 FROM embeddings e WHERE e.model_id = ? AND e.revision = ? AND e.sha256 = i.sha256)
         ORDER BY i.sha256 LIMIT ?`,
      )
      .pluck();
    return shaPages((after) => page.all(after, modelId, revision, batchSize) as string[]);
  }

  embeddingModels(): ModelEmbeddings[] {
    return this.db
      .prepare('SELECT model_id AS modelId, revision, dim, count(*) AS count FROM embeddings GROUP BY model_id, revision, dim ORDER BY model_id, revision')
      .all() as ModelEmbeddings[];
  }

  // ---- runs and stats -------------------------------------------------------------------------

  /** The most recent ingest runs, newest first, each with up to `errorLimit` of its per-file errors. */
  recentRuns(limit: number, errorLimit = 1000): Array<IngestRun & { errors: RunError[]; errorCount: number; problemList: RunError[] }> {
    const runs = this.db
      .prepare(
        `SELECT id, started_at AS startedAt, finished_at AS finishedAt, status, inputs, files_seen AS filesSeen, indexed, cached, failed,
           listings, problems, message
         FROM ingest_runs ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as Array<Omit<IngestRun, 'inputs'> & { inputs: string }>;
    const errors = this.sql("SELECT path, error FROM ingest_errors WHERE run_id = ? AND kind = 'file' ORDER BY rowid LIMIT ?");
    const problems = this.sql("SELECT path, error FROM ingest_errors WHERE run_id = ? AND kind <> 'file' ORDER BY rowid LIMIT ?");
    const count = this.sql("SELECT count(*) FROM ingest_errors WHERE run_id = ? AND kind = 'file'").pluck();
    return runs.map((r) => ({
      ...r,
      inputs: JSON.parse(r.inputs) as unknown,
      errors: errors.all(r.id, errorLimit) as RunError[],
      errorCount: count.get(r.id) as number,
      problemList: problems.all(r.id, errorLimit) as RunError[],
    }));
  }

  /** Row counts of every table, including tables other features added. */
  tableCounts(): Record<string, number> {
    const tables = this.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(tables.map((t) => [t, this.db.prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`).pluck().get() as number]));
  }
}

const LISTING_COLUMNS = 'id, sku, title, description, category, price, seller, url';

/** Keyset paging over sha256s: each page is its own short query, so callers may write between pages. */
function* shaPages(page: (after: string) => string[]): Generator<string[]> {
  let after = '';
  for (;;) {
    const shas = page(after);
    if (shas.length === 0) return;
    yield shas;
    after = shas[shas.length - 1] as string;
  }
}

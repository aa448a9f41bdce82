import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Embedder } from '../engine/types.js';
import type { Catalog } from './catalog.js';
import type { ImageAnalysis, ImageAnalyzer } from './image-analyzer.js';
import type { ListingRow } from './listing-files.js';
import { encodeVector } from './vectors.js';

export interface NewImage {
  sha256: string;
  byteSize: number;
  width: number;
  height: number;
  format: string;
  thumbnail: Buffer;
  thumbnailMime: string;
}

export interface SeenFile {
  path: string;
  sha256: string;
  byteSize: number;
  mtimeMs: number;
}

export interface RunCounts {
  filesSeen: number;
  indexed: number;
  cached: number;
  failed: number;
  /** Listings written (set once the listing file is done). */
  listings?: number;
  /** Listing rows with a problem plus listing image references not found. */
  problems?: number;
}

/** A model an image waits for a vector of (an Embedder is one). */
export type ModelKey = Pick<Embedder, 'id' | 'revision'>;

/** What an ingest error is about: a file that failed, a listing row, or a listing's image not found. */
export type ErrorKind = 'file' | 'row' | 'missing';

type Op =
  | { kind: 'image'; image: NewImage; pending: ModelKey[]; analyses: ImageAnalysis[] }
  | { kind: 'file'; file: SeenFile }
  | { kind: 'forget'; path: string }
  | { kind: 'pending'; sha256: string; models: ModelKey[] }
  | { kind: 'embedding'; modelId: string; revision: string; sha256: string; vector: Float32Array }
  | { kind: 'embedFailed'; modelId: string; revision: string; sha256: string; error: string }
  | { kind: 'error'; path: string; error: string; errorKind: ErrorKind };

/**
 * Buffers an import's writes and commits them in one transaction per batch (every `maxOps`
 * operations or `maxDelayMs`, whichever comes first), so a kill loses at most the last second
 * and the database is always a prefix of the work. Operations commit in the order they were
 * queued, so an image row always lands before (or with) the file rows and vectors that refer to it.
 */
export class IngestWriter {
  private pending: Op[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Set once a commit fails (disk full, read-only): later writes throw it instead of trying again. */
  private failure: unknown;
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(
    catalog: Catalog,
    readonly runId: number,
    private readonly counts: () => RunCounts,
    private readonly maxOps = 64,
    private readonly maxDelayMs = 1000,
  ) {
    this.db = catalog.db;
    const db = this.db;
    this.stmts = {
      image: db.prepare('INSERT OR IGNORE INTO images (sha256, byte_size, width, height, format, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      thumbnail: db.prepare('INSERT OR IGNORE INTO thumbnails (sha256, mime, bytes) VALUES (?, ?, ?)'),
      file: db.prepare(
        `INSERT INTO image_files (path, name, sha256, byte_size, mtime_ms, seen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET sha256 = excluded.sha256, byte_size = excluded.byte_size, mtime_ms = excluded.mtime_ms, seen_at = excluded.seen_at`,
      ),
      forget: db.prepare('DELETE FROM image_files WHERE path = ?'),
      embedding: db.prepare('INSERT OR IGNORE INTO embeddings (sha256, model_id, revision, dim, vector, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      pending: db.prepare('INSERT INTO pending_embeddings (sha256, model_id, revision, queued_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
      unpend: db.prepare('DELETE FROM pending_embeddings WHERE model_id = ? AND revision = ? AND sha256 = ?'),
      embedFailed: db.prepare('UPDATE pending_embeddings SET error = ? WHERE model_id = ? AND revision = ? AND sha256 = ?'),
      error: db.prepare('INSERT INTO ingest_errors (run_id, path, error, at, kind) VALUES (?, ?, ?, ?, ?)'),
      runCounts: db.prepare('UPDATE ingest_runs SET files_seen = ?, indexed = ?, cached = ?, failed = ? WHERE id = ?'),
    };
  }

  /**
   * New content, its first path, the models it is about to be embedded with and what the import's
   * analyzers made of it: the image row, its pending marks and the analyses commit together, so a
   * kill never leaves an image that nothing will embed.
   */
  addImage(image: NewImage, file: SeenFile, pending: ModelKey[] = [], analyses: ImageAnalysis[] = []): void {
    this.push({ kind: 'image', image, pending, analyses }, { kind: 'file', file });
  }

  /** Known content about to be embedded with these models (listed as pending until its vectors commit). */
  addPending(sha256: string, models: ModelKey[]): void {
    if (models.length > 0) this.push({ kind: 'pending', sha256, models });
  }

  /** The model could not embed this image: it stays pending, with the reason. */
  addEmbedFailure(modelId: string, revision: string, sha256: string, error: string): void {
    this.push({ kind: 'embedFailed', modelId, revision, sha256, error });
  }

  /** Known content under a (possibly new) path: a rename or copy re-uses the image and its vectors. */
  addFile(file: SeenFile): void {
    this.push({ kind: 'file', file });
  }

  addEmbedding(modelId: string, revision: string, sha256: string, vector: Float32Array): void {
    this.push({ kind: 'embedding', modelId, revision, sha256, vector });
  }

  /** Records a per-file error; the path no longer maps to content it may have held before. */
  addError(filePath: string, error: string, { forgetFile = false, kind = 'file' as ErrorKind } = {}): void {
    if (forgetFile) this.push({ kind: 'forget', path: filePath });
    this.push({ kind: 'error', path: filePath, error, errorKind: kind });
  }

  private push(...ops: Op[]): void {
    if (this.failure !== undefined) throw this.failure;
    this.pending.push(...ops);
    if (this.pending.length >= this.maxOps) this.flush();
    else this.timer ??= setTimeout(() => this.flushFromTimer(), this.maxDelayMs);
  }

  /** A timer has no caller to throw to: the error (disk full, say) is kept for the next write. */
  private flushFromTimer(): void {
    try {
      this.flush();
    } catch {
      // kept in this.failure by flush()
    }
  }

  /**
   * Commits everything queued so far in one transaction. A failed commit rolls back whole, drops
   * its batch (the next run redoes those files: nothing records them as seen) and is rethrown.
   */
  flush(): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const ops = this.pending;
    this.pending = [];
    try {
      this.commit(ops);
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

  private commit(ops: Op[]): void {
    const now = Date.now();
    const s = this.stmts;
    this.db.transaction(() => {
      /** Analyses of this batch's images, per analyzer, stored once their image rows are in. */
      const analysed = new Map<ImageAnalyzer, Array<{ sha256: string; result: unknown }>>();
      for (const op of ops) {
        switch (op.kind) {
          case 'image':
            s.image.run(op.image.sha256, op.image.byteSize, op.image.width, op.image.height, op.image.format, now);
            s.thumbnail.run(op.image.sha256, op.image.thumbnailMime, op.image.thumbnail);
            for (const m of op.pending) s.pending.run(op.image.sha256, m.id, m.revision, now);
            for (const a of op.analyses) {
              const rows = analysed.get(a.analyzer) ?? [];
              rows.push({ sha256: op.image.sha256, result: a.result });
              analysed.set(a.analyzer, rows);
            }
            break;
          case 'pending':
            for (const m of op.models) s.pending.run(op.sha256, m.id, m.revision, now);
            break;
          case 'embedFailed':
            s.embedFailed.run(op.error, op.modelId, op.revision, op.sha256);
            break;
          case 'file':
            s.file.run(op.file.path, path.basename(op.file.path), op.file.sha256, op.file.byteSize, op.file.mtimeMs, now);
            break;
          case 'forget':
            s.forget.run(op.path);
            break;
          case 'embedding':
            s.embedding.run(op.sha256, op.modelId, op.revision, op.vector.length, encodeVector(op.vector), now);
            s.unpend.run(op.modelId, op.revision, op.sha256);
            break;
          case 'error':
            s.error.run(this.runId, op.path, op.error, now, op.errorKind);
            break;
        }
      }
      for (const [analyzer, rows] of analysed) analyzer.store(rows);
      const c = this.counts();
      s.runCounts.run(c.filesSeen, c.indexed, c.cached, c.failed, this.runId);
    }).immediate();
  }

  /** Commits what is left; after a failed commit there is nothing to commit and nothing to throw. */
  close(): void {
    if (this.failure === undefined) this.flush();
  }
}

/** Starts a run row; runs left 'running' by a process that no longer exists become 'interrupted'. */
export function startRun(catalog: Catalog, inputs: unknown): number {
  const db = catalog.db;
  return db.transaction(() => {
    settleDeadRuns(catalog);
    const result = db
      .prepare("INSERT INTO ingest_runs (pid, started_at, status, inputs) VALUES (?, ?, 'running', ?)")
      .run(process.pid, Date.now(), JSON.stringify(inputs));
    return Number(result.lastInsertRowid);
  }).immediate();
}

/** Runs left 'running' by a process that no longer exists (killed, crashed) become 'interrupted'. */
export function settleDeadRuns(catalog: Catalog): void {
  const db = catalog.db;
  const running = db.prepare("SELECT id, pid FROM ingest_runs WHERE status = 'running'").all() as Array<{ id: number; pid: number }>;
  for (const run of running) {
    if (!processAlive(run.pid)) {
      db.prepare("UPDATE ingest_runs SET status = 'interrupted', message = 'the importing process stopped before finishing' WHERE id = ?").run(run.id);
    }
  }
}

export function finishRun(catalog: Catalog, runId: number, status: 'completed' | 'cancelled' | 'failed', counts: RunCounts, message?: string): void {
  catalog.db
    .prepare('UPDATE ingest_runs SET status = ?, finished_at = ?, files_seen = ?, indexed = ?, cached = ?, failed = ?, listings = ?, problems = ?, message = ? WHERE id = ?')
    .run(status, Date.now(), counts.filesSeen, counts.indexed, counts.cached, counts.failed, counts.listings ?? 0, counts.problems ?? 0, message ?? null, runId);
}

/** Whether a process still exists (a run or job it left 'running' is then not interrupted). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes listings and their image links, a few hundred per transaction. A listing imported again
 * replaces its fields and its image list (the listing file is the source of truth for it).
 */
export function writeListings(
  catalog: Catalog,
  listings: Array<{ row: ListingRow; shas: string[] }>,
  source: string,
  batchSize = 500,
): void {
  const db = catalog.db;
  const upsert = db.prepare(
    `INSERT INTO listings (id, sku, title, description, category, price, seller, url, source, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, title = excluded.title, description = excluded.description, category = excluded.category,
       price = excluded.price, seller = excluded.seller, url = excluded.url, source = excluded.source, updated_at = excluded.updated_at`,
  );
  const clearLinks = db.prepare('DELETE FROM listing_images WHERE listing_id = ?');
  const link = db.prepare('INSERT INTO listing_images (listing_id, position, sha256) VALUES (?, ?, ?)');
  const now = Date.now();
  for (let i = 0; i < listings.length; i += batchSize) {
    db.transaction(() => {
      for (const { row, shas } of listings.slice(i, i + batchSize)) {
        upsert.run(row.id, row.sku, row.title, row.description, row.category, row.price, row.seller, row.url, source, now);
        clearLinks.run(row.id);
        shas.forEach((sha, position) => link.run(row.id, position, sha));
      }
    }).immediate();
  }
}

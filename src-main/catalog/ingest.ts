import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Progress } from '../shared/progress.js';
import type { Embedder } from '../engine/types.js';
import { type Catalog, catalogStorageError, storageProblem } from './catalog.js';
import { DEFAULT_MAX_PIXELS, ImageRejected, THUMBNAIL_MIME, decodeImage } from './decode.js';
import { type FoundFile, errnoMessage, sniffImageFormat, walkImageFiles } from './image-files.js';
import { IngestWriter, type ModelKey, type RunCounts, finishRun, startRun, writeListings } from './ingest-writer.js';
import { type ListingRow, type RowProblem, readListingFile } from './listing-files.js';
import { RateMeter } from './rate.js';

export interface IngestOptions {
  /** Folders (walked recursively) and single files. */
  paths: string[];
  /** A CSV, JSON or JSONL listing file. */
  listings?: string;
  /** Models to embed new images with; images that already have a vector for (id, revision) are skipped. */
  embedders?: Embedder[];
  /** Images over this many pixels are refused before decoding. */
  maxPixels?: number;
  /** Files over this many bytes are refused without being read. */
  maxFileBytes?: number;
  signal?: AbortSignal;
  progress?: (p: Progress) => void;
  /** Commit policy: a transaction every `commitOps` writes or `commitMs`, whichever comes first. */
  commitOps?: number;
  commitMs?: number;
  embedBatchSize?: number;
}

export interface FileFailure {
  path: string;
  error: string;
}

export interface MissingImage {
  listing: string;
  where: string;
  image: string;
  reason: string;
}

export interface IngestSummary {
  runId: number;
  /** Files whose content was new to the catalog or that needed a vector for a requested model. */
  indexed: number;
  /** Files whose content and vectors were already in the catalog (unchanged, renamed, copied, or done by an earlier interrupted run). */
  cached: number;
  failed: FileFailure[];
  failedCount: number;
  /** Listing rows' image references that point at no imported image. */
  missing: MissingImage[];
  missingCount: number;
  /** Listing rows skipped or imported with a field dropped. */
  rowProblems: RowProblem[];
  /** Listing rows with a problem plus listing image references not found: what the report counts as problems. */
  problemCount: number;
  listings: number;
  /** Images stored earlier without their vectors (a cancelled or killed import) that this run embedded. */
  repaired: number;
  /** Images still waiting for a vector of a requested model after this run (the model failed on them, or their file is gone). */
  pending: number;
  filesSeen: number;
  /** New vectors per model id. */
  embedded: Record<string, number>;
  seconds: number;
}

/** The whole import cannot start (a path does not exist, the listing file is unusable). */
export class IngestInputError extends Error {
  override name = 'IngestInputError';
}

/** `~` and `~/x` are the user's home, as in a shell (paths typed into the app are not shell-expanded). */
export function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}

const REPORT_LIMIT = 1000;
/**
 * Tests only: a pause before each file, so that an end-to-end test can reload a page in the middle
 * of an import of a few hundred photos on any machine, however fast. Unset in real use.
 */
const TEST_DELAY_MS = Number(process.env.LOOKALIKE_TEST_IMPORT_DELAY_MS) || 0;
const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
const FILE_CONCURRENCY = 4;
/** Decoded-to-be bytes waiting for the embedder; reading pauses beyond this. */
const EMBED_QUEUE_BYTES = 256 * 1024 * 1024;

interface EmbedJob {
  sha256: string;
  path: string;
  bytes: Buffer;
  embedders: Embedder[];
  /** An image stored by an earlier run without its vector, read back from the catalog. */
  repair?: boolean;
}

/**
 * Imports folders, files and a listing file into the catalog. Crash-safe and resumable: writes
 * are committed in small batches, unchanged files (same path, size and mtime) are skipped
 * without being read, known content is never decoded or embedded again, so re-running after a
 * kill or a cancel picks up where the last commit left off.
 */
export async function ingest(catalog: Catalog, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const embedders = options.embedders ?? [];
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const embedBatchSize = options.embedBatchSize ?? 16;
  const report = options.progress ?? (() => {});

  const roots = options.paths.map((p) => path.resolve(expandHome(p)));
  const listingFile = options.listings ? path.resolve(expandHome(options.listings)) : undefined;
  const inputs = { paths: roots, listings: listingFile ?? null, models: embedders.map((e) => `${e.id}@${e.revision}`) };
  let listingRows: ListingRow[] = [];
  let rowProblems: RowProblem[] = [];
  try {
    for (const root of roots) {
      if (!(await exists(root))) throw new IngestInputError(`not found: ${root}`);
    }
    if (listingFile) {
      try {
        ({ rows: listingRows, problems: rowProblems } = await readListingFile(listingFile));
      } catch (err) {
        throw new IngestInputError((err as Error).message);
      }
    }
  } catch (err) {
    // A run that cannot start is still a run the history shows, with why.
    if (err instanceof IngestInputError) recordRefusedRun(catalog, inputs, err.message);
    throw err;
  }
  signal.throwIfAborted();

  const counts: RunCounts = { filesSeen: 0, indexed: 0, cached: 0, failed: 0 };
  let runId: number;
  try {
    runId = startRun(catalog, inputs);
  } catch (err) {
    throw catalogStorageError(catalog.dbPath, err, 'nothing was imported') ?? err;
  }
  const writer = new IngestWriter(catalog, runId, () => counts, options.commitOps, options.commitMs);
  const failures: FileFailure[] = [];
  const failedPaths = new Map<string, string>();
  const embedded: Record<string, number> = Object.fromEntries(embedders.map((e) => [e.id, 0]));

  const fail = (file: string, error: string, forgetFile = false) => {
    counts.failed++;
    failedPaths.set(file, error);
    if (failures.length < REPORT_LIMIT) failures.push({ path: file, error });
    writer.addError(file, error, { forgetFile });
  };

  try {
    // A new revision of a model makes that model's old vectors stale; other models keep theirs.
    for (const e of embedders) catalog.pruneEmbeddings(e.id, e.revision);

    // 1. Scan: every file to look at, so progress has a total and an ETA.
    const files: FoundFile[] = [];
    const listed = new Set<string>();
    let lastScanReport = 0;
    for await (const entry of walkImageFiles(roots, signal)) {
      if (entry.kind === 'error') {
        fail(entry.path, entry.error);
        continue;
      }
      if (listed.has(entry.path)) continue;
      listed.add(entry.path);
      files.push(entry);
      if (Date.now() - lastScanReport > 250) {
        lastScanReport = Date.now();
        report({ phase: 'scanning', done: files.length });
      }
    }
    // Images a listing file names by path but that sit outside the imported folders.
    if (listingFile) {
      const base = path.dirname(listingFile);
      for (const row of listingRows) {
        for (const ref of row.images) {
          if (isUrl(ref)) continue;
          const candidate = path.resolve(base, ref);
          if (listed.has(candidate)) continue;
          const st = await fs.stat(candidate).catch(() => undefined);
          if (!st?.isFile()) continue;
          listed.add(candidate);
          files.push({ path: candidate, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
        }
      }
    }
    counts.filesSeen = files.length + counts.failed;

    // 2. Read, hash, check and thumbnail files while the embedder works through what is ready.
    const meter = new RateMeter(files.length);
    let processed = 0;
    let lastReport = 0;
    const progress = (force = false) => {
      if (!force && Date.now() - lastReport < 250) return;
      lastReport = Date.now();
      const { ratePerSecond, etaSeconds } = meter.sample(processed);
      report({ phase: 'indexing', done: processed, total: files.length, cached: counts.cached, failed: counts.failed, ratePerSecond, etaSeconds });
    };

    const queue = new EmbedQueue(EMBED_QUEUE_BYTES, embedBatchSize * 4);
    /** Content this run is already handling: a second copy waits for the first instead of decoding again. */
    const inFlight = new Map<string, Promise<string | undefined>>();
    /** Content added by this run, committed or still in the writer's batch. */
    const added = new Set<string>();
    const queuedFor = new Map(embedders.map((e) => [e.id, new Set<string>()]));
    const modelKeys = embedders.map(modelKey);
    let repaired = 0;

    const processFile = async (file: FoundFile): Promise<void> => {
      const known = catalog.knownFile(file.path);
      let sha: string;
      let bytes: Buffer | undefined;
      let isNew = false;
      if (known && known.byteSize === file.size && known.mtimeMs === file.mtimeMs) {
        sha = known.sha256;
      } else {
        if (file.size === 0) return fail(file.path, 'empty file (0 bytes)', true);
        if (file.size > maxFileBytes) return fail(file.path, `file is ${mb(file.size)} MB, over the ${mb(maxFileBytes)} MB limit`, true);
        try {
          bytes = await fs.readFile(file.path);
        } catch (err) {
          return fail(file.path, `cannot read file: ${errnoMessage(err)}`, true);
        }
        if (bytes.length === 0) return fail(file.path, 'empty file (0 bytes)', true);
        if (!sniffImageFormat(bytes.subarray(0, 32))) {
          return fail(file.path, 'not an image: content is not JPEG, PNG, WebP, GIF, TIFF or AVIF/HEIF', true);
        }
        sha = createHash('sha256').update(bytes).digest('hex');
        const seen = { path: file.path, sha256: sha, byteSize: bytes.length, mtimeMs: file.mtimeMs };
        const pending = inFlight.get(sha);
        if (pending) {
          // Same bytes as a file being decoded right now: share its outcome.
          const reason = await pending;
          if (reason) return fail(file.path, reason, true);
          writer.addFile(seen);
          // The first copy queues the embeddings.
          counts.cached++;
          return;
        } else if (added.has(sha) || catalog.hasImage(sha)) {
          writer.addFile(seen);
        } else {
          const content = bytes;
          const work = decodeImage(content, maxPixels).then(
            (decoded) => {
              // New content needs every requested model's vector: pending from the moment it is stored.
              writer.addImage({ sha256: sha, byteSize: content.length, format: decoded.format, width: decoded.width, height: decoded.height, thumbnail: decoded.thumbnail, thumbnailMime: THUMBNAIL_MIME }, seen, modelKeys);
              added.add(sha);
              return undefined;
            },
            (err: unknown) => {
              if (err instanceof ImageRejected) return err.message;
              throw err;
            },
          );
          inFlight.set(sha, work);
          const reason = await work.finally(() => inFlight.delete(sha));
          if (reason) return fail(file.path, reason, true);
          isNew = true;
        }
      }
      const needs = embedders.filter((e) => {
        const queued = queuedFor.get(e.id) as Set<string>;
        if (queued.has(sha) || catalog.hasEmbedding(sha, e.id, e.revision)) return false;
        queued.add(sha);
        return true;
      });
      if (!isNew) writer.addPending(sha, needs.map(modelKey));
      if (needs.length > 0) {
        if (!bytes) {
          try {
            bytes = await fs.readFile(file.path);
          } catch (err) {
            return fail(file.path, `cannot read file: ${errnoMessage(err)}`);
          }
        }
        await queue.put({ sha256: sha, path: file.path, bytes, embedders: needs }, signal);
      }
      if (isNew || needs.length > 0) counts.indexed++;
      else counts.cached++;
    };

    const embedding = runEmbedder(queue, embedBatchSize, signal, (e, job, vector) => {
      writer.addEmbedding(e.id, e.revision, job.sha256, vector);
      embedded[e.id] = (embedded[e.id] ?? 0) + 1;
      if (job.repair) repaired++;
    }, (e, job, error) => {
      if (!job.repair) counts.indexed--;
      writer.addEmbedFailure(e.id, e.revision, job.sha256, error);
      fail(job.path, error);
    });
    // Readers blocked on a full queue must not wait forever for an embedder that has stopped.
    embedding.catch((err: unknown) => queue.fail(err));

    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        signal.throwIfAborted();
        const file = files[next++] as FoundFile;
        if (TEST_DELAY_MS) await new Promise((r) => setTimeout(r, TEST_DELAY_MS));
        await processFile(file);
        processed++;
        progress();
      }
    };
    const reading = Promise.all(Array.from({ length: FILE_CONCURRENCY }, worker));
    // Then images stored earlier without their vectors (a cancelled or killed run) join the queue.
    const feeding = reading.then(() => queuePending(catalog, embedders, queuedFor, queue, signal, report));
    try {
      await feeding;
      queue.close();
    } catch (err) {
      queue.fail(err);
    }
    // Both stages settle before the run is closed, so nothing writes after finishRun.
    await Promise.allSettled([feeding, embedding]);
    await feeding;
    await embedding;
    progress(true);
    writer.flush();

    // 3. Listings, once every image they may point at is in.
    const missing: MissingImage[] = [];
    let missingCount = 0;
    if (listingFile) {
      report({ phase: 'listings', done: 0, total: listingRows.length });
      const resolved = listingRows.map((row) => {
        const shas: string[] = [];
        for (const ref of row.images) {
          const found = resolveImageRef(catalog, ref, path.dirname(listingFile), roots, failedPaths);
          if ('sha256' in found) {
            if (!shas.includes(found.sha256)) shas.push(found.sha256);
          } else {
            missingCount++;
            if (missing.length < REPORT_LIMIT) missing.push({ listing: row.id, where: row.where, image: ref, reason: found.reason });
          }
        }
        return { row, shas };
      });
      signal.throwIfAborted();
      writeListings(catalog, resolved, listingFile);
      for (const p of rowProblems) writer.addError(p.where, p.skipped ? `${p.error} (row skipped)` : p.error, { kind: 'row' });
      for (const m of missing) writer.addError(m.where, `listing ${m.listing}: image "${m.image}" ${m.reason}`, { kind: 'missing' });
      counts.listings = listingRows.length;
      counts.problems = rowProblems.length + missingCount;
      writer.flush();
      report({ phase: 'listings', done: listingRows.length, total: listingRows.length });
    }

    finishRun(catalog, runId, 'completed', counts);
    return {
      runId,
      indexed: counts.indexed,
      cached: counts.cached,
      failed: failures,
      failedCount: counts.failed,
      missing,
      missingCount,
      rowProblems,
      problemCount: rowProblems.length + missingCount,
      listings: listingRows.length,
      repaired,
      pending: embedders.reduce((n, e) => n + catalog.pendingCount(e.id, e.revision), 0),
      filesSeen: counts.filesSeen,
      embedded,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } catch (err) {
    const cancelled = signal.aborted;
    let failure = err;
    try {
      // Keep every finished file: the next run resumes from here.
      writer.flush();
    } catch (flushErr) {
      // The disk filled up (or the catalog became read-only) while stopping: that is the news.
      if (!storageProblem(err)) failure = flushErr;
    }
    const storage = catalogStorageError(catalog.dbPath, failure, `the import stopped; ${keptSummary(catalog)} and the next run resumes from there`);
    try {
      finishRun(catalog, runId, cancelled && !storage ? 'cancelled' : 'failed', counts, storage?.message ?? (cancelled ? 'cancelled' : (failure as Error).message));
    } catch (finishErr) {
      // Recording the run's end is a write too; when storage refuses it the run stays 'running'
      // and the next import marks it 'interrupted'.
      if (!storageProblem(finishErr)) throw finishErr;
    }
    throw storage ?? failure;
  } finally {
    writer.close();
  }
}

function modelKey(e: Embedder): ModelKey {
  return { id: e.id, revision: e.revision };
}

/** Records an import that could not start (a path not found, not a listing file) as a failed run. */
function recordRefusedRun(catalog: Catalog, inputs: unknown, message: string): void {
  try {
    const runId = startRun(catalog, inputs);
    finishRun(catalog, runId, 'failed', { filesSeen: 0, indexed: 0, cached: 0, failed: 0 }, message);
  } catch {
    // The history is a courtesy here; the caller reports the refusal itself.
  }
}

/**
 * Queues images stored without their vector for a requested model (an earlier run cancelled or
 * killed between storing them and embedding them), read back from where they were seen and
 * checked by hash. One whose file is gone stays pending with the reason.
 */
async function queuePending(
  catalog: Catalog,
  embedders: Embedder[],
  queuedFor: Map<string, Set<string>>,
  queue: EmbedQueue,
  signal: AbortSignal,
  report: (p: Progress) => void,
): Promise<void> {
  for (const e of embedders) {
    const queued = queuedFor.get(e.id) as Set<string>;
    const total = catalog.pendingCount(e.id, e.revision);
    let done = 0;
    for (const batch of catalog.iteratePending(e.id, e.revision)) {
      for (const sha of batch) {
        signal.throwIfAborted();
        done++;
        if (queued.has(sha)) continue;
        queued.add(sha);
        const original = await catalog.readOriginal(sha);
        if (!original) {
          catalog.markPendingError(e.id, e.revision, sha, 'its file is no longer on disk (moved, changed or deleted); re-import its folder');
          continue;
        }
        const bytes = Buffer.from(original.bytes.buffer, original.bytes.byteOffset, original.bytes.byteLength);
        await queue.put({ sha256: sha, path: catalog.imagePaths(sha)[0] ?? sha, bytes, embedders: [e], repair: true }, signal);
        report({ phase: 'repairing', done, total });
      }
    }
  }
}

/** What a stopped import leaves in the catalog, read back after the failed batch rolled back. */
function keptSummary(catalog: Catalog): string {
  try {
    return `everything committed before is kept (the catalog holds ${catalog.imageCount()} images)`;
  } catch {
    return 'everything committed before is kept';
  }
}

/** The embedding stage: takes batches off the queue and embeds each with the models it still needs. */
async function runEmbedder(
  queue: EmbedQueue,
  batchSize: number,
  signal: AbortSignal,
  onVector: (e: Embedder, job: EmbedJob, vector: Float32Array) => void,
  onError: (e: Embedder, job: EmbedJob, error: string) => void,
): Promise<void> {
  for (;;) {
    const batch = await queue.take(batchSize);
    if (batch.length === 0) return;
    // A cancel stops the embedding between batches too (reading may be long done).
    signal.throwIfAborted();
    const models = new Set(batch.flatMap((j) => j.embedders));
    const failed = new Set<EmbedJob>();
    for (const e of models) {
      const jobs = batch.filter((j) => j.embedders.includes(e) && !failed.has(j));
      for (const { job, vector, error } of await embedJobs(e, jobs, signal)) {
        if (vector) onVector(e, job, vector);
        else {
          failed.add(job);
          onError(e, job, `${e.id} could not embed it: ${error}`);
        }
      }
    }
    queue.release(batch);
  }
}

/** Embeds a batch; if the batch fails, retries one by one so that one bad image fails alone. */
async function embedJobs(e: Embedder, jobs: EmbedJob[], signal: AbortSignal): Promise<Array<{ job: EmbedJob; vector?: Float32Array; error?: string }>> {
  if (jobs.length === 0) return [];
  try {
    const vectors = await e.embedImages(jobs.map((j) => j.bytes), { signal });
    if (vectors.length !== jobs.length) throw new Error(`returned ${vectors.length} vectors for ${jobs.length} images`);
    return jobs.map((job, i) => {
      const vector = vectors[i] as Float32Array;
      return checkVector(vector, e) ? { job, error: checkVector(vector, e) } : { job, vector };
    });
  } catch (err) {
    signal.throwIfAborted();
    if (jobs.length === 1) return [{ job: jobs[0] as EmbedJob, error: firstLine(err) }];
    const out = [];
    for (const job of jobs) out.push(...(await embedJobs(e, [job], signal)));
    return out;
  }
}

function checkVector(v: Float32Array, e: Embedder): string | undefined {
  if (v.length !== e.dim) return `vector has ${v.length} values, expected ${e.dim}`;
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return 'vector has non-finite values';
  return undefined;
}

/**
 * Jobs waiting for the embedder, bounded by count and bytes: reading files stops getting ahead
 * of the model once the queue is full, so memory stays flat however many files there are.
 */
class EmbedQueue {
  private items: EmbedJob[] = [];
  private bytes = 0;
  private closed = false;
  private error: unknown;
  private wakeTaker: (() => void) | undefined;
  private wakePutters: Array<() => void> = [];

  constructor(
    private readonly maxBytes: number,
    private readonly maxItems: number,
  ) {}

  async put(job: EmbedJob, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      if (this.error !== undefined) throw this.error;
      const full = this.items.length >= this.maxItems || (this.bytes > 0 && this.bytes + job.bytes.length > this.maxBytes);
      if (!full) break;
      await new Promise<void>((resolve) => {
        this.wakePutters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    this.items.push(job);
    this.bytes += job.bytes.length;
    this.wake();
  }

  /** Up to n jobs; waits while the queue is empty and open; [] once closed and drained. */
  async take(n: number): Promise<EmbedJob[]> {
    while (this.items.length < n && !this.closed) {
      await new Promise<void>((resolve) => (this.wakeTaker = resolve));
    }
    if (this.error !== undefined) return [];
    return this.items.splice(0, n);
  }

  /** Frees the room a batch held once its vectors are written. */
  release(batch: EmbedJob[]): void {
    for (const job of batch) this.bytes -= job.bytes.length;
    const putters = this.wakePutters;
    this.wakePutters = [];
    for (const wake of putters) wake();
  }

  /** Stops both sides: putters throw `err`, the taker gets no more work. */
  fail(err: unknown): void {
    this.error ??= err ?? new Error('embedding stopped');
    this.close();
  }

  close(): void {
    this.closed = true;
    this.wake();
    const putters = this.wakePutters;
    this.wakePutters = [];
    for (const wake of putters) wake();
  }

  private wake(): void {
    const wake = this.wakeTaker;
    this.wakeTaker = undefined;
    wake?.();
  }
}

/**
 * Finds the catalog image a listing row means: a path relative to the listing file's folder or
 * absolute, else a bare file name (or the last part of an image URL) found in the imported
 * folders, else anywhere in the catalog.
 */
function resolveImageRef(
  catalog: Catalog,
  ref: string,
  base: string,
  roots: string[],
  failedPaths: Map<string, string>,
): { sha256: string } | { reason: string } {
  const url = isUrl(ref);
  if (!url) {
    const file = path.resolve(base, ref);
    const known = catalog.knownFile(file);
    if (known) return { sha256: known.sha256 };
    const failure = failedPaths.get(file);
    if (failure) return { reason: `image failed to import: ${failure}` };
  }
  const name = url ? safeUrlName(ref) : path.basename(ref.replace(/\\/g, '/'));
  if (!name) return { reason: 'file not found' };
  const byName = catalog.shasByFileName(name);
  const inRoots = byName.find((f) => roots.some((r) => f.path === r || f.path.startsWith(r + path.sep)));
  const pick = inRoots ?? byName[0];
  if (pick) return { sha256: pick.sha256 };
  return { reason: url ? 'remote image: no file with that name was imported' : 'file not found' };
}

function safeUrlName(ref: string): string | undefined {
  try {
    return decodeURIComponent(path.posix.basename(new URL(ref).pathname)) || undefined;
  } catch {
    return undefined;
  }
}

function isUrl(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Embedder } from '../engine/types.js';
import type { Progress } from '../shared/progress.js';
import type { Catalog } from './catalog.js';
import { DEFAULT_MAX_PIXELS } from './decode.js';
import type { ImageAnalyzer } from './image-analyzer.js';
import { type IngestContext, REPORT_LIMIT } from './ingest-context.js';
import { decodeAndEmbed } from './ingest-decode.js';
import { type ListingInput, type MissingImage, importListings } from './ingest-listings.js';
import { scanFiles } from './ingest-scan.js';
import { IngestWriter, type RunCounts, finishRun, startRun } from './ingest-writer.js';
import { type RowProblem, readListingFile } from './listing-files.js';
import { catalogStorageError, storageProblem } from './storage-errors.js';

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
  /**
   * Tests only: a pause before each file, so that an end-to-end test can reload a page in the middle
   * of an import of a few hundred photos on any machine, however fast (config importDelayMs).
   */
  fileDelayMs?: number;
  /** Per-image work of the layers above, done on each new image while its bytes are in memory (image-analyzer.ts). */
  analyzers?: readonly ImageAnalyzer[];
}

export interface FileFailure {
  path: string;
  error: string;
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

const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Imports folders, files and a listing file into the catalog. Crash-safe and resumable: writes
 * are committed in small batches, unchanged files (same path, size and mtime) are skipped
 * without being read, known content is never decoded or embedded again, so re-running after a
 * kill or a cancel picks up where the last commit left off.
 *
 * Three stages, one module each: scan (ingest-scan.ts: every file to look at), decode and embed
 * (ingest-decode.ts reads, hashes and decodes files while ingest-embed.ts embeds them), and the
 * listings (ingest-listings.ts). All writes go through one IngestWriter (ingest-writer.ts).
 */
export async function ingest(catalog: Catalog, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const signal = options.signal ?? new AbortController().signal;
  const embedders = options.embedders ?? [];
  const { roots, listing, inputs } = await readInputs(catalog, options, embedders);
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
  const ctx: IngestContext = {
    catalog,
    writer,
    counts,
    signal,
    report: options.progress ?? (() => {}),
    fail: (file, error, forgetFile = false) => {
      counts.failed++;
      failedPaths.set(file, error);
      if (failures.length < REPORT_LIMIT) failures.push({ path: file, error });
      writer.addError(file, error, { forgetFile });
    },
  };

  try {
    // A new revision of a model makes that model's old vectors stale; other models keep theirs.
    for (const e of embedders) catalog.pruneEmbeddings(e.id, e.revision);

    const files = await scanFiles(ctx, roots, listing);
    counts.filesSeen = files.length + counts.failed;

    const { embedded, repaired } = await decodeAndEmbed(ctx, files, embedders, {
      maxPixels: options.maxPixels ?? DEFAULT_MAX_PIXELS,
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      embedBatchSize: options.embedBatchSize ?? 16,
      fileDelayMs: options.fileDelayMs ?? 0,
    }, options.analyzers ?? []);

    const { missing, missingCount } = listing ? importListings(ctx, listing, roots, failedPaths) : { missing: [], missingCount: 0 };
    const rowProblems = listing?.problems ?? [];

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
      listings: listing?.rows.length ?? 0,
      repaired,
      pending: embedders.reduce((n, e) => n + catalog.pendingCount(e.id, e.revision), 0),
      filesSeen: counts.filesSeen,
      embedded,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } catch (err) {
    throw closeStoppedRun(ctx, runId, err);
  } finally {
    writer.close();
  }
}

/**
 * The import's paths and listing file, checked before a run starts: a path not found or a
 * listing file that cannot be used refuses the whole import (recorded as a failed run).
 */
async function readInputs(
  catalog: Catalog,
  options: IngestOptions,
  embedders: Embedder[],
): Promise<{ roots: string[]; listing?: ListingInput; inputs: unknown }> {
  const roots = options.paths.map((p) => path.resolve(expandHome(p)));
  const listingFile = options.listings ? path.resolve(expandHome(options.listings)) : undefined;
  const inputs = { paths: roots, listings: listingFile ?? null, models: embedders.map((e) => `${e.id}@${e.revision}`) };
  try {
    for (const root of roots) {
      if (!(await exists(root))) throw new IngestInputError(`not found: ${root}`);
    }
    if (!listingFile) return { roots, inputs };
    try {
      const { rows, problems } = await readListingFile(listingFile);
      return { roots, listing: { file: listingFile, rows, problems }, inputs };
    } catch (err) {
      throw new IngestInputError((err as Error).message);
    }
  } catch (err) {
    // A run that cannot start is still a run the history shows, with why.
    if (err instanceof IngestInputError) recordRefusedRun(catalog, inputs, err.message);
    throw err;
  }
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
 * Ends a run that stopped (cancelled, failed, storage refused a write), keeping every finished
 * file so that the next run resumes from here. Returns the error to throw.
 */
function closeStoppedRun(ctx: IngestContext, runId: number, err: unknown): unknown {
  const { catalog, writer, counts } = ctx;
  const cancelled = ctx.signal.aborted;
  let failure = err;
  try {
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
  return storage ?? failure;
}

/** What a stopped import leaves in the catalog, read back after the failed batch rolled back. */
function keptSummary(catalog: Catalog): string {
  try {
    return `everything committed before is kept (the catalog holds ${catalog.imageCount()} images)`;
  } catch {
    return 'everything committed before is kept';
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { Embedder } from '../engine/types.js';
import { ImageRejected, THUMBNAIL_MIME, decodeImage } from './decode.js';
import { type ImageAnalyzer, analyzeImage } from './image-analyzer.js';
import { type FoundFile, errnoMessage, sniffImageFormat } from './image-files.js';
import type { IngestContext } from './ingest-context.js';
import { EmbedQueue, queuePending, runEmbedder } from './ingest-embed.js';
import type { SeenFile } from './ingest-writer.js';
import { RateMeter } from './rate.js';

export interface DecodeLimits {
  /** Images over this many pixels are refused before decoding. */
  maxPixels: number;
  /** Files over this many bytes are refused without being read. */
  maxFileBytes: number;
  embedBatchSize: number;
  /** Tests only: a pause before each file (IngestOptions.fileDelayMs). */
  fileDelayMs: number;
}

const FILE_CONCURRENCY = 4;
/** Decoded-to-be bytes waiting for the embedder; reading pauses beyond this. */
const EMBED_QUEUE_BYTES = 256 * 1024 * 1024;

/**
 * Stage 2 of an import: reads, hashes, checks, thumbnails and analyses the files (FILE_CONCURRENCY at a
 * time) while the embedder works through what is ready; then images an earlier run stored without
 * their vectors join the queue. Both sides settle before it returns, so nothing writes after it.
 */
export async function decodeAndEmbed(
  ctx: IngestContext,
  files: FoundFile[],
  embedders: Embedder[],
  limits: DecodeLimits,
  analyzers: readonly ImageAnalyzer[] = [],
): Promise<{ embedded: Record<string, number>; repaired: number }> {
  const { writer, counts, signal } = ctx;
  const embedded: Record<string, number> = Object.fromEntries(embedders.map((e) => [e.id, 0]));
  let repaired = 0;
  const meter = new RateMeter(files.length);
  let processed = 0;
  let lastReport = 0;
  const progress = (force = false) => {
    if (!force && Date.now() - lastReport < 250) return;
    lastReport = Date.now();
    const { ratePerSecond, etaSeconds } = meter.sample(processed);
    ctx.report({ phase: 'indexing', done: processed, total: files.length, cached: counts.cached, failed: counts.failed, ratePerSecond, etaSeconds });
  };

  const queue = new EmbedQueue(EMBED_QUEUE_BYTES, limits.embedBatchSize * 4);
  const queuedFor = new Map(embedders.map((e) => [e.id, new Set<string>()]));
  const reader = new FileReader(ctx, embedders, queuedFor, queue, limits, analyzers);
  const embedding = runEmbedder(queue, limits.embedBatchSize, signal, (e, job, vector) => {
    writer.addEmbedding(e.id, e.revision, job.sha256, vector);
    embedded[e.id] = (embedded[e.id] ?? 0) + 1;
    if (job.repair) repaired++;
  }, (e, job, error) => {
    if (!job.repair) counts.indexed--;
    writer.addEmbedFailure(e.id, e.revision, job.sha256, error);
    ctx.fail(job.path, error);
  });
  // Readers blocked on a full queue must not wait forever for an embedder that has stopped.
  embedding.catch((err: unknown) => queue.fail(err));

  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      signal.throwIfAborted();
      const file = files[next++] as FoundFile;
      if (limits.fileDelayMs) await new Promise((r) => setTimeout(r, limits.fileDelayMs));
      await reader.read(file);
      processed++;
      progress();
    }
  };
  const reading = Promise.all(Array.from({ length: FILE_CONCURRENCY }, worker));
  // Then images stored earlier without their vectors (a cancelled or killed run) join the queue.
  const feeding = reading.then(() => queuePending(ctx, embedders, queuedFor, queue));
  try {
    await feeding;
    queue.close();
  } catch (err) {
    queue.fail(err);
  }
  // Both sides settle before the run is closed, so nothing writes after finishRun.
  await Promise.allSettled([feeding, embedding]);
  await feeding;
  await embedding;
  progress(true);
  writer.flush();
  return { embedded, repaired };
}

/**
 * One file at a time: an unchanged file (same path, size and mtime) is known content and is not
 * read; other files are read, checked and hashed, and new content is decoded once (see `decode`).
 * Then the file is queued for the models that have no vector of its content yet.
 */
class FileReader {
  /** Content this run is already handling: a second copy waits for the first instead of decoding again. */
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  /** Content added by this run, committed or still in the writer's batch. */
  private readonly added = new Set<string>();

  constructor(
    private readonly ctx: IngestContext,
    private readonly embedders: Embedder[],
    /** Content queued for each model by this run (reading or repairing). */
    private readonly queuedFor: Map<string, Set<string>>,
    private readonly queue: EmbedQueue,
    private readonly limits: DecodeLimits,
    private readonly analyzers: readonly ImageAnalyzer[],
  ) {}

  async read(file: FoundFile): Promise<void> {
    const { catalog, writer, counts } = this.ctx;
    const fail = this.ctx.fail;
    const known = catalog.knownFile(file.path);
    let sha: string;
    let bytes: Buffer | undefined;
    let isNew = false;
    if (known && known.byteSize === file.size && known.mtimeMs === file.mtimeMs) {
      sha = known.sha256;
    } else {
      const { maxFileBytes } = this.limits;
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
      const pending = this.inFlight.get(sha);
      if (pending) {
        // Same bytes as a file being decoded right now: share its outcome.
        const reason = await pending;
        if (reason) return fail(file.path, reason, true);
        writer.addFile(seen);
        // The first copy queues the embeddings.
        counts.cached++;
        return;
      } else if (this.added.has(sha) || catalog.hasImage(sha)) {
        writer.addFile(seen);
      } else {
        const work = this.decode(sha, bytes, seen);
        this.inFlight.set(sha, work);
        const reason = await work.finally(() => this.inFlight.delete(sha));
        if (reason) return fail(file.path, reason, true);
        isNew = true;
      }
    }
    const needs = this.embedders.filter((e) => {
      const queued = this.queuedFor.get(e.id) as Set<string>;
      if (queued.has(sha) || catalog.hasEmbedding(sha, e.id, e.revision)) return false;
      queued.add(sha);
      return true;
    });
    if (!isNew) writer.addPending(sha, needs);
    if (needs.length > 0) {
      if (!bytes) {
        try {
          bytes = await fs.readFile(file.path);
        } catch (err) {
          return fail(file.path, `cannot read file: ${errnoMessage(err)}`);
        }
      }
      await this.queue.put({ sha256: sha, path: file.path, bytes, embedders: needs }, this.ctx.signal);
    }
    if (isNew || needs.length > 0) counts.indexed++;
    else counts.cached++;
  }

  /**
   * Content new to the catalog, decoded once per run (format, size, thumbnail), analysed by the
   * import's analyzers once it is known to be a sound image, and stored with its first path and
   * the analyses. Everything an import learns from an image's pixels is learnt here. Resolves to
   * why the image was refused, or undefined once it is queued for writing.
   */
  private decode(sha: string, content: Buffer, seen: SeenFile): Promise<string | undefined> {
    return decodeImage(content, this.limits.maxPixels).then(
      async (decoded) => {
        const analyses = await analyzeImage(this.analyzers, content, sha);
        // New content needs every requested model's vector: pending from the moment it is stored.
        this.ctx.writer.addImage(
          { sha256: sha, byteSize: content.length, format: decoded.format, width: decoded.width, height: decoded.height, thumbnail: decoded.thumbnail, thumbnailMime: THUMBNAIL_MIME },
          seen,
          this.embedders,
          analyses,
        );
        this.added.add(sha);
        return undefined;
      },
      (err: unknown) => {
        if (err instanceof ImageRejected) return err.message;
        throw err;
      },
    );
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}

import type { Embedder } from '../engine/types.js';
import type { IngestContext } from './ingest-context.js';

/** One image waiting for the models it still needs. */
export interface EmbedJob {
  sha256: string;
  path: string;
  bytes: Buffer;
  embedders: Embedder[];
  /** An image stored by an earlier run without its vector, read back from the catalog. */
  repair?: boolean;
}

/** The embedding stage: takes batches off the queue and embeds each with the models it still needs. */
export async function runEmbedder(
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
export class EmbedQueue {
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
 * Queues images stored without their vector for a requested model (an earlier run cancelled or
 * killed between storing them and embedding them), read back from where they were seen and
 * checked by hash. One whose file is gone stays pending with the reason.
 */
export async function queuePending(ctx: IngestContext, embedders: Embedder[], queuedFor: Map<string, Set<string>>, queue: EmbedQueue): Promise<void> {
  const { catalog, signal, report } = ctx;
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

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}

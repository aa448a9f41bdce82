import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { VectorSpace } from '../catalog/vectors.js';
import type { VectorMatrix } from './matrix.js';
import { type UsearchIndex, usearch } from './usearch.js';

/**
 * HNSW parameters, chosen with `lookalike bench` (docs/PERFORMANCE.md, "Vector search"). At 1M
 * catalog-like vectors, M=16 left ~1.8 % of the nodes unreachable (a search for a node's own vector
 * did not return it), which capped recall@10 near 0.98 whatever the ef; M=32 links every node we
 * sampled. ef 512 at query time is a few milliseconds even at 1M. Vectors are stored as float16
 * inside the graph (half the memory, same recall); final scores are always recomputed in float32
 * from the matrix.
 */
export interface HnswParams {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { connectivity: 32, expansionAdd: 128, expansionSearch: 512 };

/** What the sidecar file records about a saved index; any mismatch means "rebuild". */
interface IndexMeta extends VectorSpace {
  format: 2;
  params: HnswParams;
  /** Row count (holes included) and sha256 of the saved index and row-key files. */
  rows: number;
  indexBytes: number;
  indexSha256: string;
  keysSha256: string;
}

export interface AnnFiles {
  /** `<db>.<model>.<revision>.hnsw`; `.keys` (row order: flag + 32-byte digest) and `.json` sit beside it. */
  index: string;
  keys: string;
  meta: string;
}

export function annFiles(dbPath: string, modelId: string, revision: string): AnnFiles {
  const base = `${dbPath}.${safeName(modelId)}.${safeName(revision).slice(0, 24)}.hnsw`;
  return { index: base, keys: `${base}.keys`, meta: `${base}.json` };
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '') || 'model';
}

export interface AnnBuildProgress {
  done: number;
  total: number;
}

/** An HNSW graph over a VectorMatrix: index keys are the matrix's row numbers. */
export class AnnIndex {
  private constructor(
    private readonly index: UsearchIndex,
    readonly params: HnswParams,
  ) {}

  static empty(dim: number, params: HnswParams = DEFAULT_HNSW): AnnIndex {
    const { Index, MetricKind, ScalarKind } = usearch();
    const index = new Index({
      dimensions: dim,
      metric: MetricKind.IP,
      quantization: ScalarKind.F16,
      connectivity: params.connectivity,
      expansion_add: params.expansionAdd,
      expansion_search: params.expansionSearch,
      multi: false,
    });
    return new AnnIndex(index, params);
  }

  size(): number {
    return this.index.size();
  }

  /**
   * Adds matrix rows in chunks, yielding to the event loop between chunks so that a build of
   * minutes stays cancellable and reports progress. usearch uses every core within a chunk.
   */
  async addRows(matrix: VectorMatrix, rows: number[], options: { signal?: AbortSignal; onProgress?: (p: AnnBuildProgress) => void } = {}): Promise<void> {
    const chunk = 4096;
    // Contiguous runs go in as one view; scattered rows (incremental updates) are gathered.
    for (let i = 0; i < rows.length; i += chunk) {
      options.signal?.throwIfAborted();
      const part = rows.slice(i, i + chunk);
      const keys = BigUint64Array.from(part, (r) => BigInt(r));
      const first = part[0] as number;
      const contiguous = part[part.length - 1] === first + part.length - 1;
      const vectors = contiguous ? matrix.slice(first, first + part.length) : gather(matrix, part);
      this.index.add(keys, vectors, 0);
      options.onProgress?.({ done: Math.min(i + chunk, rows.length), total: rows.length });
      await yieldToEventLoop();
    }
  }

  remove(rows: number[]): void {
    if (rows.length) this.index.remove(BigUint64Array.from(rows, (r) => BigInt(r)));
  }

  /** Candidate rows, best first (approximate). */
  search(query: Float32Array, k: number): number[] {
    const n = this.index.size();
    if (n === 0 || k <= 0) return [];
    const matches = this.index.search(query, Math.min(k, n), 1);
    const out: number[] = [];
    for (const key of matches.keys) if (key !== 0xffffffffffffffffn) out.push(Number(key));
    return out;
  }

  /**
   * Writes index, row keys and sidecar, each to a temp file first; only when all three are
   * written are they renamed into place (sidecar last). A failed write (disk full, read-only
   * folder) removes the temp files, leaves the previously saved index as it was, and throws
   * one line that says why.
   */
  save(files: AnnFiles, matrix: VectorMatrix, identity: Omit<VectorSpace, 'dim'>): void {
    const tmp = { index: `${files.index}.tmp-${process.pid}`, keys: `${files.keys}.tmp-${process.pid}`, meta: `${files.meta}.tmp-${process.pid}` };
    try {
      // usearch does not report a failed final flush, but on a full disk the two writes after
      // it fail: a cut-short index never gets a sidecar, so it is never loaded.
      this.index.save(tmp.index);
      const keys = encodeKeys(matrix);
      fs.writeFileSync(tmp.keys, keys);
      const meta: IndexMeta = {
        format: 2,
        ...identity,
        dim: matrix.dim,
        params: this.params,
        rows: matrix.rowCount,
        indexBytes: fs.statSync(tmp.index).size,
        indexSha256: hashFile(tmp.index),
        keysSha256: createHash('sha256').update(keys).digest('hex'),
      };
      fs.writeFileSync(tmp.meta, JSON.stringify(meta));
    } catch (err) {
      for (const f of Object.values(tmp)) fs.rmSync(f, { force: true });
      throw new Error(`cannot save the vector index ${files.index}: ${saveFailure(err)}`);
    }
    fs.renameSync(tmp.index, files.index);
    fs.renameSync(tmp.keys, files.keys);
    fs.renameSync(tmp.meta, files.meta);
  }

  /**
   * Loads a saved index if its sidecar matches this model, revision, dimension and build parameters
   * and both files hash to what the sidecar says. usearch aborts the process on a malformed
   * file, so nothing reaches it unverified. Returns why it could not, for the log.
   */
  static load(
    files: AnnFiles,
    identity: VectorSpace,
    params: HnswParams = DEFAULT_HNSW,
  ): { index: AnnIndex; rowShas: Array<string | null> } | { reason: string } {
    let meta: IndexMeta;
    try {
      meta = JSON.parse(fs.readFileSync(files.meta, 'utf8')) as IndexMeta;
    } catch (err) {
      return { reason: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no saved index' : 'unreadable index sidecar' };
    }
    if (meta.format !== 2 || meta.modelId !== identity.modelId || meta.revision !== identity.revision || meta.dim !== identity.dim) {
      return { reason: 'saved index is for another model revision' };
    }
    // expansionSearch is a query-time setting: a new value needs no rebuild.
    if (meta.params.connectivity !== params.connectivity || meta.params.expansionAdd !== params.expansionAdd) {
      return { reason: 'saved index was built with other parameters' };
    }
    let keys: Buffer;
    try {
      if (fs.statSync(files.index).size !== meta.indexBytes) return { reason: 'saved index has the wrong size (truncated?)' };
      keys = fs.readFileSync(files.keys);
    } catch {
      return { reason: 'saved index files are missing' };
    }
    if (keys.length !== meta.rows * KEY_BYTES || createHash('sha256').update(keys).digest('hex') !== meta.keysSha256) return { reason: 'saved row keys are corrupt' };
    if (hashFile(files.index) !== meta.indexSha256) return { reason: 'saved index is corrupt (checksum mismatch)' };
    const ann = AnnIndex.empty(meta.dim, params);
    ann.index.load(files.index);
    return { index: ann, rowShas: decodeKeys(keys) };
  }
}

export function removeAnnFiles(files: AnnFiles): void {
  for (const f of [files.meta, files.keys, files.index]) fs.rmSync(f, { force: true });
}

function saveFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full (any index saved before is unchanged)';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'its folder is read-only (any index saved before is unchanged)';
  return err instanceof Error ? err.message : String(err);
}

function gather(matrix: VectorMatrix, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * matrix.dim);
  rows.forEach((r, i) => out.set(matrix.vector(r), i * matrix.dim));
  return out;
}

/** Row keys: per row a live flag byte and the sha256 as 32 raw bytes (all zero for a removed row). */
const KEY_BYTES = 33;

function encodeKeys(matrix: VectorMatrix): Buffer {
  const out = Buffer.alloc(matrix.rowCount * KEY_BYTES);
  for (let r = 0; r < matrix.rowCount; r++) {
    const sha = matrix.shaAt(r);
    if (!sha) continue;
    out[r * KEY_BYTES] = 1;
    out.write(sha, r * KEY_BYTES + 1, 'hex');
  }
  return out;
}

function decodeKeys(buf: Buffer): Array<string | null> {
  const out: Array<string | null> = [];
  for (let o = 0; o < buf.length; o += KEY_BYTES) out.push(buf[o] === 1 ? buf.toString('hex', o + 1, o + KEY_BYTES) : null);
  return out;
}

function hashFile(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(8 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

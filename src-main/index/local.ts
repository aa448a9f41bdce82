import { AnnIndex, type AnnFiles, DEFAULT_HNSW, type HnswParams, removeAnnFiles } from './ann.js';
import { VectorMatrix, compactMatrix } from './matrix.js';
import { type ListingFilter, isEmptyFilter } from '../catalog/listing-filter.js';
import type { VectorRow, VectorSpace } from '../catalog/vectors.js';
import type { StoreHit, StoreKind, VectorStore } from './types.js';
import type { ProgressPhase } from '../shared/progress.js';

/**
 * Below this many vectors the exact scan answers (a few ms, perfect recall, nothing to build);
 * from it on the HNSW index does. Measured crossover: see docs/PERFORMANCE.md, "Vector search".
 */
export const DEFAULT_ANN_THRESHOLD = 20_000;

/** A filtered query scans its matching rows directly when there are at most this many. */
const FILTER_SCAN_LIMIT = 20_000;

export interface LocalStoreOptions extends VectorSpace {
  /** How many vectors `rows` will yield (decides exact vs ANN before reading them). */
  count: number;
  annThreshold?: number;
  hnsw?: HnswParams;
  /** Where the HNSW index is persisted; without it the index lives in memory only. */
  files?: AnnFiles;
  /** Image shas that pass a listing filter (the catalog answers this with SQL). */
  resolveFilter: (filter: ListingFilter) => Iterable<string>;
  signal?: AbortSignal;
  onProgress?: (p: { phase: ProgressPhase; done: number; total: number }) => void;
  log?: (line: string) => void;
}

/** The embedded store: vectors in memory, exact scan for small catalogs, HNSW for large ones. */
export class LocalStore implements VectorStore {
  readonly modelId: string;
  readonly revision: string;
  readonly dim: number;

  private constructor(
    private readonly matrix: VectorMatrix,
    private readonly ann: AnnIndex | undefined,
    private readonly resolveFilter: (filter: ListingFilter) => Iterable<string>,
    options: LocalStoreOptions,
  ) {
    this.modelId = options.modelId;
    this.revision = options.revision;
    this.dim = options.dim;
  }

  get kind(): StoreKind {
    return this.ann ? 'ann' : 'exact';
  }

  size(): number {
    return this.matrix.size;
  }

  /** The vectors, for features that work on all of them (duplicate detection). */
  get vectors(): VectorMatrix {
    return this.matrix;
  }

  /**
   * Loads a model's vectors and, at or above the ANN threshold, its HNSW index: the saved one
   * when it is intact and for this revision (updated in place for images added or removed
   * since), else a fresh build that is then saved.
   */
  static async open(rows: Iterable<VectorRow[]>, options: LocalStoreOptions): Promise<LocalStore> {
    const useAnn = options.count >= (options.annThreshold ?? DEFAULT_ANN_THRESHOLD);
    const params = options.hnsw ?? DEFAULT_HNSW;
    const saved = useAnn && options.files ? AnnIndex.load(options.files, options, params) : undefined;
    if (saved && 'reason' in saved) options.log?.(`vector index: ${saved.reason}; rebuilding`);
    const loaded = saved && 'index' in saved ? saved : undefined;

    let matrix = new VectorMatrix(options.dim, Math.max(options.count, loaded?.rowShas.length ?? 0));
    const savedRows = new Map<string, number>();
    loaded?.rowShas.forEach((sha, row) => sha && savedRows.set(sha, row));
    let next = loaded?.rowShas.length ?? 0;
    const added: number[] = [];
    let read = 0;
    for (const batch of rows) {
      options.signal?.throwIfAborted();
      for (const { sha256, vector } of batch) {
        const known = savedRows.get(sha256);
        if (known !== undefined) matrix.set(sha256, vector, known);
        else added.push(matrix.set(sha256, vector, loaded ? next++ : matrix.rowCount));
      }
      read += batch.length;
      options.onProgress?.({ phase: 'loading vectors', done: read, total: options.count });
    }
    if (!useAnn) {
      if (options.files) removeAnnFiles(options.files);
      return new LocalStore(matrix, undefined, options.resolveFilter, options);
    }

    let ann = loaded?.index;
    if (ann && loaded) {
      const removed: number[] = [];
      loaded.rowShas.forEach((sha, row) => sha && matrix.shaAt(row) !== sha && removed.push(row));
      // Many holes make the graph and the matrix wasteful: start over, compacted.
      if (removed.length + (loaded.rowShas.length - savedRows.size) > matrix.rowCount / 4) {
        options.log?.('vector index: many images removed since it was built; rebuilding');
        ann = undefined;
      } else if (removed.length || added.length) {
        options.log?.(`vector index: updating (${added.length} added, ${removed.length} removed)`);
        ann.remove(removed);
        await ann.addRows(matrix, added, {
          signal: options.signal,
          onProgress: (p) => options.onProgress?.({ phase: 'updating vector index', ...p }),
        });
        if (options.files) saveOrKeepInMemory(ann, options.files, matrix, options);
      }
    }
    if (!ann) {
      if (matrix.rowCount !== matrix.size) matrix = compactMatrix(matrix);
      ann = AnnIndex.empty(options.dim, params);
      const all = Array.from({ length: matrix.rowCount }, (_, r) => r);
      await ann.addRows(matrix, all, {
        signal: options.signal,
        onProgress: (p) => options.onProgress?.({ phase: 'building vector index', ...p }),
      });
      if (options.files) saveOrKeepInMemory(ann, options.files, matrix, options);
    }
    return new LocalStore(matrix, ann, options.resolveFilter, options);
  }

  async search(query: Float32Array, k: number, filter?: ListingFilter): Promise<StoreHit[]> {
    if (query.length !== this.dim) throw new Error(`query has ${query.length} dimensions, the ${this.modelId} index has ${this.dim}`);
    if (k <= 0 || this.matrix.size === 0) return [];
    if (isEmptyFilter(filter)) return this.candidates(query, k);

    const allowed = new Set<number>();
    for (const sha of this.resolveFilter(filter as ListingFilter)) {
      const row = this.matrix.rowOf(sha);
      if (row !== undefined) allowed.add(row);
    }
    if (allowed.size <= FILTER_SCAN_LIMIT) return this.matrix.scanRows(query, k, allowed);
    // A broad filter: ask the unfiltered search for more than k, keep what passes, widen until
    // k pass or everything was seen. Expected over-fetch is size/allowed.
    const n = this.matrix.size;
    let want = Math.min(n, Math.ceil((k * n * 1.5) / allowed.size) + k);
    for (;;) {
      const hits = (await this.candidates(query, want)).filter((h) => allowed.has(this.matrix.rowOf(h.sha256) as number));
      if (hits.length >= k || want >= n) return hits.slice(0, k);
      want = Math.min(n, want * 4);
    }
  }

  private async candidates(query: Float32Array, k: number): Promise<StoreHit[]> {
    // HNSW returns at most about `expansionSearch` candidates, and for k near the catalog size a
    // scan is cheaper anyway: answer those exactly.
    if (!this.ann || k > this.ann.params.expansionSearch || k * 4 >= this.matrix.size) return this.matrix.scanAll(query, k);
    // The graph ranks with float16 vectors: over-fetch so that float32 re-scoring settles the
    // boundary of the top k (close scores can swap under float16 rounding).
    return this.matrix.rescore(query, this.ann.search(query, Math.min(this.matrix.size, 2 * k + 10)), k);
  }
}

/**
 * A failed save (full disk, read-only folder) must not fail the search that triggered the build:
 * the index in memory answers it, and the next start builds again.
 */
function saveOrKeepInMemory(ann: AnnIndex, files: AnnFiles, matrix: VectorMatrix, options: LocalStoreOptions): void {
  try {
    ann.save(files, matrix, options);
  } catch (err) {
    options.log?.(`vector index: ${(err as Error).message}; searching with the index in memory until the next start`);
  }
}

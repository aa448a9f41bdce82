import os from 'node:os';
import type { HnswParams } from './ann.js';
import { usearch } from './usearch.js';

/** k nearest neighbours of every row: row numbers and cosines, best first; -1 / NaN pad rows with fewer than k. */
export interface AllPairsKnn {
  ids: Int32Array;
  sims: Float32Array;
}

export interface AllPairsKnnOptions {
  /** Up to this many rows the answer is exact (brute force); beyond, an HNSW graph built with `hnsw`. */
  exactUpTo: number;
  hnsw: HnswParams;
}

/**
 * The k nearest neighbours (by cosine) of every row of a normalised n x dim matrix, the row itself
 * excluded, all queries in one batched native call on every core. The graph is built for this one
 * call and dropped: it is not the search index (ann.ts), whose parameters favour recall at query time.
 */
export async function allPairsKnn(vectors: Float32Array, n: number, dim: number, k: number, options: AllPairsKnnOptions): Promise<AllPairsKnn> {
  const threads = os.availableParallelism?.() ?? os.cpus().length;
  const want = Math.min(k + 1, n);
  const { exactSearch, Index, MetricKind, ScalarKind } = usearch();
  let matches: { keys: BigUint64Array; distances: Float32Array; counts: BigUint64Array; k: number };
  if (n <= options.exactUpTo) {
    matches = exactSearch(vectors, vectors, dim, want, MetricKind.IP, threads) as typeof matches;
  } else {
    const index = new Index({
      dimensions: dim,
      metric: MetricKind.IP,
      quantization: ScalarKind.F16,
      connectivity: options.hnsw.connectivity,
      expansion_add: options.hnsw.expansionAdd,
      expansion_search: options.hnsw.expansionSearch,
      multi: false,
    });
    const keys = new BigUint64Array(n);
    for (let i = 0; i < n; i++) keys[i] = BigInt(i);
    index.add(keys, vectors, threads);
    matches = index.search(vectors, want, threads) as typeof matches;
  }
  const ids = new Int32Array(n * k).fill(-1);
  const sims = new Float32Array(n * k).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    const found = Number(matches.counts[i]);
    let out = 0;
    for (let j = 0; j < found && out < k; j++) {
      const key = Number(matches.keys[i * matches.k + j]);
      if (key === i) continue;
      ids[i * k + out] = key;
      sims[i * k + out] = 1 - (matches.distances[i * matches.k + j] as number);
      out++;
    }
  }
  return { ids, sims };
}

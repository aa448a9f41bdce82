import os from 'node:os';
import { usearch } from '../../index/usearch.js';
import type { KnnSearch } from './graph.js';

/** Up to this many images the k-NN graph is exact (brute force is cheaper than building a graph). */
export const EXACT_KNN_UP_TO = 2_000;

/**
 * HNSW for the duplicate graph, lighter than the search index's (index/ann.ts: M=32, ef=512):
 * duplicates only need each image's very close neighbours, which a small beam finds. On 20,000
 * synthetic images these settings found 99.5 % of the pairs with cosine > 0.9 that an exact scan
 * finds, in 57 % of the build and query time of M=16/ef=64 (which found all of them).
 */
export const DUPLICATE_HNSW = { connectivity: 12, expansionAdd: 40, expansionSearch: 40 } as const;

/**
 * k nearest neighbours of every image, all queries in one batched native call on every core:
 * exact brute force for small catalogs, an HNSW graph (DUPLICATE_HNSW) beyond. Returns row numbers and cosines, best first, the row itself excluded; -1 pads rows
 * with fewer than k neighbours.
 */
export const catalogKnn: KnnSearch = async (vectors, n, dim, k) => {
  const threads = os.availableParallelism?.() ?? os.cpus().length;
  const want = Math.min(k + 1, n);
  let matches: { keys: BigUint64Array; distances: Float32Array; counts: BigUint64Array; k: number };
  if (n <= EXACT_KNN_UP_TO) {
    matches = usearch.exactSearch(vectors, vectors, dim, want, usearch.MetricKind.IP, threads) as typeof matches;
  } else {
    const index = new usearch.Index({
      dimensions: dim,
      metric: usearch.MetricKind.IP,
      quantization: usearch.ScalarKind.F16,
      connectivity: DUPLICATE_HNSW.connectivity,
      expansion_add: DUPLICATE_HNSW.expansionAdd,
      expansion_search: DUPLICATE_HNSW.expansionSearch,
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
};

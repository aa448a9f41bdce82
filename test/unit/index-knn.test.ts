import { describe, expect, it } from 'vitest';
import { allPairsKnn } from '../../src-main/index/knn.js';
import { DUPLICATE_HNSW, EXACT_KNN_UP_TO, catalogKnn } from '../../src-main/features/duplicates/neighbours.js';

function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

/** n unit vectors; row 2i+1 is a slightly nudged copy of row 2i, so every row has one obvious nearest neighbour. */
function pairedVectors(n: number, dim: number, seed = 3): Float32Array {
  const r = rand(seed);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * dim, (i + 1) * dim);
    if (i % 2 === 1) for (let d = 0; d < dim; d++) row[d] = (out[(i - 1) * dim + d] as number) + 0.02 * r();
    else for (let d = 0; d < dim; d++) row[d] = r();
    const norm = Math.hypot(...row);
    for (let d = 0; d < dim; d++) row[d] = (row[d] as number) / norm;
  }
  return out;
}

function bruteForce(vectors: Float32Array, n: number, dim: number, k: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const sims: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (vectors[i * dim + d] as number) * (vectors[j * dim + d] as number);
      sims.push([j, dot]);
    }
    return sims.sort((a, b) => b[1] - a[1]).slice(0, k).map(([j]) => j);
  });
}

const HNSW = { connectivity: 12, expansionAdd: 40, expansionSearch: 40 };

describe('index: all-pairs k-NN', () => {
  it('is exact up to exactUpTo: the brute-force neighbours, best first, the row itself left out', async () => {
    const n = 60;
    const dim = 16;
    const k = 5;
    const vectors = pairedVectors(n, dim);
    const { ids, sims } = await allPairsKnn(vectors, n, dim, k, { exactUpTo: n, hnsw: HNSW });
    const expected = bruteForce(vectors, n, dim, k);
    for (let i = 0; i < n; i++) {
      expect(Array.from(ids.subarray(i * k, (i + 1) * k))).toEqual(expected[i]);
      const row = Array.from(sims.subarray(i * k, (i + 1) * k));
      expect(row).toEqual([...row].sort((a, b) => b - a));
    }
  });

  it('pads rows with fewer than k neighbours with -1 and NaN', async () => {
    const vectors = pairedVectors(3, 8);
    const { ids, sims } = await allPairsKnn(vectors, 3, 8, 4, { exactUpTo: 10, hnsw: HNSW });
    for (let i = 0; i < 3; i++) {
      expect(Array.from(ids.subarray(i * 4 + 2, i * 4 + 4))).toEqual([-1, -1]);
      expect(Number.isNaN(sims[i * 4 + 2])).toBe(true);
      expect(ids.subarray(i * 4, i * 4 + 2)).not.toContain(i);
    }
  });

  it('beyond exactUpTo builds an HNSW graph that still finds each row\'s obvious nearest neighbour', async () => {
    const n = 400;
    const dim = 16;
    const k = 4;
    const vectors = pairedVectors(n, dim);
    const { ids, sims } = await allPairsKnn(vectors, n, dim, k, { exactUpTo: 10, hnsw: HNSW });
    for (let i = 0; i < n; i++) {
      expect(ids[i * k]).toBe(i % 2 === 0 ? i + 1 : i - 1);
      expect(sims[i * k] as number).toBeGreaterThan(0.99);
    }
  });

  it('the duplicate finder asks for it with its own settings (exact up to EXACT_KNN_UP_TO, then DUPLICATE_HNSW)', async () => {
    const n = 50;
    const dim = 8;
    const vectors = pairedVectors(n, dim, 9);
    const mine = await catalogKnn(vectors, n, dim, 6);
    const direct = await allPairsKnn(vectors, n, dim, 6, { exactUpTo: EXACT_KNN_UP_TO, hnsw: DUPLICATE_HNSW });
    expect(mine).toEqual(direct);
    expect(EXACT_KNN_UP_TO).toBe(2_000);
    expect(DUPLICATE_HNSW).toEqual({ connectivity: 12, expansionAdd: 40, expansionSearch: 40 });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { annFiles } from '../index/ann.js';
import { LocalStore } from '../index/local.js';
import type { VectorRow } from '../catalog/vectors.js';
import { type BenchSection, type SearchDataset, formatTable } from './report.js';

/**
 * The "search" section of `lookalike bench`: the local store on synthetic 768-d vectors at
 * 10k, 100k and 1M (quick: 10k only), shaped like a catalog's embeddings (see SearchDataset in report.ts).
 * Recall@10 of the HNSW index is measured against the exact scan of the same store.
 */
export interface SearchBenchOptions {
  quick?: boolean;
  sizes?: number[];
  dim?: number;
  queries?: number;
  dataset?: SearchDataset;
  log?: (line: string) => void;
}

export interface SearchBenchRow {
  dataset: SearchDataset;
  vectors: number;
  dim: number;
  exact: { p50Ms: number; p95Ms: number };
  ann: {
    buildSeconds: number;
    bytesPerVector: number;
    indexFileBytesPerVector: number;
    loadSeconds: number;
    p50Ms: number;
    p95Ms: number;
    recallAt10: number;
  };
}

export async function benchSearch({ quick = false, sizes, dim = 768, queries = 200, dataset = 'catalog', log = () => {} }: SearchBenchOptions = {}): Promise<{
  machine: string;
  rows: SearchBenchRow[];
}> {
  const results: SearchBenchRow[] = [];
  for (const n of sizes ?? (quick ? [10_000] : [10_000, 100_000, 1_000_000])) {
    log(`search bench: ${n} x ${dim}, ${dataset} set`);
    results.push(await benchSize(dataset, n, dim, quick ? 50 : queries, log));
  }
  return { machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`, rows: results };
}

async function benchSize(dataset: SearchDataset, n: number, dim: number, queryCount: number, log: (line: string) => void): Promise<SearchBenchRow> {
  const data = syntheticVectors(dataset, n, dim, 1);
  const rows = (): Iterable<VectorRow[]> => batches(data, n, dim);
  const queries = syntheticQueries(data, n, dim, queryCount, 2);
  const common = { modelId: 'bench', revision: 'r1', dim, count: n, resolveFilter: () => [] };

  const exact = await LocalStore.open(rows(), { ...common, annThreshold: Number.POSITIVE_INFINITY });
  const truth: string[][] = [];
  const exactTimes: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    truth.push((await exact.search(q, 10)).map((h) => h.sha256));
    exactTimes.push(performance.now() - t);
  }
  log(`  exact p50 ${percentile(exactTimes, 50).toFixed(1)} ms`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-bench-'));
  try {
    const files = annFiles(path.join(dir, 'bench.db'), 'bench', 'r1');
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let t = performance.now();
    let lastLog = 0;
    const ann = await LocalStore.open(rows(), {
      ...common,
      annThreshold: 0,
      files,
      onProgress: (p) => {
        if (p.phase !== 'building vector index' || Date.now() - lastLog < 30_000) return;
        lastLog = Date.now();
        log(`  ${p.phase} ${p.done}/${p.total}`);
      },
    });
    // Includes saving the index and its checksum, as the app does.
    const buildSeconds = (performance.now() - t) / 1000;
    const bytesPerVector = Math.round((process.memoryUsage().rss - rss0) / n);
    log(`  ann build ${buildSeconds.toFixed(1)} s`);

    const annTimes: number[] = [];
    let hits = 0;
    for (const [i, q] of queries.entries()) {
      const t0 = performance.now();
      const found = await ann.search(q, 10);
      annTimes.push(performance.now() - t0);
      const want = new Set(truth[i]);
      hits += found.filter((h) => want.has(h.sha256)).length;
    }

    // A cold open: reads the vectors, verifies the saved index's checksum and loads it.
    t = performance.now();
    await LocalStore.open(rows(), { ...common, annThreshold: 0, files });
    const loadSeconds = (performance.now() - t) / 1000;
    return {
      dataset,
      vectors: n,
      dim,
      exact: { p50Ms: round(percentile(exactTimes, 50)), p95Ms: round(percentile(exactTimes, 95)) },
      ann: {
        buildSeconds: round(buildSeconds),
        bytesPerVector,
        indexFileBytesPerVector: Math.round(fs.statSync(files.index).size / n),
        loadSeconds: round(loadSeconds),
        p50Ms: round(percentile(annTimes, 50)),
        p95Ms: round(percentile(annTimes, 95)),
        recallAt10: round(hits / (queries.length * 10), 4),
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function* batches(data: Float32Array, n: number, dim: number): Generator<VectorRow[]> {
  for (let i = 0; i < n; i += 4096) {
    const batch: VectorRow[] = [];
    for (let j = i; j < Math.min(n, i + 4096); j++) batch.push({ sha256: fakeSha(j), vector: data.subarray(j * dim, (j + 1) * dim) });
    yield batch;
  }
}

export function fakeSha(i: number): string {
  return i.toString(16).padStart(64, '0');
}

export function syntheticVectors(dataset: SearchDataset, n: number, dim: number, seed: number): Float32Array {
  return dataset === 'catalog' ? catalogVectors(n, dim, seed) : clusterVectors(n, dim, seed);
}

/** Shares of each vector's variance: the common component, the category, the product, the photo itself. */
const CATALOG_WEIGHTS = { shared: 0.2, category: 0.3, product: 0.3, photo: 0.2 };

function catalogVectors(n: number, dim: number, seed: number): Float32Array {
  const rand = gaussian(seed);
  const categories = Math.max(1, Math.round(n / 1000));
  const products = Math.max(1, Math.round(n / 10));
  const shared = Float32Array.from({ length: dim }, rand);
  const categoryCentres = new Float32Array(categories * dim).map(() => rand());
  const productCentres = new Float32Array(products * dim).map(() => rand());
  const w = Object.fromEntries(Object.entries(CATALOG_WEIGHTS).map(([k, v]) => [k, Math.sqrt(v)])) as typeof CATALOG_WEIGHTS;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const p = pick(rand, i, products);
    const c = p % categories;
    for (let j = 0; j < dim; j++) {
      out[i * dim + j] =
        w.shared * (shared[j] as number) + w.category * (categoryCentres[c * dim + j] as number) + w.product * (productCentres[p * dim + j] as number) + w.photo * rand();
    }
    normalise(out.subarray(i * dim, (i + 1) * dim));
  }
  return out;
}

function clusterVectors(n: number, dim: number, seed: number): Float32Array {
  const rand = gaussian(seed);
  const centres = Math.max(1, Math.round(n / 50));
  const c = new Float32Array(centres * dim).map(() => rand());
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const base = pick(rand, i, centres);
    for (let j = 0; j < dim; j++) out[i * dim + j] = (c[base * dim + j] as number) + rand();
    normalise(out.subarray(i * dim, (i + 1) * dim));
  }
  return out;
}

/** A group for vector i: spread over all groups, sizes vary like a catalog's (roughly Poisson). */
function pick(rand: () => number, i: number, groups: number): number {
  return Math.floor(Math.abs(rand() * 7919 + i)) % groups;
}

/** Queries: random data points photographed again (cosine ~0.9 to the original). */
function syntheticQueries(data: Float32Array, n: number, dim: number, count: number, seed: number): Float32Array[] {
  const rand = gaussian(seed);
  const cosine = 0.9;
  const sigma = Math.sqrt((1 / cosine ** 2 - 1) / dim);
  return Array.from({ length: count }, (_, q) => {
    const i = (q * 7_777_777) % n;
    const v = data.slice(i * dim, (i + 1) * dim).map((x) => x + sigma * rand());
    return normalise(v);
  });
}

function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) * inv;
  return v;
}

/** Standard normal samples from a seeded xorshift generator (Box-Muller). */
function gaussian(seed: number): () => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `lookalike bench` section "search" (quick: 10k only; --sizes and --dataset choose others). */
export const searchSection: BenchSection = {
  name: 'search',
  run: (ctx) => benchSearch({ quick: ctx.quick, sizes: ctx.sizes, dataset: ctx.dataset, log: ctx.log }),
  table(result) {
    const { rows } = result as Awaited<ReturnType<typeof benchSearch>>;
    return formatTable([
      ['set', 'vectors', 'exact p50/p95 ms', 'hnsw build s', 'bytes/vector', 'hnsw p50/p95 ms', 'recall@10', 'load s'],
      ...rows.map((r) => [
        r.dataset,
        String(r.vectors),
        `${r.exact.p50Ms}/${r.exact.p95Ms}`,
        String(r.ann.buildSeconds),
        String(r.ann.bytesPerVector),
        `${r.ann.p50Ms}/${r.ann.p95Ms}`,
        String(r.ann.recallAt10),
        String(r.ann.loadSeconds),
      ]),
    ]);
  },
};

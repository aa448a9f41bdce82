import { performance } from 'node:perf_hooks';
import { type ImageHashes, CROP_HASH_COUNT } from '../features/duplicates/image-hash.js';
import { buildCandidateGraph } from '../features/duplicates/graph.js';
import { catalogKnn } from '../features/duplicates/neighbours.js';
import { groupCandidates } from '../features/duplicates/regroup.js';
import { defaultTierSettings } from '../features/duplicates/tiers.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';

export interface DuplicatesBenchRow {
  images: number;
  dim: number;
  neighbours: number;
  /** k-NN graph (exact up to 12k images, HNSW beyond) plus hash bands and pair evidence: once per model revision. */
  graphSeconds: number;
  candidatePairs: number;
  /** Near-tier grouping on the cached graph: what a threshold change costs. */
  regroupNearMs: number;
  regroupSimilarMs: number;
  nearGroups: number;
  /** graph + near grouping: the first "find" on a catalog with cached embeddings and hashes. */
  totalSeconds: number;
}

export interface DuplicatesBench {
  data: string;
  rows: DuplicatesBenchRow[];
}

/**
 * Synthetic catalog of `n` images: a fifth are originals, the rest near copies (the original's
 * vector plus small noise, its hashes with a few bits flipped) or unrelated images, so the graph
 * has real groups to find. Vectors are unit length, 512-d like a base CLIP/SigLIP model.
 */
export function syntheticCatalog(n: number, dim = 512, seed = 1) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const vectors = new Float32Array(n * dim);
  const hashes: ImageHashes[] = [];
  const hex = (bits: () => number) => Array.from({ length: 16 }, () => bits().toString(16)).join('');
  const flip = (h: string, count: number) => {
    const digits = h.split('');
    for (let k = 0; k < count; k++) {
      const d = Math.floor(rand() * 16);
      digits[d] = (parseInt(digits[d]!, 16) ^ (1 << Math.floor(rand() * 4))).toString(16);
    }
    return digits.join('');
  };
  const randomHashes = (): ImageHashes => ({
    pixelSha: hex(() => Math.floor(rand() * 16)) + String(hashes.length),
    phash: hex(() => Math.floor(rand() * 16)),
    phashTrim: hex(() => Math.floor(rand() * 16)),
    trimBox: [0, 0, 1, 1],
    cropHashes: Array.from({ length: CROP_HASH_COUNT }, () => hex(() => Math.floor(rand() * 16))).join(''),
    phashMirror: hex(() => Math.floor(rand() * 16)),
    phashTrimMirror: hex(() => Math.floor(rand() * 16)),
  });
  const originals: number[] = [];
  for (let i = 0; i < n; i++) {
    const copyOf = originals.length > 0 && rand() < 0.3 ? originals[Math.floor(rand() * originals.length)] : undefined;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = copyOf === undefined ? gauss() : (vectors[copyOf * dim + d] as number) + 0.012 * gauss();
      vectors[i * dim + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = (vectors[i * dim + d] as number) / norm;
    if (copyOf === undefined) {
      originals.push(i);
      hashes.push(randomHashes());
    } else {
      const h = hashes[copyOf]!;
      hashes.push({ ...randomHashes(), phash: flip(h.phash, 3), phashTrim: flip(h.phashTrim, 3) });
    }
  }
  return { shas: Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0')), vectors, hashes, dim };
}

export async function benchDuplicates({ quick, log = () => {} }: { quick: boolean; log?: (line: string) => void }): Promise<DuplicatesBench> {
  const sizes = quick ? [10_000] : [10_000, 100_000];
  const rows: DuplicatesBenchRow[] = [];
  for (const n of sizes) {
    log(`duplicates: ${n} images...`);
    const data = syntheticCatalog(n);
    const k = 16;
    const t0 = performance.now();
    const graph = await buildCandidateGraph({ shas: data.shas, hashes: data.hashes, vectors: data.vectors, hasVector: new Uint8Array(n).fill(1), dim: data.dim, k, knn: catalogKnn });
    const t1 = performance.now();
    const settings = defaultTierSettings();
    const near = groupCandidates(graph, settings, 'near', { notDuplicate: new Set(), duplicate: [] });
    const t2 = performance.now();
    groupCandidates(graph, settings, 'similar', { notDuplicate: new Set(), duplicate: [] });
    const t3 = performance.now();
    rows.push({
      images: n,
      dim: data.dim,
      neighbours: k,
      graphSeconds: round((t1 - t0) / 1000),
      candidatePairs: graph.length,
      regroupNearMs: round(t2 - t1),
      regroupSimilarMs: round(t3 - t2),
      nearGroups: near.length,
      totalSeconds: round((t2 - t0) / 1000),
    });
  }
  return { data: 'synthetic 512-d unit vectors and random 64-bit hashes, 30% near copies (embeddings and hashes already cached)', rows };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export const duplicatesSection: BenchSection = {
  name: 'duplicates',
  run: (ctx: BenchContext) => benchDuplicates({ quick: ctx.quick, log: ctx.log }),
  table(result) {
    const r = result as DuplicatesBench;
    const rows = [['images', 'graph s', 'pairs', 'near regroup ms', 'similar regroup ms', 'groups', 'total s']];
    for (const x of r.rows) rows.push([String(x.images), x.graphSeconds.toFixed(2), String(x.candidatePairs), x.regroupNearMs.toFixed(1), x.regroupSimilarMs.toFixed(1), String(x.nearGroups), x.totalSeconds.toFixed(2)]);
    return formatTable(rows);
  },
};

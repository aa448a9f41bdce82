import { performance } from 'node:perf_hooks';
import { ALIGN_BYTES, ALIGN_SIDE } from '../engine/image-hash.js';
import { Aligner } from '../features/duplicates/alignment.js';
import { type ImageHashes, CROP_HASH_COUNT } from '../engine/image-hash.js';
import { ALIGN_GATE, alignmentOf, buildCandidateGraph, frameClean } from '../features/duplicates/graph.js';
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
  /**
   * CPU time of the graph build, all threads (process.cpuUsage): depends far less on other load
   * than wall time, so it compares two checkouts on a machine that is not idle.
   */
  graphCpuSeconds: number;
  candidatePairs: number;
  /** Candidate pairs that went through the crop alignment search (graph.ts ALIGN_GATE), and those found as crops. */
  alignSearched: number;
  alignedCrops: number;
  /** Of graphSeconds, what the crop alignment of those pairs costs (timed again on its own after the build). */
  alignSeconds: number;
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
 * Synthetic catalog of `n` images: 30 % are near copies of an earlier original (its vector plus
 * small noise), the rest unrelated, so the graph has real groups to find. Two thirds of the copies
 * are edits (the original's hashes with a few bits flipped), one third crops (whole-frame hash far
 * from the original's, close to one of its sub-region hashes, thumbnail a window of the
 * original's), so the crop alignment runs on them as on real crops. Vectors are unit length,
 * 512-d like a base CLIP/SigLIP model; thumbnails are smooth random pictures.
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
    thumb: smoothThumb(rand),
    aspect: 1,
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
      if (rand() < 1 / 3) {
        const region = Math.floor(rand() * CROP_HASH_COUNT);
        const scale = 0.8 + rand() * 0.15;
        hashes.push({ ...randomHashes(), phash: flip(h.cropHashes.slice(region * 16, region * 16 + 16), 3), thumb: windowOf(h.thumb, scale, rand() * (1 - scale), rand() * (1 - scale)) });
      } else hashes.push({ ...randomHashes(), phash: flip(h.phash, 3), phashTrim: flip(h.phashTrim, 3), thumb: h.thumb });
    }
  }
  return { shas: Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0')), vectors, hashes, dim };
}

/** A smooth random alignment signature: a 4x4 grid of random grey levels interpolated to the thumbnail, neutral colour. */
function smoothThumb(rand: () => number): Uint8Array {
  const grid = Array.from({ length: 16 }, () => rand() * 255);
  const out = new Uint8Array(ALIGN_BYTES).fill(128);
  for (let y = 0; y < ALIGN_SIDE; y++) {
    for (let x = 0; x < ALIGN_SIDE; x++) {
      const gx = (x / (ALIGN_SIDE - 1)) * 3;
      const gy = (y / (ALIGN_SIDE - 1)) * 3;
      const x0 = Math.min(2, Math.floor(gx));
      const y0 = Math.min(2, Math.floor(gy));
      const fx = gx - x0;
      const fy = gy - y0;
      const at = (cx: number, cy: number) => grid[cy * 4 + cx] as number;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      out[y * ALIGN_SIDE + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}

/** The grey thumbnail of a square window (scale, offset as fractions) of another, nearest sample. */
function windowOf(thumb: Uint8Array, scale: number, ox: number, oy: number): Uint8Array {
  const out = Uint8Array.from(thumb);
  for (let y = 0; y < ALIGN_SIDE; y++) {
    for (let x = 0; x < ALIGN_SIDE; x++) {
      const sx = Math.min(ALIGN_SIDE - 1, Math.floor((ox + ((x + 0.5) / ALIGN_SIDE) * scale) * ALIGN_SIDE));
      const sy = Math.min(ALIGN_SIDE - 1, Math.floor((oy + ((y + 0.5) / ALIGN_SIDE) * scale) * ALIGN_SIDE));
      out[y * ALIGN_SIDE + x] = thumb[sy * ALIGN_SIDE + sx] as number;
    }
  }
  return out;
}

export async function benchDuplicates({ quick, sizes, log = () => {} }: { quick: boolean; sizes?: number[]; log?: (line: string) => void }): Promise<DuplicatesBench> {
  const rows: DuplicatesBenchRow[] = [];
  for (const n of sizes ?? (quick ? [10_000] : [10_000, 100_000])) {
    log(`duplicates: ${n} images...`);
    const data = syntheticCatalog(n);
    const k = 16;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const graph = await buildCandidateGraph({ shas: data.shas, hashes: data.hashes, vectors: data.vectors, hasVector: new Uint8Array(n).fill(1), dim: data.dim, k, knn: catalogKnn });
    const t1 = performance.now();
    const cpu = process.cpuUsage(c0);
    const settings = defaultTierSettings();
    const near = groupCandidates(graph, settings, 'near', { notDuplicate: new Set(), duplicate: [] });
    const t2 = performance.now();
    groupCandidates(graph, settings, 'similar', { notDuplicate: new Set(), duplicate: [] });
    const t3 = performance.now();
    const aligner = new Aligner();
    const ta = performance.now();
    const clean = (e: number) => frameClean({ score: graph.frame[e] as number, moved: graph.frameMoved[e] as number });
    for (let e = 0; e < graph.length; e++) alignmentOf(graph.packed, aligner, graph.a[e] as number, graph.b[e] as number, graph.cosine[e] as number, clean(e), graph.crop[e] as number);
    const alignSeconds = round((performance.now() - ta) / 1000);
    let alignSearched = 0;
    let alignedCrops = 0;
    for (let e = 0; e < graph.length; e++) {
      if ((graph.cosine[e] as number) >= ALIGN_GATE.minCosine && !clean(e) && (graph.crop[e] as number) <= ALIGN_GATE.maxCrop) alignSearched++;
      if ((graph.alignment[e] as number) >= settings.near.alignScore) alignedCrops++;
    }
    rows.push({
      images: n,
      dim: data.dim,
      neighbours: k,
      graphSeconds: round((t1 - t0) / 1000),
      graphCpuSeconds: round((cpu.user + cpu.system) / 1e6),
      candidatePairs: graph.length,
      alignSearched,
      alignedCrops,
      alignSeconds,
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
  run: (ctx: BenchContext) => benchDuplicates({ quick: ctx.quick, sizes: ctx.sizes, log: ctx.log }),
  table(result) {
    const r = result as DuplicatesBench;
    const rows = [['images', 'graph s', 'graph CPU s', 'of it alignment s', 'pairs', 'aligned (searched / crops)', 'near regroup ms', 'similar regroup ms', 'groups', 'total s']];
    for (const x of r.rows) rows.push([String(x.images), x.graphSeconds.toFixed(2), x.graphCpuSeconds.toFixed(2), x.alignSeconds.toFixed(2), String(x.candidatePairs), `${x.alignSearched} / ${x.alignedCrops}`, x.regroupNearMs.toFixed(1), x.regroupSimilarMs.toFixed(1), String(x.nearGroups), x.totalSeconds.toFixed(2)]);
    return formatTable(rows);
  },
};

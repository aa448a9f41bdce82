import { performance } from 'node:perf_hooks';
import { OnnxEmbedder } from './embedder.js';
import { BadInputError } from './errors.js';
import type { PackInfo } from './pack.js';
import { type Variant, isVariant } from './variants.js';
import type { VariantMeasurement } from '../shared/models.js';

export interface VariantSample {
  images: Uint8Array[];
  texts: string[];
}

const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

function stats(xs: number[]): { min: number; mean: number } {
  return { min: r4(Math.min(...xs)), mean: r4(xs.reduce((s, x) => s + x, 0) / xs.length) };
}

/** Indices of the k best candidates for a query (excluding `skip`), by cosine. */
export function topK(query: Float32Array, candidates: Float32Array[], k: number, skip = -1): number[] {
  return candidates
    .map((c, i) => ({ i, s: i === skip ? Number.NEGATIVE_INFINITY : dot(query, c) }))
    .filter((x) => x.i !== skip)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, k)
    .map((x) => x.i);
}

function overlap(a: number[], b: number[]): number {
  const set = new Set(a);
  return a.length === 0 ? 1 : b.filter((x) => set.has(x)).length / a.length;
}

export interface Vectors {
  images: Float32Array[];
  texts: Float32Array[];
}

/** The drift figures from vectors already computed both ways (same inputs, same order). */
export function compareVectors(fp32: Vectors, variant: Vectors, threshold: number): Pick<VariantMeasurement, 'imageCosine' | 'textCosine' | 'textSearchTop10' | 'imageSearchTop10' | 'duplicatePairs'> {
  if (fp32.images.length < 2 || fp32.texts.length < 1) throw new BadInputError('need at least 2 images and 1 title to measure drift');
  const k = Math.min(10, fp32.images.length - 1);
  const textOverlaps = fp32.texts.map((t, q) => overlap(topK(t, fp32.images, k), topK(variant.texts[q]!, variant.images, k)));
  const imageOverlaps = fp32.images.map((v, q) => overlap(topK(v, fp32.images, k, q), topK(variant.images[q]!, variant.images, k, q)));
  let before = 0;
  let kept = 0;
  let added = 0;
  for (let i = 0; i < fp32.images.length; i++) {
    for (let j = i + 1; j < fp32.images.length; j++) {
      const a = dot(fp32.images[i]!, fp32.images[j]!) >= threshold;
      const b = dot(variant.images[i]!, variant.images[j]!) >= threshold;
      if (a) before++;
      if (a && b) kept++;
      if (!a && b) added++;
    }
  }
  return {
    imageCosine: stats(fp32.images.map((v, i) => dot(v, variant.images[i]!))),
    textCosine: stats(fp32.texts.map((v, i) => dot(v, variant.texts[i]!))),
    textSearchTop10: { mean: stats(textOverlaps).mean, min: stats(textOverlaps).min },
    imageSearchTop10: { mean: stats(imageOverlaps).mean, min: stats(imageOverlaps).min },
    duplicatePairs: { threshold, fp32: before, kept, added },
  };
}

/** Switching pays when the variant is at least this much faster... */
export const MIN_SPEEDUP = 1.2;
/** ...and keeps this share of search results and duplicate pairs. */
export const MIN_KEPT = 0.9;

async function embedBoth(e: OnnxEmbedder, sample: VariantSample, signal?: AbortSignal): Promise<{ vectors: Vectors; imagesPerSecond: number; textsPerSecond: number }> {
  await e.ready();
  // Warm-up: the first runs allocate arenas and choose kernels.
  await e.embedImages(sample.images.slice(0, 1), { signal });
  await e.embedTexts(sample.texts.slice(0, 1), { signal });
  let t0 = performance.now();
  const images = await e.embedImages(sample.images, { signal });
  const imagesPerSecond = sample.images.length / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  const texts = await e.embedTexts(sample.texts, { signal });
  const textsPerSecond = sample.texts.length / ((performance.now() - t0) / 1000);
  return { vectors: { images, texts }, imagesPerSecond, textsPerSecond };
}

/**
 * Embeds the sample with the fp32 towers, then with `variant` (one pack loaded at a time, same
 * threads), and compares. `threshold` is the near-duplicate cosine the duplicates feature uses.
 */
export async function measureVariant(
  pack: PackInfo,
  variant: string,
  sample: VariantSample,
  options: {
    threshold: number;
    provider?: string;
    threads?: number;
    signal?: AbortSignal;
    /** Before each variant is embedded: which, and how many came before of how many. */
    progress?: (variant: Variant, step: number, steps: number) => void;
    log?: (line: string) => void;
  },
): Promise<VariantMeasurement> {
  if (!isVariant(variant)) throw new BadInputError(`unknown model variant "${variant}"`);
  if (variant === 'fp32') throw new BadInputError('fp32 is the reference; measure another variant (e.g. quantized)');
  for (const v of ['fp32', variant] as Variant[]) {
    if (!pack.variants.includes(v)) throw new BadInputError(`model pack "${pack.id}" has no ${v} variant (installed: ${pack.variants.join(', ')})`);
  }
  const run = async (v: Variant) => {
    options.progress?.(v, v === 'fp32' ? 0 : 1, 2);
    const e = await OnnxEmbedder.load(pack, { variant: v, provider: options.provider, threads: options.threads, scoringCache: null, log: options.log ?? (() => undefined) });
    try {
      return await embedBoth(e, sample, options.signal);
    } finally {
      await e.close();
    }
  };
  const a = await run('fp32');
  const b = await run(variant);
  const drift = compareVectors(a.vectors, b.vectors, options.threshold);
  const speed = {
    fp32Images: r1(a.imagesPerSecond),
    variantImages: r1(b.imagesPerSecond),
    fp32Texts: r1(a.textsPerSecond),
    variantTexts: r1(b.textsPerSecond),
    imageSpeedup: r2(b.imagesPerSecond / a.imagesPerSecond),
    textSpeedup: r2(b.textsPerSecond / a.textsPerSecond),
  };
  const dupKept = drift.duplicatePairs.fp32 ? drift.duplicatePairs.kept / drift.duplicatePairs.fp32 : 1;
  const recommended = speed.imageSpeedup >= MIN_SPEEDUP && drift.textSearchTop10.mean >= MIN_KEPT && drift.imageSearchTop10.mean >= MIN_KEPT && dupKept >= MIN_KEPT;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const summary =
    `${variant}: images ${speed.imageSpeedup}x, texts ${speed.textSpeedup}x as fast as fp32; ` +
    `top-10 kept ${pct(drift.textSearchTop10.mean)} (text search), ${pct(drift.imageSearchTop10.mean)} (similar images); ` +
    `duplicate pairs kept ${drift.duplicatePairs.kept}/${drift.duplicatePairs.fp32}${drift.duplicatePairs.added ? `, ${drift.duplicatePairs.added} new` : ''}; ` +
    `cosine to fp32 ≥ ${drift.imageCosine.min} (images), ≥ ${drift.textCosine.min} (titles)`;
  return { pack: pack.id, variant, reference: 'fp32', measuredAt: new Date().toISOString(), images: sample.images.length, texts: sample.texts.length, ...drift, speed, recommended, summary };
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

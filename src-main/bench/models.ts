import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { OnnxEmbedder } from '../engine/embedder.js';
import { logicalCpus } from '../engine/providers.js';
import { towerFile } from '../engine/variants.js';
import { resourcesDir } from '../shared/paths.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';
import { benchRegistry } from './registry.js';

export const BATCH_SIZES = [1, 8, 32] as const;
/** Marketplace photos are around this size; the demo catalog's 192 px photos would make decoding look free. */
export const BENCH_IMAGE_SIZE = 1024;

/** How far a variant's embeddings are from the fp32 variant's on the same inputs. */
export interface VariantDrift {
  /** Lowest and mean cosine of each image's vector with its fp32 vector. */
  imageCosineMin: number;
  imageCosineMean: number;
  /**
   * The same after subtracting the fp32 vectors' mean: random-weight towers map all images near
   * one direction (plain cosines near 1 say little there); this measures drift against the spread.
   */
  imageCenteredCosineMin: number;
  textCosineMin: number;
}

export interface PackBench {
  id: string;
  family: string;
  dim: number;
  variant: string;
  /** Size of the vision + text tower files of this variant, MB. */
  towersMB: number;
  provider: string;
  /** Intra-op threads of the vision and text sessions (small towers run on one, engine/providers.ts towerThreads). */
  threads: { vision: number | null; text: number | null };
  images: number;
  /** Seconds to create both sessions. */
  loadSeconds: number;
  /** Decode + preprocess only (sharp), images/s. */
  decodePreprocess: number;
  /** CPU time of this process (all threads) per image to decode and preprocess, ms. */
  decodeCpuMs: number;
  /** Pre-made tensors through the vision tower, images/s per batch size. */
  modelOnly: Record<string, number>;
  /** Files on disk to vectors (read, decode, preprocess overlapped with inference), images/s per batch size. */
  endToEnd: Record<string, number>;
  /** endToEnd / modelOnly per batch size (the target is >= 0.9). */
  endToEndVsModel: Record<string, number>;
  /** CPU time per image of the model-only runs, ms per batch size. */
  modelCpuMs: Record<string, number>;
  /** The highest endToEndVsModel this machine's CPUs allow per batch size (endToEndCeiling). */
  endToEndCeiling: Record<string, number>;
  textsPerSecond: number;
  /** Against the pack's fp32 variant; null for fp32 itself or when fp32 was not timed in the same run. */
  vsFp32: VariantDrift | null;
  /** Highest RSS of the bench process while this variant was loaded and timed. */
  peakRssMiB: number;
}

export interface ModelsBench {
  imageSource: string;
  /** Logical CPUs of the machine, what endToEndCeiling counts on. */
  cpus: number;
  packs: PackBench[];
  errors: Array<{ id: string; error: string }>;
}

/** Benchmark images: the demo catalog's photos re-encoded at marketplace size, else generated JPEGs. */
export async function benchImages(count: number, dir: string): Promise<{ files: string[]; source: string }> {
  const catalog = path.join(resourcesDir, 'demo-catalog', 'images');
  const names = (await fs.readdir(catalog).catch(() => [] as string[])).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
  await fs.mkdir(dir, { recursive: true });
  const files: string[] = [];
  const size = BENCH_IMAGE_SIZE;
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `bench-${i}.jpg`);
    let img;
    if (names.length >= count) {
      img = sharp(path.join(catalog, names[i]!)).resize(size, size, { kernel: 'lanczos3' });
    } else {
      const data = Buffer.alloc(size * size * 3);
      for (let p = 0; p < data.length; p++) data[p] = (p * (i + 7) + (p >> 9)) & 0xff;
      img = sharp(data, { raw: { width: size, height: size, channels: 3 } });
    }
    await img.jpeg({ quality: 85 }).toFile(file);
    files.push(file);
  }
  const source = names.length >= count ? `${count} demo catalog photos re-encoded as ${size}x${size} JPEG (q85)` : `${count} generated ${size}x${size} JPEGs`;
  return { files, source };
}

const WORDS = ['red', 'blue', 'striped', 'leather', 'ceramic', 'mug', 'sneakers', 'handbag', 'wool', 'hat', 'lamp', 'vase', 'chair', 'cotton', 't-shirt', 'size', 'XL', 'polka', 'dot'];
export function benchTexts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => Array.from({ length: 4 + (i % 9) }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(' '));
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

/** Items per second over at least `seconds` of whole runs of `perRun` items (at least one run). */
export async function rate(run: () => Promise<unknown>, perRun: number, seconds: number): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  while (n === 0 || performance.now() - t0 < seconds * 1000) {
    await run();
    n += perRun;
  }
  return n / ((performance.now() - t0) / 1000);
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** CPU milliseconds (user + system, every thread of this process) that `fn` took. */
export async function cpuTimed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const { value, seconds } = await timed(fn);
  const { user, system } = process.cpuUsage(cpu0);
  return { value, seconds, cpuMs: (user + system) / 1000 };
}

/**
 * The best end-to-end / model-only ratio `cpus` CPUs allow: end to end, each image costs its
 * decode's CPU time plus the model's, so however well the two overlap, no more than
 * cpus / (decode + model CPU seconds) images a second get through. Meaningful with threads that
 * sleep while they wait (the engine's default): spinning threads would count their waiting as work.
 */
export function endToEndCeiling(modelPerSecond: number, modelCpuMs: number, decodeCpuMs: number, cpus: number): number {
  return Math.min(1, (cpus * 1000) / ((modelCpuMs + decodeCpuMs) * modelPerSecond));
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

function cosines(a: Float32Array[], b: Float32Array[]): number[] {
  return a.map((v, i) => dot(v, b[i]!) / Math.sqrt(dot(v, v) * dot(b[i]!, b[i]!)));
}

export function drift(images: Float32Array[], fp32Images: Float32Array[], texts: Float32Array[], fp32Texts: Float32Array[]): VariantDrift {
  const dim = fp32Images[0]!.length;
  const mean = new Float32Array(dim);
  for (const v of fp32Images) for (let j = 0; j < dim; j++) mean[j]! += v[j]! / fp32Images.length;
  const centre = (vs: Float32Array[]) => vs.map((v) => v.map((x, j) => x - mean[j]!));
  const img = cosines(images, fp32Images);
  const r4 = (x: number) => round(x, 4);
  return {
    imageCosineMin: r4(Math.min(...img)),
    imageCosineMean: r4(img.reduce((s, x) => s + x, 0) / img.length),
    imageCenteredCosineMin: r4(Math.min(...cosines(centre(images), centre(fp32Images)))),
    textCosineMin: r4(Math.min(...cosines(texts, fp32Texts))),
  };
}

interface Measured {
  result: Omit<PackBench, 'id' | 'family' | 'dim' | 'variant' | 'towersMB' | 'provider' | 'threads' | 'images' | 'loadSeconds' | 'vsFp32' | 'peakRssMiB'>;
  imageVectors: Float32Array[];
  textVectors: Float32Array[];
}

async function benchEmbedder(e: OnnxEmbedder, files: string[], texts: string[], quick: boolean, cpus: number, signal: AbortSignal): Promise<Measured> {
  const bytes = await Promise.all(files.map((f) => fs.readFile(f)));
  // Warm-up: first runs allocate arenas and pick kernels.
  await e.embedImages(bytes.slice(0, 8), { signal, batchSize: 8 });
  await e.embedTexts(texts.slice(0, 8), { signal });

  const decode = await cpuTimed(async () => {
    for (let i = 0; i < bytes.length; i += 8) await e.preprocessor.batch(bytes.slice(i, i + 8));
  });
  const decodeCpuMs = decode.cpuMs / bytes.length;
  const modelOnly: Record<string, number> = {};
  const endToEnd: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  const modelCpuMs: Record<string, number> = {};
  const ceiling: Record<string, number> = {};
  let imageVectors: Float32Array[] = [];
  for (const b of BATCH_SIZES) {
    // Whole batches, at least two, so that the end-to-end run has a next batch to decode during inference.
    const rounds = quick ? 1 : 2;
    const batches = Math.max(2, Math.ceil((quick ? Math.min(files.length, b * 2) : files.length / rounds) / b));
    const n = batches * b;
    const tensor = await e.preprocessor.batch(Array.from({ length: b }, (_, i) => bytes[i % bytes.length]!));
    const modelRun = () =>
      cpuTimed(async () => {
        for (let k = 0; k < batches; k++) await e.embedPixels(tensor, b, signal);
      });
    const e2eRun = () =>
      timed(async () => {
        const read = await Promise.all(Array.from({ length: n }, (_, i) => fs.readFile(files[i % files.length]!)));
        return e.embedImages(read, { signal, batchSize: b });
      });
    // Model-only and end-to-end alternate A B B A ..., so that a machine whose load changes while
    // the bench runs (shared CI, other users) slows both about equally and the ratio stays fair.
    let modelSeconds = 0;
    let modelCpu = 0;
    let e2eSeconds = 0;
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 === 0 ? ['model', 'e2e'] : ['e2e', 'model']) {
        if (which === 'model') {
          const run = await modelRun();
          modelSeconds += run.seconds;
          modelCpu += run.cpuMs;
        } else {
          const run = await e2eRun();
          e2eSeconds += run.seconds;
          imageVectors = run.value.slice(0, files.length); // the largest batch size's run covers every file
        }
      }
    }
    modelOnly[b] = round((rounds * n) / modelSeconds);
    endToEnd[b] = round((rounds * n) / e2eSeconds);
    ratio[b] = round(modelSeconds / e2eSeconds, 2);
    modelCpuMs[b] = round(modelCpu / (rounds * n), 2);
    ceiling[b] = round(endToEndCeiling((rounds * n) / modelSeconds, modelCpu / (rounds * n), decodeCpuMs, cpus), 2);
  }
  const text = await timed(() => e.embedTexts(texts, { signal }));
  return {
    result: {
      decodePreprocess: round(bytes.length / decode.seconds),
      decodeCpuMs: round(decodeCpuMs, 2),
      modelOnly,
      endToEnd,
      endToEndVsModel: ratio,
      modelCpuMs,
      endToEndCeiling: ceiling,
      textsPerSecond: round(texts.length / text.seconds),
    },
    imageVectors,
    textVectors: text.value,
  };
}

async function towersMB(e: OnnxEmbedder): Promise<number> {
  const sizes = await Promise.all((['vision', 'text'] as const).map(async (t) => (await fs.stat(path.join(e.pack.dir, towerFile(t, e.variant)))).size));
  return round(sizes.reduce((s, x) => s + x, 0) / 1e6, 0);
}

export async function runModelsBench(ctx: BenchContext): Promise<ModelsBench> {
  const registry = benchRegistry(ctx);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-'));
  try {
    const { files, source } = await benchImages(ctx.quick ? 32 : 64, tmp);
    const texts = benchTexts(ctx.quick ? 64 : 256);
    const cpus = logicalCpus();
    const { models } = await registry.list();
    const packs: PackBench[] = [];
    const errors: ModelsBench['errors'] = [];
    for (const m of models) {
      if (ctx.modelIds.length && !ctx.modelIds.includes(m.id)) continue;
      if (m.status !== 'ok') {
        errors.push({ id: m.id, error: m.error ?? 'broken' });
        continue;
      }
      const pack = await registry.resolve(m.id);
      let fp32: { images: Float32Array[]; texts: Float32Array[] } | null = null;
      // Every installed variant side by side, fp32 first (the reference for drift); one loaded at a time.
      for (const variant of pack.variants.filter((v) => !ctx.variants.length || ctx.variants.includes(v))) {
        ctx.signal.throwIfAborted();
        ctx.log(`bench: ${m.id} (${variant}) ...`);
        const memory = ctx.memory.window();
        let e: OnnxEmbedder | undefined;
        try {
          const load = await timed(async () => {
            const loaded = await OnnxEmbedder.load(pack, { variant, provider: ctx.config.engine.provider, log: ctx.log });
            await loaded.ready(); // towers load on first use; this figure is both sessions
            return loaded;
          });
          e = load.value;
          const measured = await benchEmbedder(e, files, texts, ctx.quick, cpus, ctx.signal);
          if (variant === 'fp32') fp32 = { images: measured.imageVectors, texts: measured.textVectors };
          packs.push({
            id: e.id,
            family: e.family,
            dim: e.dim,
            variant,
            towersMB: await towersMB(e),
            provider: e.provider,
            threads: e.towerThreads,
            images: files.length,
            loadSeconds: round(load.seconds, 2),
            ...measured.result,
            vsFp32: fp32 && variant !== 'fp32' ? drift(measured.imageVectors, fp32.images, measured.textVectors, fp32.texts) : null,
            peakRssMiB: memory.peakMiB(),
          });
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          errors.push({ id: `${m.id} (${variant})`, error: err instanceof Error ? err.message : String(err) });
        } finally {
          await e?.close();
          memory.close();
        }
      }
    }
    return { imageSource: source, cpus, packs, errors };
  } finally {
    await registry.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export const modelsSection: BenchSection = {
  name: 'models',
  run: runModelsBench,
  table(result) {
    const r = result as ModelsBench;
    const rows = [
      ['model (img/s)', 'MB', 'provider', 'thr (v/t)', 'decode', 'ms CPU', ...BATCH_SIZES.flatMap((b) => [`model@${b}`, `e2e@${b}`, `e2e/m@${b}`, `max@${b}`]), 'texts/s', 'cos vs fp32 (min, centred)', 'peak RSS MiB'],
    ];
    for (const p of r.packs) {
      rows.push([
        `${p.id} (${p.variant})`,
        String(p.towersMB),
        p.provider,
        `${p.threads.vision ?? '-'}/${p.threads.text ?? '-'}`,
        p.decodePreprocess.toFixed(1),
        p.decodeCpuMs.toFixed(2),
        ...BATCH_SIZES.flatMap((b) => [p.modelOnly[b]!.toFixed(1), p.endToEnd[b]!.toFixed(1), p.endToEndVsModel[b]!.toFixed(2), p.endToEndCeiling[b]!.toFixed(2)]),
        p.textsPerSecond.toFixed(1),
        p.vsFp32 ? `${p.vsFp32.imageCosineMin.toFixed(4)}, ${p.vsFp32.imageCenteredCosineMin.toFixed(4)}` : '-',
        p.peakRssMiB.toFixed(0),
      ]);
    }
    const errs = r.errors.map((e) => `  ${e.id}: ${e.error}`);
    const legend = `ms CPU: decode + preprocess per image; max@B: the highest e2e/m that ${r.cpus} CPUs allow, from the decode's and the model's CPU time per image`;
    return [`images: ${r.imageSource}`, formatTable(rows), legend, ...(errs.length ? ['not benchmarked:', ...errs] : [])].join('\n');
  },
};

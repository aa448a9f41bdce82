import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { OnnxEmbedder } from '../engine/embedder.js';
import { ModelRegistry } from '../engine/registry.js';
import { resourcesDir, userDataDir } from '../paths.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';

export const BATCH_SIZES = [1, 8, 32] as const;

export interface PackBench {
  id: string;
  family: string;
  dim: number;
  variant: string;
  provider: string;
  threads: number;
  images: number;
  /** Decode + preprocess only (sharp), images/s. */
  decodePreprocess: number;
  /** Pre-made tensors through the vision tower, images/s per batch size. */
  modelOnly: Record<string, number>;
  /** Files on disk to vectors (read, decode, preprocess overlapped with inference), images/s per batch size. */
  endToEnd: Record<string, number>;
  /** endToEnd / modelOnly per batch size (the target is >= 0.9). */
  endToEndVsModel: Record<string, number>;
  textsPerSecond: number;
}

export interface ModelsBench {
  imageSource: string;
  packs: PackBench[];
  errors: Array<{ id: string; error: string }>;
}

/** Benchmark images: the demo catalog's photos if present, else generated JPEGs of product-photo size. */
async function benchImages(count: number, dir: string): Promise<{ files: string[]; source: string }> {
  const catalog = path.join(resourcesDir, 'demo-catalog', 'images');
  const names = (await fs.readdir(catalog).catch(() => [] as string[])).filter((n) => /\.(jpe?g|png|webp)$/i.test(n)).sort();
  if (names.length >= count) return { files: names.slice(0, count).map((n) => path.join(catalog, n)), source: catalog };
  await fs.mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `bench-${i}.jpg`);
    const { width, height } = { width: 800, height: 600 };
    const data = Buffer.alloc(width * height * 3);
    for (let p = 0; p < data.length; p++) data[p] = (p * (i + 7) + (p >> 9)) & 0xff;
    await sharp(data, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toFile(file);
    files.push(file);
  }
  return { files, source: 'generated 800x600 JPEGs' };
}

const WORDS = ['red', 'blue', 'striped', 'leather', 'ceramic', 'mug', 'sneakers', 'handbag', 'wool', 'hat', 'lamp', 'vase', 'chair', 'cotton', 't-shirt', 'size', 'XL', 'polka', 'dot'];
function benchTexts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => Array.from({ length: 4 + (i % 9) }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(' '));
}

async function rate(n: number, fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return n / ((performance.now() - t0) / 1000);
}

const round = (x: number) => Math.round(x * 10) / 10;

async function benchPack(e: OnnxEmbedder, files: string[], texts: string[], quick: boolean, signal: AbortSignal): Promise<Omit<PackBench, 'images'>> {
  const bytes = await Promise.all(files.map((f) => fs.readFile(f)));
  // Warm-up: first runs allocate arenas and pick kernels.
  await e.embedImages(bytes.slice(0, 8), { signal, batchSize: 8 });
  await e.embedTexts(texts.slice(0, 8), { signal });

  const decodePreprocess = await rate(bytes.length, async () => {
    for (let i = 0; i < bytes.length; i += 8) await e.preprocessor.batch(bytes.slice(i, i + 8));
  });
  const modelOnly: Record<string, number> = {};
  const endToEnd: Record<string, number> = {};
  const ratio: Record<string, number> = {};
  for (const b of BATCH_SIZES) {
    const n = quick ? Math.max(b, Math.min(files.length, b * 2)) : Math.max(b * 2, files.length);
    const subset = Array.from({ length: n }, (_, i) => bytes[i % bytes.length]!);
    const tensor = await e.preprocessor.batch(subset.slice(0, b));
    modelOnly[b] = await rate(n, async () => {
      for (let done = 0; done < n; done += b) await e.embedPixels(tensor, b, signal);
    });
    endToEnd[b] = await rate(n, async () => {
      const read = await Promise.all(subset.map((_, i) => fs.readFile(files[i % files.length]!)));
      await e.embedImages(read, { signal, batchSize: b });
    });
    ratio[b] = Math.round((endToEnd[b]! / modelOnly[b]!) * 100) / 100;
  }
  const textsPerSecond = await rate(texts.length, () => e.embedTexts(texts, { signal }));
  const r = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
  return {
    id: e.id,
    family: e.family,
    dim: e.dim,
    variant: e.variant,
    provider: e.provider,
    threads: e.threads,
    decodePreprocess: round(decodePreprocess),
    modelOnly: r(modelOnly),
    endToEnd: r(endToEnd),
    endToEndVsModel: ratio,
    textsPerSecond: round(textsPerSecond),
  };
}

export async function runModelsBench(ctx: BenchContext): Promise<ModelsBench> {
  const registry = new ModelRegistry({
    bundledDir: path.join(resourcesDir, 'models'),
    installedDir: path.join(userDataDir(), 'models'),
    extraDirs: ctx.modelsDirs,
    embedder: { provider: ctx.provider },
    log: ctx.log,
  });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-'));
  try {
    const { files, source } = await benchImages(ctx.quick ? 32 : 64, tmp);
    const texts = benchTexts(ctx.quick ? 64 : 256);
    const { models } = await registry.list();
    const packs: PackBench[] = [];
    const errors: ModelsBench['errors'] = [];
    for (const m of models) {
      if (ctx.modelIds.length && !ctx.modelIds.includes(m.id)) continue;
      if (m.status !== 'ok') {
        errors.push({ id: m.id, error: m.error ?? 'broken' });
        continue;
      }
      ctx.signal.throwIfAborted();
      ctx.log(`bench: ${m.id} ...`);
      try {
        const e = await registry.embedder(m.id);
        packs.push({ ...(await benchPack(e, files, texts, ctx.quick, ctx.signal)), images: files.length });
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        errors.push({ id: m.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { imageSource: source, packs, errors };
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
    const rows = [['model (img/s)', 'provider', 'thr', 'decode', ...BATCH_SIZES.flatMap((b) => [`model@${b}`, `e2e@${b}`, `e2e/m@${b}`]), 'texts/s']];
    for (const p of r.packs) {
      rows.push([
        `${p.id} (${p.variant})`,
        p.provider,
        String(p.threads),
        p.decodePreprocess.toFixed(1),
        ...BATCH_SIZES.flatMap((b) => [p.modelOnly[b]!.toFixed(1), p.endToEnd[b]!.toFixed(1), p.endToEndVsModel[b]!.toFixed(2)]),
        p.textsPerSecond.toFixed(1),
      ]);
    }
    const errs = r.errors.map((e) => `  ${e.id}: ${e.error}`);
    return [formatTable(rows), ...(errs.length ? ['not benchmarked:', ...errs] : [])].join('\n');
  },
};

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OnnxEmbedder } from '../engine/embedder.js';
import { defaultThreads, logicalCpus, physicalCores } from '../engine/providers.js';
import { ModelRegistry } from '../engine/registry.js';
import { underLoad } from './load.js';
import { benchImages, rate, round } from './models.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';
import { benchRegistry } from './registry.js';

/** One thread setting: the engine's default, one thread, and every logical CPU the way ORT runs them by default (spinning). */
export interface ThreadSetting {
  name: 'default' | 'one' | 'all';
  threads: number;
  spinning: boolean;
}

export interface ThreadsRow {
  id: string;
  variant: string;
  setting: ThreadSetting;
  /** Images/s, batch 8: pre-made tensors, and files through decode + preprocess + model. */
  idle: { model: number; endToEnd: number };
  loaded: { model: number; endToEnd: number };
}

export interface ThreadsBench {
  logicalCpus: number;
  physicalCores: number;
  defaultThreads: number;
  load: string;
  secondsPerFigure: number;
  rows: ThreadsRow[];
  errors: Array<{ id: string; error: string }>;
}

const BATCH = 8;

export function threadSettings(): ThreadSetting[] {
  return [
    { name: 'default', threads: defaultThreads(), spinning: false },
    { name: 'one', threads: 1, spinning: false },
    { name: 'all', threads: logicalCpus(), spinning: true },
  ];
}

/** Packs to time: those named, else the real-size packs from --models-dir, else demo-siglip. */
async function pickPacks(registry: ModelRegistry, ctx: BenchContext): Promise<string[]> {
  const { models } = await registry.list();
  if (ctx.modelIds.length) return ctx.modelIds;
  const extra = models.filter((m) => m.source === 'extra' && m.status === 'ok').map((m) => m.id);
  return extra.length ? extra : ['demo-siglip'];
}

export async function runThreadsBench(ctx: BenchContext): Promise<ThreadsBench> {
  const registry = benchRegistry(ctx);
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-threads-'));
  const seconds = ctx.quick ? 1.5 : 4;
  const rows: ThreadsRow[] = [];
  const errors: ThreadsBench['errors'] = [];
  try {
    const { files } = await benchImages(BATCH * 2, tmp);
    const bytes = await Promise.all(files.map((f) => fs.readFile(f)));
    for (const id of await pickPacks(registry, ctx)) {
      let pack;
      try {
        pack = await registry.resolve(id);
      } catch (err) {
        errors.push({ id, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      for (const variant of pack.variants.filter((v) => (ctx.variants.length ? ctx.variants.includes(v) : v === 'fp32' || v === 'quantized'))) {
        for (const setting of threadSettings()) {
          ctx.signal.throwIfAborted();
          ctx.log(`bench threads: ${id} (${variant}) ${setting.name} = ${setting.threads} thread(s)${setting.spinning ? ', spinning' : ''} ...`);
          const e = await OnnxEmbedder.load(pack, { variant, provider: ctx.config.engine.provider, threads: setting.threads, spinning: setting.spinning, batchSize: BATCH, log: ctx.log });
          try {
            const tensor = await e.preprocessor.batch(bytes.slice(0, BATCH));
            const model = () => e.embedPixels(tensor, BATCH, ctx.signal);
            let next = 0;
            const endToEnd = () => {
              const start = (next++ % 2) * BATCH;
              return e.embedImages(bytes.slice(start, start + BATCH), { signal: ctx.signal, batchSize: BATCH });
            };
            await model(); // warm-up: session creation, arenas, kernel choice
            await endToEnd();
            // Alternate model-only and end-to-end so that a load change hits both alike.
            const measure = async () => {
              const m1 = round(await rate(model, BATCH, seconds / 2));
              const e1 = round(await rate(endToEnd, BATCH, seconds / 2));
              const e2 = round(await rate(endToEnd, BATCH, seconds / 2));
              const m2 = round(await rate(model, BATCH, seconds / 2));
              return { model: round((m1 + m2) / 2), endToEnd: round((e1 + e2) / 2) };
            };
            const idle = await measure();
            const loaded = await underLoad(() => measure(), { maxSeconds: seconds * 4 + 30 });
            rows.push({ id, variant, setting, idle, loaded });
          } catch (err) {
            if (ctx.signal.aborted) throw err;
            errors.push({ id: `${id} (${variant}, ${setting.name})`, error: err instanceof Error ? err.message : String(err) });
          } finally {
            await e.close();
          }
        }
      }
    }
    return {
      logicalCpus: logicalCpus(),
      physicalCores: physicalCores(),
      defaultThreads: defaultThreads(),
      load: `another process spinning ${logicalCpus()} thread(s), one per logical CPU`,
      secondsPerFigure: seconds,
      rows,
      errors,
    };
  } finally {
    await registry.close();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

export const threadsSection: BenchSection = {
  name: 'threads',
  run: runThreadsBench,
  table(result) {
    const r = result as ThreadsBench;
    const header = ['pack (variant)', 'setting', 'threads', 'idle model', 'idle e2e', 'e2e/m', 'loaded model', 'loaded e2e', 'e2e/m'];
    const rows = r.rows.map((x) => [
      `${x.id} (${x.variant})`,
      x.setting.name,
      `${x.setting.threads}${x.setting.spinning ? ' spin' : ''}`,
      x.idle.model.toFixed(1),
      x.idle.endToEnd.toFixed(1),
      (x.idle.endToEnd / x.idle.model).toFixed(2),
      x.loaded.model.toFixed(1),
      x.loaded.endToEnd.toFixed(1),
      (x.loaded.endToEnd / x.loaded.model).toFixed(2),
    ]);
    const errs = r.errors.map((e) => `  ${e.id}: ${e.error}`);
    return [
      `images/s at batch ${BATCH}; ${r.logicalCpus} logical CPUs, ${r.physicalCores} physical cores, default ${r.defaultThreads} thread(s); load: ${r.load}`,
      formatTable([header, ...rows]),
      ...(errs.length ? ['not benchmarked:', ...errs] : []),
    ].join('\n');
  },
};

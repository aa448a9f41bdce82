import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { invoke } from '../dispatch/invoke.js';
import { handlers } from '../dispatch/handlers.js';
import type { ImportSummary } from '../api/schemas/catalog.js';
import { Services } from '../features/services.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';

export interface ImportRun {
  seconds: number;
  listings: number;
  /** Image files read (new or changed). */
  images: number;
  /** Vectors written per model. */
  embedded: Record<string, number>;
  failed: number;
  imagesPerSecond: number;
  listingsPerSecond: number;
}

export interface ImportBench {
  /** What was imported, through which API method. */
  source: string;
  /** The default model (the one the import embedded with). */
  models: string[];
  /** A fresh catalog: read, hash, thumbnail, embed, write everything. */
  first: ImportRun;
  /** The same import again: nothing new to read or embed. */
  again: ImportRun;
}

function run(summary: ImportSummary, seconds: number): ImportRun {
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    seconds: Math.round(seconds * 100) / 100,
    listings: summary.listings,
    images: summary.indexed,
    embedded: summary.embedded,
    failed: summary.failedCount,
    imagesPerSecond: r(summary.indexed / seconds),
    listingsPerSecond: r(summary.listings / seconds),
  };
}

/**
 * The bundled demo catalog imported into a temporary catalog with the default model, through the
 * same API handler (`catalog.loadDemo`) and validation the CLI, browser and desktop app use.
 */
export async function runImportBench(ctx: BenchContext): Promise<ImportBench> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-import-'));
  const services = new Services({ dbPath: path.join(dir, 'catalog.db') });
  try {
    const call = async () => {
      const t0 = performance.now();
      const summary = (await invoke(handlers, 'catalog.loadDemo', {}, { services, signal: ctx.signal, progress: () => undefined })) as ImportSummary;
      return run(summary, (performance.now() - t0) / 1000);
    };
    ctx.log('bench: import of the demo catalog ...');
    const first = await call();
    const again = await call();
    return { source: 'resources/demo-catalog (listings.csv + images/) via catalog.loadDemo', models: Object.keys(first.embedded), first, again };
  } finally {
    services.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export const importSection: BenchSection = {
  name: 'import',
  run: runImportBench,
  table(result) {
    const r = result as ImportBench;
    const row = (name: string, x: ImportRun) => [name, x.seconds.toFixed(2), String(x.listings), String(x.images), String(x.failed), x.imagesPerSecond.toFixed(1), x.listingsPerSecond.toFixed(1)];
    return [
      `${r.source}, model: ${r.models.join(', ') || 'none'}`,
      formatTable([['import', 'seconds', 'listings', 'images', 'failed', 'images/s', 'listings/s'], row('fresh catalog', r.first), row('again (unchanged)', r.again)]),
    ].join('\n');
  },
};

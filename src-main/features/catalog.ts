import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../shared/errors.js';
import type { CallContext, Handler } from '../features/context.js';
import type { ImportSummary } from '../api/schemas/catalog.js';
import { IngestInputError, type IngestOptions, ingest } from '../catalog/ingest.js';
import { settleDeadRuns } from '../catalog/ingest-writer.js';
import type { Embedder } from '../engine/types.js';
import { loadModel } from './common/load-model.js';
import { jobsOf } from './jobs/registry.js';
import { resourcesDir } from '../shared/paths.js';
import type { Services } from './services.js';

export const demoCatalogDir = () => path.join(resourcesDir, 'demo-catalog');

// Imports run as jobs of the backend (listed, watched and cancelled by any page): started with
// jobs.start they return at once; called directly (the CLI, a script) they run as a job the caller waits for.

export const catalogImport: Handler<'catalog.import'> = async (input, ctx) =>
  jobsOf(ctx.services).runInline('catalog.import', input, ctx, async (c) =>
    runImport(c, {
      paths: input.paths,
      listings: input.listings,
      embedders: await embeddersFor(c.services, input.models),
      maxPixels: input.maxMegapixels !== undefined ? Math.round(input.maxMegapixels * 1e6) : undefined,
    }),
  );

export const catalogLoadDemo: Handler<'catalog.loadDemo'> = async (input, ctx) =>
  jobsOf(ctx.services).runInline('catalog.loadDemo', input, ctx, async (c) => {
    const dir = demoCatalogDir();
    const listings = path.join(dir, 'listings.csv');
    if (!fs.existsSync(listings)) throw new AppError('unavailable', `the demo catalog is not installed (expected ${listings})`);
    return runImport(c, { paths: [path.join(dir, 'images')], listings, embedders: await embeddersFor(c.services, input.models) });
  });

/** Embeds the pending images (stored without vectors by a stopped import) of the given models, else of every model they wait for. */
export const catalogRepair: Handler<'catalog.repair'> = async (input, ctx) =>
  jobsOf(ctx.services).runInline('catalog.repair', input, ctx, async (c) => {
    const waiting = [...new Set(c.services.catalog.pendingByModel().map((p) => p.modelId))];
    const models = input.models ?? waiting;
    return runImport(c, { paths: [], embedders: models.length ? await embeddersFor(c.services, models) : [] });
  });

export const catalogStats: Handler<'catalog.stats'> = async (_input, { services }) => {
  const catalog = services.catalog;
  const tables = catalog.tableCounts();
  const pending = catalog.pendingByModel();
  const dbBytes = ['', '-wal'].reduce((sum, suffix) => sum + (fs.statSync(catalog.dbPath + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
  return {
    dbPath: catalog.dbPath,
    dbBytes,
    listings: tables.listings ?? 0,
    images: tables.images ?? 0,
    tables,
    models: catalog.embeddingModels(),
    pending,
    pendingImages: catalog.pendingImageCount(),
  };
};

export const catalogErrors: Handler<'catalog.errors'> = async (input, { services }) => {
  // A run whose process died (a crash, a kill) reads as interrupted, not as still running.
  try {
    settleDeadRuns(services.catalog);
  } catch {
    // A read-only catalog still lists its runs.
  }
  return { runs: services.catalog.recentRuns(input.runs, input.errorsPerRun) };
};

export const catalogListings: Handler<'catalog.listings'> = async (input, { services }) => {
  const catalog = services.catalog;
  if (input.ids) {
    const listings = catalog.listingsByIds(input.ids);
    const found = new Set(listings.map((l) => l.id));
    return { total: catalog.listingCount(), listings, notFound: input.ids.filter((id) => !found.has(id)) };
  }
  return { total: catalog.listingCount(), listings: catalog.listingsPage(input.offset, input.limit), notFound: [] };
};

export const catalogThumbnail: Handler<'catalog.thumbnail'> = async ({ sha256 }, { services }) => {
  const thumb = services.catalog.thumbnail(sha256);
  if (!thumb) throw new AppError('not_found', `no catalog image ${sha256.slice(0, 12)}…`);
  return thumb;
};

export const catalogImage: Handler<'catalog.image'> = async ({ sha256 }, { services }) => {
  const catalog = services.catalog;
  if (!catalog.hasImage(sha256)) throw new AppError('not_found', `no catalog image ${sha256.slice(0, 12)}…`);
  const original = await catalog.readOriginal(sha256);
  if (!original) throw new AppError('not_found', 'the original file is no longer on disk (moved, changed or deleted since import); re-import its folder');
  return original;
};

async function runImport(ctx: CallContext, options: Omit<IngestOptions, 'signal' | 'progress'>): Promise<ImportSummary> {
  try {
    return await ingest(ctx.services.catalog, { ...options, analyzers: ctx.services.imageAnalyzers, fileDelayMs: ctx.services.config.importDelayMs, signal: ctx.signal, progress: ctx.progress });
  } catch (err) {
    if (err instanceof IngestInputError) throw new AppError('bad_request', err.message);
    throw err;
  }
}

/** The requested models' embedders, or the default model's when none is named (load errors as every feature gives them). */
async function embeddersFor(services: Services, ids: string[] | undefined): Promise<Embedder[]> {
  const unique = [...new Set(ids ?? [])];
  if (unique.length === 0) return [await loadModel(services, undefined)];
  return Promise.all(unique.map((id) => loadModel(services, id)));
}

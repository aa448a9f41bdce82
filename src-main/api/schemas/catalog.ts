import { z } from 'zod';
import { method } from '../method.js';
import { Sha256 } from './common.js';

const ModelIds = z.array(z.string().min(1).max(200)).max(8).optional().describe('models to embed with; default: the default model');

const FileFailure = z.object({ path: z.string(), error: z.string() });

export const ImportSummary = z.object({
  runId: z.number(),
  indexed: z.number(),
  cached: z.number(),
  failed: z.array(FileFailure),
  failedCount: z.number(),
  missing: z.array(z.object({ listing: z.string(), where: z.string(), image: z.string(), reason: z.string() })),
  missingCount: z.number(),
  rowProblems: z.array(z.object({ where: z.string(), error: z.string(), skipped: z.boolean() })),
  /** Listing rows with a problem (bad price, repeated id, no title, ...) plus listing images not found. */
  problemCount: z.number(),
  listings: z.number(),
  /** Images an earlier cancelled or killed import stored without their vectors, embedded by this run. */
  repaired: z.number(),
  /** Images still waiting for a vector of the run's models (the model failed on them, or their file is gone). */
  pending: z.number(),
  filesSeen: z.number(),
  embedded: z.record(z.string(), z.number()),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof ImportSummary>;

export const ListingOut = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  category: z.string().nullable(),
  price: z.number().nullable(),
  seller: z.string().nullable(),
  url: z.string().nullable(),
  images: z.array(z.object({ sha256: z.string(), width: z.number(), height: z.number() })),
});
export type ListingOut = z.infer<typeof ListingOut>;

const Media = z.object({ mime: z.string(), bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes') });

export const catalogMethods = {
  'catalog.import': method({
    summary: 'Import folders, image files and a listing file (CSV, JSON, JSONL); only new or changed files are read, only unembedded images embedded.',
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).max(10_000).default([]),
        listings: z.string().min(1).max(4096).optional(),
        models: ModelIds,
        maxMegapixels: z.number().positive().max(1000).optional(),
      })
      .strict()
      .refine((v) => v.paths.length > 0 || v.listings !== undefined, { message: 'give at least one path or a listing file' }),
    output: ImportSummary,
  }),
  'catalog.loadDemo': method({
    summary: 'Import the bundled demo catalog (listings.csv and its images).',
    input: z.object({ models: ModelIds }).strict(),
    output: ImportSummary,
  }),
  'catalog.repair': method({
    summary: 'Embed the images an interrupted or cancelled import stored without their vectors (the pending images of catalog.stats).',
    input: z.object({ models: ModelIds }).strict(),
    output: ImportSummary,
  }),
  'catalog.stats': method({
    summary: 'Row counts per table and vectors per model in the catalog.',
    input: z.object({}).strict(),
    output: z.object({
      dbPath: z.string(),
      dbBytes: z.number(),
      listings: z.number(),
      images: z.number(),
      tables: z.record(z.string(), z.number()),
      models: z.array(z.object({ modelId: z.string(), revision: z.string(), dim: z.number(), count: z.number() })),
      /** Images stored without their vector of a model yet (a cancelled or killed import); the next import or a repair embeds them. */
      pending: z.array(z.object({ modelId: z.string(), revision: z.string(), count: z.number(), failed: z.number() })),
      pendingImages: z.number(),
    }),
  }),
  'catalog.errors': method({
    summary: 'Recent import runs with their per-file errors.',
    input: z.object({ runs: z.number().int().min(1).max(100).default(5), errorsPerRun: z.number().int().min(0).max(10_000).default(1000) }).strict(),
    output: z.object({
      runs: z.array(
        z.object({
          id: z.number(),
          startedAt: z.number(),
          finishedAt: z.number().nullable(),
          status: z.string(),
          inputs: z.unknown(),
          filesSeen: z.number(),
          indexed: z.number(),
          cached: z.number(),
          failed: z.number(),
          listings: z.number(),
          /** Listing rows with a problem plus listing images not found (not failed files). */
          problems: z.number(),
          message: z.string().nullable(),
          errors: z.array(FileFailure),
          errorCount: z.number(),
          problemList: z.array(FileFailure),
        }),
      ),
    }),
  }),
  'catalog.listings': method({
    summary: 'Listings by id (in the order asked), or a page of all listings in id order.',
    input: z
      .object({
        ids: z.array(z.string().max(1000)).max(10_000).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({ total: z.number(), listings: z.array(ListingOut), notFound: z.array(z.string()) }),
  }),
  'catalog.thumbnail': method({
    summary: 'The ~256 px WebP thumbnail of a catalog image.',
    input: z.object({ sha256: Sha256 }).strict(),
    output: Media,
  }),
  'catalog.image': method({
    summary: 'The original bytes of a catalog image (only images in the catalog, looked up by sha256).',
    input: z.object({ sha256: Sha256 }).strict(),
    output: Media,
  }),
};

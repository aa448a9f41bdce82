import { z } from 'zod';
import { method } from '../method.js';
import { Sha256 } from './common.js';

/** How an image is named in the UI: its listing's title, else its file name; and where it is. */
export const ImageLabel = { name: z.string(), path: z.string().nullable() };

const Facet = z.array(z.object({ value: z.string(), count: z.number() }));

export const imagesMethods = {
  'catalog.images': method({
    summary: 'A page of every catalog image, with or without a listing, in path order; filter by folder, listing, import run or text.',
    input: z
      .object({
        folder: z.string().max(4096).optional().describe('images with a file directly in this folder'),
        listing: z.enum(['any', 'with', 'without']).default('any'),
        run: z.number().int().min(1).optional().describe('images recorded by this import run'),
        text: z.string().max(500).optional().describe('part of the file path, listing title or listing id (case-insensitive)'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    output: z.object({
      total: z.number(),
      images: z.array(
        z.object({
          sha256: Sha256,
          ...ImageLabel,
          width: z.number(),
          height: z.number(),
          listings: z.array(z.object({ id: z.string(), title: z.string() })),
          listingCount: z.number(),
        }),
      ),
    }),
  }),
  'catalog.facets': method({
    summary: 'What the catalog can be filtered by: folders and import runs (image counts), categories and sellers (listing counts, case folded).',
    input: z.object({}).strict(),
    output: z.object({
      total: z.number(),
      withListing: z.number(),
      folders: z.array(z.object({ folder: z.string(), count: z.number() })),
      runs: z.array(z.object({ id: z.number(), startedAt: z.number(), status: z.string(), inputs: z.unknown(), count: z.number() })),
      categories: Facet,
      sellers: Facet,
    }),
  }),
};

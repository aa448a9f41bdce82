import { z } from 'zod';
import { method } from '../method.js';
import { ImageRef, Sha256 } from './common.js';
import { MAX_K } from '../limits.js';

export const SearchFilter = z
  .object({
    /** Case-insensitive. */
    category: z.string().min(1).max(200).optional(),
    /** Case-insensitive. */
    seller: z.string().min(1).max(200).optional(),
    priceMin: z.number().finite().optional(),
    priceMax: z.number().finite().optional(),
  })
  .strict()
  .refine((f) => f.priceMin === undefined || f.priceMax === undefined || f.priceMin <= f.priceMax, { message: 'priceMin is above priceMax' });
export type SearchFilter = z.infer<typeof SearchFilter>;

/** Qdrant connection; omitted fields come from QDRANT_URL / QDRANT_API_KEY. */
const QdrantConnection = z
  .object({ url: z.string().min(1).max(2048).optional(), apiKey: z.string().min(1).max(4096).optional() })
  .strict()
  .optional();

export const SearchListing = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  title: z.string(),
  category: z.string().nullable(),
  price: z.number().nullable(),
  seller: z.string().nullable(),
});

export const SearchResult = z.object({
  sha256: Sha256,
  /** A file holding the image (the UI shows /media/thumb/<sha256>). */
  image: z.string().nullable(),
  /** Cosine similarity to the query vector. */
  score: z.number(),
  /** The first listing (by id) showing this image that passes the filter; null for an image no listing uses. */
  listing: SearchListing.nullable(),
  /** Every listing showing this image that passes the filter (one result per image, see docs/SEARCH.md). */
  listings: z.array(SearchListing),
  /** Display name: the first listing's title, else the file name (never a bare hash when a file is known). */
  name: z.string(),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** A result with the near-identical copies stacked under it (`stack: true`), best first. */
export const StackedResult = SearchResult.extend({ copies: z.array(SearchResult) });

/** How well the best results match a text query; null for photo queries (see index/match-strength.ts). */
export const MatchStrength = z.object({
  /** probability: SigLIP's calibrated probability; relative: CLIP's share against the catalog's categories. */
  kind: z.enum(['probability', 'relative']),
  best: z.number(),
  threshold: z.number(),
  /** Nothing in the results matches the text well. */
  weak: z.boolean(),
});

const ModelRow = z.object({ model: z.string(), revision: z.string(), vector: z.string(), local: z.number(), pushed: z.number() });

export const searchMethods = {
  'search.query': method({
    summary: 'Images most similar to a photo, a text, or a photo plus a text ("this dress but in red"), with listing filters.',
    input: z
      .object({
        image: ImageRef.optional(),
        text: z.string().trim().min(1, 'text is empty').max(2000).optional(),
        /** Weight of the text when both are given: query = normalise((1-w)·image + w·text). */
        textWeight: z.number().min(0).max(1).default(0.5),
        model: z.string().min(1).max(200).optional(),
        k: z.number().int().min(1).max(MAX_K).default(20),
        filter: SearchFilter.optional(),
        store: z.enum(['local', 'qdrant']).default('local'),
        qdrant: QdrantConnection,
        /** Stack near-identical copies of a photo into one result ("+N copies"); k counts stacks. */
        stack: z.boolean().default(true),
      })
      .strict()
      .refine((v) => v.image !== undefined || v.text !== undefined, { message: 'give an image, a text, or both' }),
    output: z.object({
      model: z.string(),
      store: z.enum(['local', 'qdrant']),
      /** How the store searched: exact scan, HNSW index, or the Qdrant server. */
      method: z.enum(['exact', 'ann', 'qdrant']),
      /** Vectors in the store searched. */
      searched: z.number(),
      /** Milliseconds for embedding the query plus the search (not the first load of the index). */
      ms: z.number(),
      /** Whether copies were stacked (results then carry `copies`). */
      stacked: z.boolean(),
      match: MatchStrength.nullable(),
      results: z.array(StackedResult),
    }),
  }),
  'search.qdrantStatus': method({
    summary: 'Is Qdrant configured and reachable, and how many vectors of each model are pushed to it.',
    input: z.object({ qdrant: QdrantConnection }).strict(),
    output: z.object({
      configured: z.boolean(),
      url: z.string().nullable(),
      reachable: z.boolean(),
      version: z.string().nullable(),
      collection: z.string(),
      collectionExists: z.boolean(),
      points: z.number().nullable(),
      vectors: z.array(z.string()),
      /** One line when not configured or unreachable; null when all is well. */
      error: z.string().nullable(),
      models: z.array(ModelRow),
    }),
  }),
  'search.qdrantPush': method({
    summary: 'Push a model\'s cached vectors and listing fields to Qdrant; resumes where an interrupted push stopped.',
    input: z
      .object({
        model: z.string().min(1).max(200).optional(),
        qdrant: QdrantConnection,
        recreate: z.boolean().default(false),
        // 1024 x 1152-d vectors as JSON stay under Qdrant's default 32 MB request limit.
        batchSize: z.number().int().min(1).max(1024).default(256),
      })
      .strict(),
    output: z.object({
      model: z.string(),
      revision: z.string(),
      collection: z.string(),
      vector: z.string(),
      total: z.number(),
      pushed: z.number(),
      alreadyPushed: z.number(),
      seconds: z.number(),
    }),
  }),
};

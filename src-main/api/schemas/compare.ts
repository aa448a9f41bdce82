import { z } from 'zod';
import { method } from '../method.js';
import { ImageRef } from './common.js';
import { ModelRef } from './models.js';

const ModelId = z.string().min(1).max(200);
/** Two different packs; default: a CLIP one and a SigLIP one. */
const ModelPair = z
  .array(ModelId)
  .length(2, 'give exactly two model ids to compare')
  .refine((m) => m[0] !== m[1], 'the two models must differ')
  .optional()
  .describe('the two pack ids to compare; default: the first CLIP pack and the first SigLIP pack');

const Filter = z
  .object({
    category: z.string().max(500).optional(),
    seller: z.string().max(500).optional(),
    priceMin: z.number().optional(),
    priceMax: z.number().optional(),
  })
  .strict();

export const CompareHit = z.object({
  rank: z.number(),
  listing: z.string().nullable(),
  sha256: z.string(),
  title: z.string().nullable(),
  category: z.string().nullable(),
  price: z.number().nullable(),
  seller: z.string().nullable(),
  /** Cosine similarity of query and image for this model (not comparable across models). */
  score: z.number(),
  /** SigLIP, text queries: sigmoid(scale*cos+bias), the probability the photo matches the text. */
  probability: z.number().nullable(),
  /** The other model did not return this item in its top k. */
  onlyHere: z.boolean(),
});

export const CompareRun = z.object({
  model: ModelRef,
  /** Query time: embedding the query and searching (model load excluded, see loadMs). */
  ms: z.number(),
  /** Time to get the pack in this call (loading it, or a few ms of lookup when already loaded). */
  loadMs: z.number(),
  items: z.array(CompareHit),
});

/** One row per item of the union of both lists: where each model ranked it (null: not in its top k). */
export const AlignedRow = z.object({
  key: z.string(),
  listing: z.string().nullable(),
  sha256: z.string(),
  title: z.string().nullable(),
  ranks: z.tuple([z.number().nullable(), z.number().nullable()]),
  scores: z.tuple([z.number().nullable(), z.number().nullable()]),
  foundBy: z.enum(['both', 'first', 'second']),
});

export const LabelScore = z.object({ label: z.string(), score: z.number() });

export const LabelRun = z.object({
  model: ModelRef,
  /** softmax: CLIP, scores sum to 1 over these labels; sigmoid: SigLIP, an independent probability per label. */
  kind: z.enum(['softmax', 'sigmoid']),
  ms: z.number(),
  /** In the order of `labels`. */
  scores: z.array(LabelScore),
  /** Index into labels of the best-scoring one. */
  best: z.number(),
});

export const CatalogPairRow = z.object({
  a: z.string(),
  b: z.string(),
  aListings: z.array(z.string()),
  bListings: z.array(z.string()),
  foundBy: z.enum(['both', 'first', 'second']),
});

export const CatalogMismatchRow = z.object({
  listing: z.string(),
  title: z.string(),
  sha256: z.string(),
  foundBy: z.enum(['both', 'first', 'second']),
  /** Each model's score: a probability (SigLIP) or a relative score (CLIP). */
  scores: z.tuple([z.number().nullable(), z.number().nullable()]),
});

const Counts = z.object({ first: z.number(), second: z.number(), both: z.number(), onlyFirst: z.number(), onlySecond: z.number() });

export const compareMethods = {
  'compare.query': method({
    summary: 'One image and/or text query on two packs: both top-k lists aligned, per-model scores, latency and provider, overlap@k and rank correlation.',
    input: z
      .object({
        image: ImageRef.optional(),
        text: z.string().trim().min(1).max(2000).optional(),
        models: ModelPair,
        k: z.number().int().min(1).max(200).default(10),
        filter: Filter.optional(),
      })
      .strict()
      .refine((q) => q.image !== undefined || q.text !== undefined, 'give an image, a text, or both'),
    output: z.object({
      models: z.tuple([z.string(), z.string()]),
      mode: z.enum(['image', 'text', 'both']),
      k: z.number(),
      runs: z.tuple([CompareRun, CompareRun]),
      aligned: z.array(AlignedRow),
      /** Jaccard overlap of the two top-k sets, |A∩B| / |A∪B|. */
      overlapAtK: z.number(),
      /** Spearman's rho over the union; an item missing from one list is ranked tied-last there. Null when undefined. */
      rankCorrelation: z.number().nullable(),
      rankCorrelationMethod: z.literal('spearman-union-tied-last'),
    }),
  }),
  'compare.labels': method({
    summary: "Zero-shot labels for one image on two packs: CLIP's softmax distribution next to SigLIP's independent sigmoid probabilities.",
    input: z
      .object({
        image: ImageRef,
        labels: z.array(z.string().trim().min(1).max(500)).max(200).default([]),
        useCategories: z.boolean().default(false).describe("add the catalog's categories to the labels"),
        template: z
          .string()
          .max(500)
          .refine((t) => t.includes('{label}'), 'the template must contain {label}')
          .optional()
          .describe('prompt around each label, e.g. "a photo of a {label}"; default: the label as typed'),
        models: ModelPair,
      })
      .strict(),
    output: z.object({
      models: z.tuple([z.string(), z.string()]),
      labels: z.array(z.string()),
      runs: z.tuple([LabelRun, LabelRun]),
    }),
  }),
  'compare.catalog': method({
    summary: 'Catalog-level comparison: which near-duplicate pairs and which image/title mismatches each model catches that the other misses.',
    input: z
      .object({
        models: ModelPair,
        tier: z.enum(['near', 'similar']).default('near').describe("the duplicates feature's tier both models are grouped at"),
        threshold: z.number().min(0).max(1).optional().describe("the tier's cosine threshold, the same for both models; default: the duplicates feature's"),
        mismatchBelow: z.number().min(0).max(1).default(0.5).describe('SigLIP: a mismatch is caught when the probability is below this'),
        limit: z.number().int().min(0).max(10_000).default(200).describe('rows listed per section (counts cover all)'),
      })
      .strict(),
    output: z.object({
      models: z.tuple([ModelRef, ModelRef]),
      duplicates: z.object({ tier: z.enum(['near', 'similar']), thresholds: z.tuple([z.number().nullable(), z.number().nullable()]), counts: Counts, pairs: z.array(CatalogPairRow) }),
      mismatches: z.object({
        /** How each model's "catch" was decided, in English (the UI may word it from `kind`). */
        rules: z.tuple([z.string(), z.string()]),
        counts: Counts,
        items: z.array(CatalogMismatchRow),
      }),
    }),
  }),
};

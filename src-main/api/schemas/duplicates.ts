import { z } from 'zod';
import { method } from '../method.js';
import { Sha256 } from './common.js';

export const DuplicateTier = z.enum(['exact', 'near', 'similar']);
export type DuplicateTier = z.infer<typeof DuplicateTier>;

export const PairDecision = z.enum(['duplicate', 'not_duplicate']);

/** What decides the groups; every field optional, defaults in features/duplicates/tiers.ts. */
const GroupingSettings = {
  tier: DuplicateTier.default('near').describe('exact: same bytes or pixels; near: the same photo after edits; similar: same-looking product, another photo'),
  threshold: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('cosine threshold of the tier (near: with a close hash; similar: alone); not used by exact'),
  maxHashDistance: z.number().int().min(0).max(64).optional().describe('near tier: largest pHash distance (bits of 64) that counts with a close cosine'),
  mirror: z.boolean().default(false).describe('count left-right mirrored copies as the same photo'),
  model: z.string().min(1).max(200).optional().describe('model whose embeddings to use; default: the default model'),
};

export const DuplicateListing = z.object({
  id: z.string(),
  title: z.string(),
  seller: z.string().nullable(),
  sku: z.string().nullable(),
  price: z.number().nullable(),
  category: z.string().nullable(),
  url: z.string().nullable(),
});

export const DuplicateImage = z.object({
  sha256: z.string(),
  /** Files on disk holding this content. */
  paths: z.array(z.string()),
  listings: z.array(DuplicateListing),
  /** The group's centre: every other member was matched against it. */
  centre: z.boolean(),
  /** The user marked this image as the one to keep. */
  keep: z.boolean(),
});

export const PairEvidence = z.object({
  a: z.string(),
  b: z.string(),
  /** How this pair classifies at the current settings (null: below every tier). */
  tier: DuplicateTier.nullable(),
  /** pHash distance in bits (0..64), whole frame or trimmed, mirrored too when `mirror` is on. */
  hashDistance: z.number(),
  /** pHash distance of one image to the closest sub-region (80-100% per axis) of the other: small for crops. */
  cropHashDistance: z.number(),
  /**
   * Crop alignment: normalised correlation (up to 1) of one image placed as a crop (80-100 % per
   * axis, less than the whole frame) inside the other, colours agreeing there; null when the pair
   * was not searched (low cosine, or whole frames already alike) or no such placement exists.
   */
  alignment: z.number().nullable(),
  /** Embedding cosine; null when an image has no vector for the model. */
  cosine: z.number().nullable(),
  /**
   * Whole-frame capture check: grey correlation (up to 1) of the two frames laid on each other (or
   * the padded content where the padding puts it); a second shot from another viewpoint stays
   * below the near bar. Null when the pair was not checked (low cosine and far hashes).
   */
  frame: z.number().nullable(),
  /**
   * Colour distance (chroma-weighted hue difference in OKLab, degrees: 0 same colours, ~the hue
   * rotation for a recoloured copy) where the frames or the crop line up; null when either image
   * is colourless (a greyscale copy) or nothing lines up.
   */
  colourDistance: z.number().nullable(),
  /** The same photo in another colour: the capture lines up but the colours disagree (so not near). */
  otherColour: z.boolean(),
  decision: PairDecision.nullable(),
});

export const DuplicateGroup = z.object({
  id: z.number(),
  /** Occurrences: listings showing one of the images, or files when there are no listings. */
  size: z.number(),
  sellers: z.number(),
  /** Centre first. */
  images: z.array(DuplicateImage),
  /** Every pair inside the group (centre pairs first); up to 20 images, else centre pairs only. */
  pairs: z.array(PairEvidence),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroup>;

/** Why results may be incomplete, as a code (with its figures) for the UI to word in its language; `message` is English for the CLI and logs. */
export const DuplicatesWarning = z.object({
  code: z.enum(['hashes_only', 'missing_vectors', 'no_listings', 'no_similar']),
  message: z.string(),
  /** missing_vectors: images without a vector of `model`, of `total`. */
  count: z.number().optional(),
  total: z.number().optional(),
  model: z.string().optional(),
});
export type DuplicatesWarning = z.infer<typeof DuplicatesWarning>;

export const AppliedSettings = z.object({
  tier: DuplicateTier,
  /** Near: cosine with a close hash; similar: cosine alone; exact: null. */
  threshold: z.number().nullable(),
  maxHashDistance: z.number(),
  hashAlone: z.number(),
  cropCosine: z.number(),
  maxCropHashDistance: z.number(),
  /** Near by crop alignment: cosine at least alignCosine and alignment at least minAlignment. */
  alignCosine: z.number(),
  minAlignment: z.number(),
  /** Every near pair also needs the whole frames to correlate at least minFrame, or a crop alignment. */
  minFrame: z.number(),
  /** ... and a colour distance at most this (degrees of hue) there. */
  maxColourDistance: z.number(),
  similarThreshold: z.number(),
  mirror: z.boolean(),
  model: z.object({ id: z.string(), revision: z.string() }).nullable(),
});

export const FindOutput = z.object({
  settings: AppliedSettings,
  totalGroups: z.number(),
  groups: z.array(DuplicateGroup),
  stats: z.object({
    images: z.number(),
    withVectors: z.number(),
    candidatePairs: z.number(),
    neighboursPerImage: z.number(),
    /** Time to build the candidate graph in this call (0 when the cached one was used). */
    graphMs: z.number(),
    /** Where the candidate graph came from: built by this call, kept in memory (an earlier call or the preparation job), or read from the catalog. */
    graph: z.enum(['built', 'memory', 'stored']),
    groupMs: z.number(),
  }),
  /** Why results may be incomplete, e.g. no embeddings for the model (hash signal only). */
  warnings: z.array(DuplicatesWarning),
});
export type FindOutput = z.infer<typeof FindOutput>;

const DecideInput = z.union([
  z.object({ a: Sha256, b: Sha256, decision: z.union([PairDecision, z.literal('clear')]) }).strict(),
  z
    .object({
      pairs: z
        .array(z.object({ a: Sha256, b: Sha256, decision: z.union([PairDecision, z.literal('clear')]) }).strict())
        .min(1)
        .max(10_000),
    })
    .strict(),
  z
    .object({
      group: z
        .object({
          keep: Sha256.describe('the image to keep'),
          duplicates: z.array(Sha256).max(10_000).default([]).describe('marked duplicates of the kept image'),
          notDuplicates: z.array(Sha256).max(10_000).default([]).describe('marked not duplicates of the kept image: never grouped with it again'),
        })
        .strict(),
    })
    .strict(),
  z.object({ unkeep: Sha256 }).strict(),
]);

const DecisionsOutput = z.object({
  pairs: z.array(
    z.object({ a: z.string(), b: z.string(), decision: PairDecision, decidedAt: z.number(), aPaths: z.array(z.string()), bPaths: z.array(z.string()) }),
  ),
  keeps: z.array(z.object({ sha256: z.string(), decidedAt: z.number(), paths: z.array(z.string()) })),
});

/** A listing as the listing-level views show it: its fields, where it came from, and how many photos it has. */
export const ListingSummary = DuplicateListing.extend({
  /** The listing file it was imported from (the "source" that --against names). */
  source: z.string().nullable(),
  /** Photos the listing shows. */
  photos: z.number(),
});

export const ListingView = z.enum(['all', 'merge', 'copied']);

export const SharedPhoto = z.object({
  /** The photo (a near group of images): its images, each with the listings (ids) that show it. */
  images: z.array(z.object({ sha256: z.string(), paths: z.array(z.string()), listings: z.array(z.string()) })),
  /** Listings (ids) of the group that show this photo. */
  listings: z.array(z.string()),
  /** Sellers of those listings (distinct, named ones). */
  sellers: z.array(z.string()),
  /** Evidence between the photo's first image and each other one (empty: one image, the same bytes under several listings). */
  pairs: z.array(PairEvidence),
});

export const ListingGroup = z.object({
  id: z.number(),
  /** same_seller: one seller re-listing (merge them); different_sellers: the same photo under several sellers (copied photos). */
  kind: z.enum(['same_seller', 'different_sellers']),
  /** Listings in the group. */
  size: z.number(),
  sellers: z.number(),
  sellerNames: z.array(z.string()),
  listings: z.array(ListingSummary.extend({ sharedPhotos: z.number() })),
  /** The photos that tie the listings together, most listings first. */
  photos: z.array(SharedPhoto),
});
export type ListingGroup = z.infer<typeof ListingGroup>;

export const ListingsOutput = z.object({
  settings: AppliedSettings,
  view: ListingView,
  totalGroups: z.number(),
  groups: z.array(ListingGroup),
  stats: z.object({ listings: z.number(), listingsInGroups: z.number(), photoGroups: z.number() }),
  warnings: z.array(DuplicatesWarning),
});
export type ListingsOutput = z.infer<typeof ListingsOutput>;

export const AgainstMatch = z.object({
  listing: ListingSummary,
  /** exact / near: the same photo (best pair below); similar: the same-looking product in another photo. */
  tier: DuplicateTier,
  /** Cosine of the best pair of photos (null without embeddings). */
  score: z.number().nullable(),
  /** The best pair of photos: a from the listing of A, b from this listing of B. */
  pair: PairEvidence,
});

export const AgainstOutput = z.object({
  settings: AppliedSettings,
  /** The source matched against (B) and what the rest of the catalog (A) holds. */
  source: z.string(),
  listingsA: z.number(),
  listingsB: z.number(),
  /** Listings of A with at least one near (or exact) match in B, and with only similar ones. */
  withNear: z.number(),
  withSimilarOnly: z.number(),
  totalRows: z.number(),
  rows: z.array(
    z.object({
      listing: ListingSummary,
      near: z.array(AgainstMatch),
      similar: z.array(AgainstMatch),
    }),
  ),
  warnings: z.array(DuplicatesWarning),
});
export type AgainstOutput = z.infer<typeof AgainstOutput>;

const Source = z.string().min(1).max(4096).describe('the source to match against: a listing file as imported (path, file name, or file name without extension)');

const Histogram = z.object({ edges: z.array(z.number()), counts: z.array(z.number()) });

export const duplicatesMethods = {
  'duplicates.find': method({
    summary: 'Groups of duplicate (exact, near) or similar images with per-pair evidence, listing fields and decisions; the largest, most-sellers groups first.',
    input: z
      .object({
        ...GroupingSettings,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(500),
        sort: z.enum(['size', 'sellers']).default('size').describe('size: occurrences then sellers; sellers: sellers then occurrences'),
      })
      .strict(),
    output: FindOutput,
  }),
  'duplicates.decide': method({
    summary: 'Record verdicts: a pair duplicate / not_duplicate / clear, several pairs, or a whole group (keep one, the rest duplicates or not).',
    input: DecideInput,
    output: z.object({ pairs: z.number(), keeps: z.number() }),
  }),
  'duplicates.decisions': method({
    summary: 'Every recorded verdict, oldest first.',
    input: z.object({}).strict(),
    output: DecisionsOutput,
  }),
  'duplicates.export': method({
    summary: 'Groups (at the given settings) or the recorded decisions as CSV or JSON text.',
    input: z
      .object({
        ...GroupingSettings,
        format: z.enum(['csv', 'json']).default('csv'),
        what: z
          .enum(['groups', 'decisions', 'listings', 'against'])
          .default('groups')
          .describe('groups: image groups; listings: listing groups (view); against: matches of every listing against `source`; decisions'),
        view: ListingView.default('all'),
        source: Source.optional(),
      })
      .strict(),
    output: z.object({ format: z.enum(['csv', 'json']), mime: z.string(), filename: z.string(), text: z.string(), rows: z.number() }),
  }),
  'duplicates.listings': method({
    summary:
      'Listing-level duplicates: listings tied together by near-duplicate (or identical) photos, with the shared photos as evidence and the seller of each; view merge (one seller re-listing), copied (the same photo under several sellers) or all.',
    input: z
      .object({
        ...GroupingSettings,
        tier: z.enum(['exact', 'near']).default('near').describe('which photos count as the same: exact bytes/pixels, or near (after edits)'),
        view: ListingView.default('all'),
        sort: z.enum(['sellers', 'listings']).default('sellers').describe('sellers: most sellers first (copied photos); listings: largest groups first'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(500),
      })
      .strict(),
    output: ListingsOutput,
  }),
  'duplicates.against': method({
    summary: 'Cross-catalog matching: for each listing of the catalog (A) its near duplicates and similar products among the listings of another imported source (B), with scores and evidence.',
    input: z
      .object({
        source: Source,
        threshold: z.number().min(0).max(1).optional().describe('cosine for "similar" matches (default: the similar tier\'s)'),
        mirror: z.boolean().default(false),
        model: z.string().min(1).max(200).optional(),
        similarPerListing: z.number().int().min(0).max(100).default(5).describe('similar matches kept per listing of A, best first'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(100_000).default(500),
      })
      .strict(),
    output: AgainstOutput,
  }),
  'duplicates.sources': method({
    summary: 'The sources (imported listing files) of the catalog with their listing counts, for choosing what to match against.',
    input: z.object({}).strict(),
    output: z.object({ sources: z.array(z.object({ source: z.string(), name: z.string(), listings: z.number() })) }),
  }),
  'duplicates.prepare': method({
    summary:
      'Prepare the first Duplicates visit: hash the images that have no perceptual hashes yet (catalogs imported before hashes were computed at import), then build and keep the candidate graph of the model. Runs as a job after each import and when a page finds images without hashes; duplicates.find does the same work itself when it has not run.',
    input: z.object({ model: z.string().min(1).max(200).optional().describe('model whose embeddings to use; default: the default model') }).strict(),
    output: z.object({
      images: z.number(),
      /** Images hashed by this run. */
      hashed: z.number(),
      candidatePairs: z.number(),
      /** Pairs whose evidence came from the graph built before (only new pairs are measured after an import). */
      reusedPairs: z.number(),
      graph: z.enum(['built', 'memory', 'stored']),
    }),
  }),
  'duplicates.distribution': method({
    summary: 'Histograms of candidate-pair cosines and hash distances, overall and for pairs in each tier at the given settings (for the threshold chart).',
    input: z.object({ ...GroupingSettings, bins: z.number().int().min(5).max(200).default(40) }).strict(),
    output: z.object({
      settings: AppliedSettings,
      pairs: z.number(),
      cosine: z.object({ all: Histogram, exact: Histogram, near: Histogram, similar: Histogram }),
      hashDistance: z.object({ all: Histogram, exact: Histogram, near: Histogram, similar: Histogram }),
    }),
  }),
};

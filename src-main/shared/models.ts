import type { FamilyName } from './families.js';

// The shapes of a model pack's listing that the engine produces and the contract carries (api/schemas/models.ts
// checks its zod schemas against these), defined once below both.

/**
 * How far a weight variant (8-bit, ...) of a pack is from its fp32 towers on a sample of the
 * user's own catalog, and how much faster it is: the figures the Models page and `lookalike models
 * measure` show before anyone switches.
 */
export interface VariantMeasurement {
  pack: string;
  variant: string;
  reference: 'fp32';
  measuredAt: string;
  images: number;
  texts: number;
  /** Cosine of each image's (text's) vector with its fp32 vector. */
  imageCosine: { min: number; mean: number };
  textCosine: { min: number; mean: number };
  /**
   * Share of the fp32 top-10 found again by the variant: titles searching the sampled images
   * (text search) and each sampled image searching the others (similar-image search).
   */
  textSearchTop10: { mean: number; min: number };
  imageSearchTop10: { mean: number; min: number };
  /** Image pairs at or above the near-duplicate cosine: with fp32, those the variant keeps, and new ones. */
  duplicatePairs: { threshold: number; fp32: number; kept: number; added: number };
  /** Items per second through each variant (files to vectors for images), same threads, one after the other. */
  speed: { fp32Images: number; variantImages: number; fp32Texts: number; variantTexts: number; imageSpeedup: number; textSpeedup: number };
  /** Whether the figures support switching: faster, and search and duplicates hardly change. */
  recommended: boolean;
  /** One line for people: the figures that decided `recommended`. */
  summary: string;
}

export type PackSource = 'installed' | 'bundled' | 'extra';

/** One row of the Models page / `lookalike models list`. */
export interface ModelListing {
  id: string;
  name: string;
  family: FamilyName | null;
  dim: number | null;
  variants: string[];
  /** The variant a session loads: the configured one (LOOKALIKE_VARIANT), else the one chosen for this pack, else the best installed. */
  variant: string | null;
  /** The variant chosen for this pack (setVariant), remembered across starts; null: automatic. */
  chosenVariant: string | null;
  /** The latest drift/speed measurement of each non-fp32 variant on this catalog (measureVariant). */
  measurements: VariantMeasurement[];
  sizeBytes: number;
  demo: boolean;
  source: PackSource;
  path: string;
  status: 'ok' | 'broken';
  error: string | null;
  isDefault: boolean;
}

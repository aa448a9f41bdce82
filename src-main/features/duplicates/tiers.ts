/**
 * Which tier a pair of images falls in, from two independent signals: the perceptual hash
 * distance (pixels: robust to re-encoding, resizing, tone changes, padding; defeated by larger
 * crops) and the embedding cosine (content: robust to every edit, but also high for the same
 * product in a different photo). Neither alone separates "same photo" from "same product":
 * the near tier asks for both to agree (whole-frame hash, or a sub-region hash for crops), or
 * for the hashes alone to be nearly identical.
 * The defaults were calibrated with tools/bench-duplicates-quality.ts (see docs/DUPLICATES.md).
 */
export type Tier = 'exact' | 'near' | 'similar';

export interface NearRule {
  /** Near when cosine >= cosine AND hash distance <= hash ... */
  cosine: number;
  hash: number;
  /** ... or when cosine >= cropCosine AND one image hashes like a sub-region of the other (crop) ... */
  cropCosine: number;
  cropHash: number;
  /** ... or when cosine >= alignCosine AND one image aligns inside the other as a crop with correlation >= alignScore ... */
  alignCosine: number;
  alignScore: number;
  /** ... or when the hashes alone are this close (pixels nearly identical). */
  hashAlone: number;
}

export interface TierSettings {
  near: NearRule;
  /** Similar (same-looking product, another photo): cosine at least this, and not near. */
  similarCosine: number;
  /** Count a left-right mirrored copy as the same photo. */
  mirror: boolean;
  /**
   * Two members of one group must not be clearly unrelated: their cosine is at least this, or
   * their hashes are within the near rule (or the user marked them duplicates). Below that, a
   * chain through the centre would be joining two different things.
   */
  relatedCosine: number;
}

/*
 * There is deliberately no "cosine alone" branch: on the benchmark the demo models give cosines
 * of 0.998-1.0 to different photos (real photos are outside their training domain and collapse
 * together), so no cosine by itself marks "the same photo".
 */
export const DEFAULT_NEAR: NearRule = { cosine: 0.95, hash: 10, cropCosine: 0.97, cropHash: 2, alignCosine: 0.95, alignScore: 0.99, hashAlone: 2 };
export const DEFAULT_SIMILAR_COSINE = 0.85;
export const DEFAULT_RELATED_COSINE = 0.4;

export function defaultTierSettings(): TierSettings {
  return { near: { ...DEFAULT_NEAR }, similarCosine: DEFAULT_SIMILAR_COSINE, mirror: false, relatedCosine: DEFAULT_RELATED_COSINE };
}

export interface PairSignals {
  /** Same bytes or same decoded pixels. */
  exact: boolean;
  /** Cosine of the two embeddings; NaN when either image has none for the model. */
  cosine: number;
  /** pHash distance (0..64), whole frame or trimmed, whichever is closer. */
  hash: number;
  /** The same, also trying one image mirrored. */
  hashMirror: number;
  /** Whole frame of one against sub-regions of the other (see graph.ts cropDistance). */
  crop: number;
  /** Correlation of one image placed as a crop inside the other (see graph.ts alignmentOf); NaN when none. */
  align: number;
}

export function classifyPair(s: PairSignals, t: TierSettings): Tier | null {
  if (s.exact) return 'exact';
  const h = t.mirror ? Math.min(s.hash, s.hashMirror) : s.hash;
  const c = s.cosine;
  const hasCosine = !Number.isNaN(c);
  if (h <= t.near.hashAlone) return 'near';
  if (hasCosine && ((c >= t.near.cosine && h <= t.near.hash) || (c >= t.near.cropCosine && s.crop <= t.near.cropHash))) return 'near';
  if (hasCosine && c >= t.near.alignCosine && s.align >= t.near.alignScore) return 'near';
  if (hasCosine && c >= t.similarCosine) return 'similar';
  return null;
}

/** Ranking of a pair inside its tier (higher = surer), used to pick group centres. */
export function pairStrength(s: PairSignals, mirror: boolean): number {
  const h = mirror ? Math.min(s.hash, s.hashMirror) : s.hash;
  return (s.exact ? 2 : 0) + (Number.isNaN(s.cosine) ? 0 : s.cosine) + (1 - h / 64);
}

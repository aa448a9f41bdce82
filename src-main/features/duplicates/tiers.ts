/**
 * Which tier a pair of images falls in, from two independent signals: the perceptual hash
 * distance (pixels: robust to re-encoding, resizing, tone changes, padding; defeated by larger
 * crops) and the embedding cosine (content: robust to every edit, but also high for the same
 * product in a different photo). Neither alone separates "same photo" from "same product":
 * the near tier asks for both to agree (whole-frame hash, or a sub-region hash for crops), or
 * for the hashes alone to be nearly identical.
 * The defaults were calibrated with `lookalike bench --only duplicates-quality` (see docs/DUPLICATES.md).
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
  /**
   * ... or when cosine >= tightCropCosine AND the crop aligns at >= tightCropScore: the demo models
   * see a tighter framing (a crop of ~80 %) as other content (true crops at cosine 0.79-0.93), so a
   * weaker embedding agreement is accepted with stronger pixel evidence.
   */
  tightCropCosine: number;
  tightCropScore: number;
  /** ... or when the hashes alone are this close (pixels nearly identical) ... */
  hashAlone: number;
  /**
   * ... and, when neither image has colour, the cosine (if any) is at least this: a greyscale copy
   * explains a low cosine only when one image lost its colours. Two grey pictures the model does
   * not see as alike are other products with the same outline: a plain, a polka-dot and a striped
   * grey bag share a pHash and a 32x32 frame, the pattern is finer than both.
   */
  greyCosine: number;
  /**
   * And in every case, evidence of the same capture: the whole frames (or the padded content)
   * correlate at least this much laid on each other, or one aligns as a crop (alignScore). A
   * second shot from a nearby viewpoint passes the hashes and the cosine but not this.
   */
  frame: number;
  /**
   * The frame bar when either image is colourless: a greyscale copy's grey levels come from its
   * tool's own luminance formula (not ours), so they correlate less with ours on saturated colours.
   */
  frameGrey: number;
  /**
   * And no more than this many 8x8 blocks of the 32x32 frames line up better shifted by a pixel
   * than where the rest lines up (alignment.ts movedBlocks): an edited photo moves nowhere, a
   * second shot from a moved camera moves near and far things apart.
   */
  moved: number;
  /** And the colours agree where the frames were laid on each other: colour distance (degrees of hue) at most this; a greyscale copy is not contradicted. */
  colour: number;
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

export const DEFAULT_SIMILAR_COSINE = 0.85;
/*
 * There is deliberately no "cosine alone" branch: on the benchmark the demo models give cosines
 * of 0.998-1.0 to different photos (real photos are outside their training domain and collapse
 * together), so no cosine by itself marks "the same photo". Two grey pictures need at least the
 * similar tier's cosine to be near on their hashes alone (greyCosine).
 */
export const DEFAULT_NEAR: NearRule = { cosine: 0.95, hash: 10, cropCosine: 0.97, cropHash: 2, alignCosine: 0.93, alignScore: 0.98, tightCropCosine: 0.85, tightCropScore: 0.99, hashAlone: 4, greyCosine: DEFAULT_SIMILAR_COSINE, frame: 0.95, frameGrey: 0.9, moved: 0, colour: 20 };
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
  /** Colour distance at that crop placement (degrees); NaN when either image is colourless or there is no placement. */
  alignColour: number;
  /** Blocks that moved at that placement (0 when none). */
  alignMoved: number;
  /** Whole-frame grey correlation (graph.ts frameOf) and the colour distance there; NaN when not computed / colourless. */
  frame: number;
  frameColour: number;
  frameMoved: number;
  /** The same with one image mirrored. */
  frameMirror: number;
  frameMirrorColour: number;
  frameMirrorMoved: number;
  /** How many of the two images have no colour (0, 1 or 2; alignment.ts colourless). */
  colourless: number;
}

/** What the signals say about the capture and the colours, before any threshold on the hashes or the cosine. */
export interface CaptureVerdict {
  /** Frames (or the padded content) line up, or one is a crop of the other. */
  sameCapture: boolean;
  /** ... and the colours agree there (or one is colourless). */
  sameColours: boolean;
  /** Colour distance at the placement that made the capture match (null when colourless or no placement). */
  colour: number | null;
  /** Whole-frame correlation used (plain, or mirrored with `mirror` when that is better). */
  frame: number;
}

export function captureVerdict(s: PairSignals, t: TierSettings): CaptureVerdict {
  const useMirror = t.mirror && s.frameMirror > s.frame;
  const frame = useMirror ? s.frameMirror : s.frame;
  const frameColour = useMirror ? s.frameMirrorColour : s.frameColour;
  const frameMoved = useMirror ? s.frameMirrorMoved : s.frameMoved;
  const agrees = (c: number) => !(c > t.near.colour);
  const byFrame = frame >= (Number.isNaN(frameColour) ? t.near.frameGrey : t.near.frame) && frameMoved <= t.near.moved;
  const byCrop = s.align >= t.near.alignScore && s.alignMoved <= t.near.moved;
  const frameOk = byFrame && agrees(frameColour);
  const cropOk = byCrop && agrees(s.alignColour);
  const used = frameOk ? frameColour : cropOk ? s.alignColour : byFrame ? frameColour : byCrop ? s.alignColour : Number.NaN;
  return { sameCapture: byFrame || byCrop, sameColours: frameOk || cropOk, colour: Number.isNaN(used) ? null : used, frame };
}

/**
 * "Same photo, other colour": the hashes and cosine would make the pair near (or the frames line
 * up at the looser colourless bar, or one aligns as a crop), but the colours disagree where the
 * frames or the crop were laid on each other.
 */
export function otherColour(s: PairSignals, t: TierSettings): boolean {
  const v = captureVerdict(s, t);
  if (v.sameColours) return false;
  const useMirror = t.mirror && s.frameMirror > s.frame;
  const frameColour = useMirror ? s.frameMirrorColour : s.frameColour;
  const branches = nearBranches(s, t);
  return ((branches.hashes || v.frame >= t.near.frameGrey) && frameColour > t.near.colour) || (s.align >= t.near.alignScore && s.alignColour > t.near.colour);
}

/** Which near branches the hashes, the cosine and the crop alignment satisfy, before the capture and colour checks. */
function nearBranches(s: PairSignals, t: TierSettings): { hashes: boolean; aligned: boolean } {
  const h = t.mirror ? Math.min(s.hash, s.hashMirror) : s.hash;
  const c = s.cosine;
  const hasCosine = !Number.isNaN(c);
  const hashAlone = h <= t.near.hashAlone && !(s.colourless === 2 && c < t.near.greyCosine);
  return {
    hashes: hashAlone || (hasCosine && ((c >= t.near.cosine && h <= t.near.hash) || (c >= t.near.cropCosine && s.crop <= t.near.cropHash))),
    aligned: hasCosine && ((c >= t.near.alignCosine && s.align >= t.near.alignScore) || (c >= t.near.tightCropCosine && s.align >= t.near.tightCropScore)),
  };
}

export function classifyPair(s: PairSignals, t: TierSettings): Tier | null {
  if (s.exact) return 'exact';
  const { hashes, aligned } = nearBranches(s, t);
  if ((hashes || aligned) && captureVerdict(s, t).sameColours) return 'near';
  if (!Number.isNaN(s.cosine) && s.cosine >= t.similarCosine) return 'similar';
  return null;
}

/** Ranking of a pair inside its tier (higher = surer), used to pick group centres. */
export function pairStrength(s: PairSignals, mirror: boolean): number {
  const h = mirror ? Math.min(s.hash, s.hashMirror) : s.hash;
  return (s.exact ? 2 : 0) + (Number.isNaN(s.cosine) ? 0 : s.cosine) + (1 - h / 64);
}

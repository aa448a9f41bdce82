import { ALIGN_BYTES } from '../../engine/image-hash.js';
import { Aligner, IDENTITY_WINDOW, type Window, colourless, mirrorSignature } from './alignment.js';
import { CROP_HASH_COUNT, type ImageHashes, padConsistent, popcount32 } from '../../engine/image-hash.js';
import type { PairSignals } from './tiers.js';
import type { AllPairsKnn } from '../../index/knn.js';

/**
 * The candidate graph: every pair of images worth a look, with its evidence. Built once per
 * (model revision, catalog content) from three cheap sources, never from all n^2 pairs:
 *  - the k nearest neighbours of each image in embedding space (from an ANN index),
 *  - images sharing a ~21-bit band of a perceptual hash (any pair within 2 bits shares one),
 *  - images with the same decoded pixels.
 * Thresholds are applied later, per call, on this graph: moving a slider re-groups in
 * milliseconds without touching embeddings, hashes or neighbours.
 */
export interface CandidateGraph {
  shas: string[];
  /** Per pair: node indices (a < b), cosine (NaN without vectors), pHash distances, exact flag. */
  a: Int32Array;
  b: Int32Array;
  cosine: Float32Array;
  hash: Uint8Array;
  hashMirror: Uint8Array;
  /** Smallest distance between one image's whole-frame pHash and the other's sub-region pHashes. */
  crop: Uint8Array;
  /** Correlation of the best crop placement of one image inside the other (alignment.ts); NaN when not searched (see alignmentOf). */
  alignment: Float32Array;
  /** Colour distance at the crop placement (alignment.ts colourAt, degrees); NaN when not searched or either image is colourless. */
  alignColour: Float32Array;
  /** Blocks that moved relative to the rest at the crop placement (alignment.ts movedBlocks); 0 when not searched. */
  alignMoved: Uint8Array;
  /**
   * Whole-frame capture check (frameOf): grey correlation of the two frames laid on each other
   * (or where padding puts one inside the other), plain and with one mirrored, and the colour
   * distance there; NaN when the pair is outside FRAME_GATE (or colourless, for the colours).
   */
  frame: Float32Array;
  frameColour: Float32Array;
  frameMirror: Float32Array;
  frameMirrorColour: Float32Array;
  /** Blocks that moved relative to the rest where the frames were laid on each other (less PADDED_MOVE_ALLOWANCE on padded content). */
  frameMoved: Uint8Array;
  frameMirrorMoved: Uint8Array;
  exact: Uint8Array;
  length: number;
  /** Packed hashes and trim boxes per node (see packHashes), for evidence on pairs outside the graph. */
  packed: PackedHashes;
  pixelShas: string[];
  neighboursPerImage: number;
  /** Pairs whose evidence was taken from an earlier graph (ReusableGraph) instead of measured. */
  reusedPairs: number;
  /** The embeddings (row per node, hasVector 0 where none), for pairs outside the graph. */
  vectors: Float32Array | null;
  hasVector: Uint8Array | null;
  dim: number;
}

/** k nearest neighbours (by cosine) of every row of a normalised n x dim matrix. */
export type KnnSearch = (vectors: Float32Array, n: number, dim: number, k: number) => Promise<AllPairsKnn>;

export interface GraphInput {
  shas: string[];
  hashes: ImageHashes[];
  /** Row i is the embedding of shas[i]; rows of images without one are all zero (hasVector 0). */
  vectors: Float32Array | null;
  hasVector: Uint8Array | null;
  dim: number;
  k: number;
  knn: KnnSearch;
  /** An earlier graph of the same model revision whose pair evidence may be reused (see ReusableGraph). */
  previous?: ReusableGraph;
  /** Pairs done of all pairs, every EVIDENCE_SLICE pairs; the build yields to other work there and stops when `signal` aborts. */
  progress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * An earlier graph and, per node of the new one, its node there (-1: new, or its hashes were
 * computed again since). Every signal of a pair is a function of the two nodes' hashes and their
 * cosine, so a pair of unchanged nodes with the same cosine gets the earlier pair's evidence as
 * it is: after an import only the new pairs are compared, with the same results.
 */
export interface ReusableGraph {
  pairs: PairColumns;
  /** Nodes of the earlier graph. */
  nodes: number;
  nodeOf: Int32Array;
}

/** The per-pair evidence columns of a CandidateGraph (what a reused pair copies). */
export const EVIDENCE_COLUMNS = [
  'cosine',
  'hash',
  'hashMirror',
  'crop',
  'alignment',
  'alignColour',
  'alignMoved',
  'frame',
  'frameColour',
  'frameMirror',
  'frameMirrorColour',
  'frameMoved',
  'frameMirrorMoved',
  'exact',
] as const satisfies ReadonlyArray<keyof CandidateGraph>;

/** A graph's pairs and their evidence, without its nodes' hashes and vectors (what the catalog keeps, graph-codec.ts). */
export type PairColumns = Pick<CandidateGraph, 'a' | 'b' | 'length' | (typeof EVIDENCE_COLUMNS)[number]>;

/** Pairs compared between two yields to the event loop (progress, cancel, other calls). */
const EVIDENCE_SLICE = 2000;

/** Largest hash bucket turned into pairs: a bigger one is a flat/blank band shared by unrelated images. */
const MAX_BUCKET = 48;
/** 8 words per image: phash, phashTrim, phashMirror, phashTrimMirror as (hi, lo) 32-bit halves. */
const WORDS = 8;

export interface PackedHashes {
  words: Uint32Array;
  /** CROP_HASH_COUNT sub-region hashes per image, (hi, lo) halves. */
  crops: Uint32Array;
  /** x0, y0, x1, y1 of each trim box. */
  boxes: Float32Array;
  /** ALIGN_BYTES alignment signature bytes and the aspect ratio of each image. */
  thumbs: Uint8Array;
  aspects: Float32Array;
  /** 1 for each image without colour (alignment.ts colourless), else 0. */
  colourless: Uint8Array;
}

/** Hex digit values by character code. */
const HEX_DIGIT = (() => {
  const out = new Uint8Array(128);
  for (let d = 0; d < 16; d++) {
    out[d.toString(16).charCodeAt(0)] = d;
    out[d.toString(16).toUpperCase().charCodeAt(0)] = d;
  }
  return out;
})();

/** The 32-bit word of the 8 hex digits at `at` (what parseInt(hex.slice(at, at + 8), 16) gives, without the slices). */
function hexWord(hex: string, at: number): number {
  let v = 0;
  for (let d = 0; d < 8; d++) v = v * 16 + (HEX_DIGIT[hex.charCodeAt(at + d)] as number);
  return v;
}

export function packHashes(hashes: readonly ImageHashes[]): PackedHashes {
  const out = new Uint32Array(hashes.length * WORDS);
  const boxes = new Float32Array(hashes.length * 4);
  const crops = new Uint32Array(hashes.length * CROP_HASH_COUNT * 2);
  const thumbs = new Uint8Array(hashes.length * ALIGN_BYTES);
  const aspects = new Float32Array(hashes.length);
  const grey = new Uint8Array(hashes.length);
  hashes.forEach((h, i) => {
    thumbs.set(h.thumb, i * ALIGN_BYTES);
    grey[i] = colourless(h.thumb) ? 1 : 0;
    aspects[i] = h.aspect;
    for (let k = 0; k < CROP_HASH_COUNT * 2; k++) crops[i * CROP_HASH_COUNT * 2 + k] = hexWord(h.cropHashes, k * 8);
    boxes.set(h.trimBox, i * 4);
    [h.phash, h.phashTrim, h.phashMirror, h.phashTrimMirror].forEach((hex, j) => {
      out[i * WORDS + j * 2] = parseInt(hex.slice(0, 8), 16);
      out[i * WORDS + j * 2 + 1] = parseInt(hex.slice(8, 16), 16);
    });
  });
  return { words: out, boxes, crops, thumbs, aspects, colourless: grey };
}

function dist(p: Uint32Array, i: number, wi: number, j: number, wj: number): number {
  return popcount32((p[i * WORDS + wi] as number) ^ (p[j * WORDS + wj] as number)) + popcount32((p[i * WORDS + wi + 1] as number) ^ (p[j * WORDS + wj + 1] as number));
}

/** pHash distance of two nodes, as image-hash.ts's hashDistance (whole frame, or trimmed where the trims say "padded"). */
export function packedDistance(p: PackedHashes, i: number, j: number): number {
  const frame = dist(p.words, i, 0, j, 0);
  return padConsistent(p.boxes.subarray(i * 4, i * 4 + 4), p.boxes.subarray(j * 4, j * 4 + 4)) ? Math.min(frame, dist(p.words, i, 2, j, 2)) : frame;
}

/** Either image against the other's sub-regions: small when one is a crop of the other. */
export function cropDistance(p: PackedHashes, i: number, j: number): number {
  let best = 64;
  for (const [x, y] of [
    [i, j],
    [j, i],
  ] as const) {
    const hi = p.words[x * WORDS] as number;
    const lo = p.words[x * WORDS + 1] as number;
    const base = y * CROP_HASH_COUNT * 2;
    for (let k = 0; k < CROP_HASH_COUNT; k++) {
      const d = popcount32(hi ^ (p.crops[base + 2 * k] as number)) + popcount32(lo ^ (p.crops[base + 2 * k + 1] as number));
      if (d < best) best = d;
    }
  }
  return best;
}

/**
 * Which pairs get the crop alignment search (~0.5 ms a pair, so not all of them): the embeddings
 * must agree at the lowest cosine a crop branch accepts (tiers.ts tightCropCosine: the demo models
 * put true 80 % crops at 0.79-0.93; 0.85 searches ~6 % more pairs than 0.9 did), the whole
 * frames must not already line up cleanly (frameClean: correlation at the frame bar, no block
 * moved; such pairs need no crop), and one image's whole-frame pHash must come within reach of
 * one of the other's sub-region hashes (a crop of 75-100 % lands within ~16 bits of the nearest
 * grid region even when misaligned; unrelated pictures rarely do).
 */
export const ALIGN_GATE = { minCosine: 0.85, maxCrop: 16 } as const;

/** A whole-frame check that needs no crop search: the frames correlate at the near bar and nothing moved. */
export function frameClean(f: { score: number; moved: number }): boolean {
  return f.score >= 0.95 && f.moved === 0;
}

/** Crop alignment of a candidate pair (alignPair) when the gate lets the pair through, else none. */
export function alignmentOf(p: PackedHashes, aligner: Aligner, i: number, j: number, cosine: number, frameClean: boolean, crop: number): ReturnType<typeof alignPair> {
  if (!(cosine >= ALIGN_GATE.minCosine) || frameClean || crop > ALIGN_GATE.maxCrop) return { score: Number.NaN, colour: Number.NaN, moved: 0 };
  return alignPair(p, aligner, i, j);
}

/** Correlation of the best placement of one node as a crop of the other, and the colour distance there; score NaN when there is none. */
export function alignPair(p: PackedHashes, aligner: Aligner, i: number, j: number): { score: number; colour: number; moved: number } {
  const placement = aligner.align(thumbOf(p, i), p.aspects[i] as number, thumbOf(p, j), p.aspects[j] as number);
  if (!(placement.score > 0)) return { score: Number.NaN, colour: Number.NaN, moved: 0 };
  const [c, k] = placement.container === 0 ? [thumbOf(p, i), thumbOf(p, j)] : [thumbOf(p, j), thumbOf(p, i)];
  // No block may move at a crop placement: movedBlocks re-registers the window first, so a placement
  // a fraction of a pixel off in scale is not motion (measured on the benchmark, seeds 7 and 11: true
  // crops 0 moved blocks in 281 of 286; before, one block was allowed, which let through a second
  // shot whose camera barely moved). Below FRAME_MOVES_FROM the placement is no capture evidence at
  // any bar, so its blocks are not counted (the re-registration costs ~0.2 ms on unrelated pictures).
  const moved = placement.score >= FRAME_MOVES_FROM ? aligner.movedBlocks(c, k, placement, placement.score >= REGISTER_FROM).moved : 0;
  return { score: placement.score, colour: placement.colour, moved };
}

/** Crop alignment score when the colours agree there too (MAX_COLOUR_DISTANCE), else NaN: the grouping's relatedness test. */
export function alignNodes(p: PackedHashes, aligner: Aligner, i: number, j: number, maxColour = MAX_COLOUR_DISTANCE, maxMoved = 0): number {
  return alignedScore(alignPair(p, aligner, i, j), maxColour, maxMoved);
}

/** A crop placement's score when the colours agree there and no more than `maxMoved` blocks moved, else NaN. */
export function alignedScore(a: ReturnType<typeof alignPair>, maxColour = MAX_COLOUR_DISTANCE, maxMoved = 0): number {
  return a.colour > maxColour || a.moved > maxMoved ? Number.NaN : a.score;
}

/** Default largest colour distance (degrees of hue, alignment.ts colourAt) that still counts as "the same colours". */
export const MAX_COLOUR_DISTANCE = 20;

function thumbOf(p: PackedHashes, i: number): Uint8Array {
  return p.thumbs.subarray(i * ALIGN_BYTES, (i + 1) * ALIGN_BYTES);
}

/**
 * Which pairs get the whole-frame check: any that a near branch could accept at some threshold
 * (cosine at least the gate, or no embeddings to say, or hashes within a few bits).
 */
export const FRAME_GATE = { minCosine: 0.9, maxHash: 6, maxMirrorHash: 16 } as const;

/** Frames correlating less than this are no capture evidence at any setting (the colourless bar): their moved blocks are not counted. */
const FRAME_MOVES_FROM = 0.9;
/**
 * Moved blocks are counted after re-registering the window (alignment.ts movedBlocks) only from
 * this correlation, the frame bar with colours (DEFAULT_NEAR.frame): below it a pair is capture
 * evidence only when colourless, i.e. a greyscale copy of the whole frame, which moves nowhere
 * (measured: 0 moved blocks). Keeps the re-registration off unrelated pictures (~0.2 ms each).
 */
const REGISTER_FROM = 0.95;

/**
 * Whole-frame capture check of two nodes: one frame laid on the other (the same picture after
 * resizing, re-encoding, tone edits, a watermark), or, when the trim boxes say "padded", the
 * smaller content placed where the padding puts it. Grey correlation there (16x16 against the
 * 32x32 container: a second shot from a moved camera shifts near and far things differently and
 * leaves a residual), and the colour distance at the same place.
 */
export function frameOf(p: PackedHashes, aligner: Aligner, i: number, j: number, mirror: boolean): { score: number; colour: number; moved: number } {
  const a = thumbOf(p, i);
  const b = mirror ? mirrorSignature(thumbOf(p, j)) : thumbOf(p, j);
  let best = { score: aligner.frameScore(a, b, IDENTITY_WINDOW), colour: Number.NaN, container: a, crop: b, w: IDENTITY_WINDOW };
  const boxA = p.boxes.subarray(i * 4, i * 4 + 4);
  const bj = p.boxes.subarray(j * 4, j * 4 + 4);
  const boxB = mirror ? [1 - (bj[2] as number), bj[1] as number, 1 - (bj[0] as number), bj[3] as number] : bj;
  if (padConsistent(boxA, boxB)) {
    // Where b's whole frame lands in a when b's trimmed content is laid on a's (or the other way round).
    const place = (inner: ArrayLike<number>, outer: ArrayLike<number>): Window | null => {
      const sx = ((outer[2] as number) - (outer[0] as number)) / ((inner[2] as number) - (inner[0] as number));
      const sy = ((outer[3] as number) - (outer[1] as number)) / ((inner[3] as number) - (inner[1] as number));
      if (sx > 1.0001 || sy > 1.0001 || (sx > 0.97 && sy > 0.97)) return null;
      return { sx, sy, ox: (outer[0] as number) - sx * (inner[0] as number), oy: (outer[1] as number) - sy * (inner[1] as number) };
    };
    for (const [container, crop, w] of [
      [a, b, place(boxB, boxA)],
      [b, a, place(boxA, boxB)],
    ] as const) {
      if (!w) continue;
      const padded = aligner.paddedScore(container, crop, w);
      if (padded.score > best.score) best = { score: padded.score, colour: Number.NaN, container, crop, w: padded.w };
    }
  }
  // Below the colourless frame bar the frames are no capture evidence whatever moved: skip the count.
  const moved = best.score >= FRAME_MOVES_FROM ? aligner.movedBlocks(best.container, best.crop, best.w, best.score >= REGISTER_FROM).moved : 0;
  const padded = best.w !== IDENTITY_WINDOW;
  return { score: best.score, colour: aligner.colourAt(best.container, best.crop, best.w), moved: padded ? Math.max(0, moved - PADDED_MOVE_ALLOWANCE) : moved };
}

/**
 * Blocks allowed to look moved when the frame was laid on padded content: the trims place it to
 * about a pixel, and the edges of the padding land inside blocks (measured on the benchmark: up to
 * two such blocks for true pads, none for any other whole-frame edit).
 */
const PADDED_MOVE_ALLOWANCE = 2;

/** Every signal of a pair of nodes, computed as the graph build does (for pairs outside the graph). */
export function pairSignalsOf(p: PackedHashes, aligner: Aligner, i: number, j: number, cosine: number, exact: boolean): PairSignals {
  const hash = packedDistance(p, i, j);
  const hashMirror = packedMirrorDistance(p, i, j);
  const crop = cropDistance(p, i, j);
  const frame = frameEvidence(p, aligner, i, j, cosine, hash, hashMirror);
  const align = alignmentOf(p, aligner, i, j, cosine, frameClean(frame.plain), crop);
  return {
    exact,
    cosine,
    hash,
    hashMirror,
    crop,
    align: align.score,
    alignColour: align.colour,
    alignMoved: align.moved,
    frame: frame.plain.score,
    frameColour: frame.plain.colour,
    frameMoved: frame.plain.moved,
    frameMirror: frame.mirrored.score,
    frameMirrorColour: frame.mirrored.colour,
    frameMirrorMoved: frame.mirrored.moved,
    colourless: colourlessCount(p, i, j),
  };
}

/** How many of two nodes have no colour (0, 1 or 2). */
export function colourlessCount(p: PackedHashes, i: number, j: number): number {
  return (p.colourless[i] as number) + (p.colourless[j] as number);
}

/** Whole-frame check of a pair inside FRAME_GATE (frameOf), plain and mirrored; NaN outside it. */
export function frameEvidence(p: PackedHashes, aligner: Aligner, i: number, j: number, cosine: number, hash: number, hashMirror: number) {
  const none = { score: Number.NaN, colour: Number.NaN, moved: 0 };
  const gate = (h: number) => !(cosine < FRAME_GATE.minCosine) || h <= FRAME_GATE.maxHash;
  // The mirrored frames matter only where the mirrored hash is the closer one and within reach of a near branch.
  const mirrored = gate(hashMirror) && hashMirror < hash && hashMirror <= FRAME_GATE.maxMirrorHash;
  return { plain: gate(hash) ? frameOf(p, aligner, i, j, false) : none, mirrored: mirrored ? frameOf(p, aligner, i, j, true) : none };
}

/** The same, also trying image j mirrored. */
export function packedMirrorDistance(p: PackedHashes, i: number, j: number): number {
  let d = Math.min(packedDistance(p, i, j), dist(p.words, i, 0, j, 4));
  const b = p.boxes;
  const mirrored = [1 - (b[j * 4 + 2] as number), b[j * 4 + 1] as number, 1 - (b[j * 4] as number), b[j * 4 + 3] as number];
  if (padConsistent(b.subarray(i * 4, i * 4 + 4), mirrored)) d = Math.min(d, dist(p.words, i, 2, j, 6));
  return d;
}

export async function buildCandidateGraph(input: GraphInput): Promise<CandidateGraph> {
  const n = input.shas.length;
  const packed = packHashes(input.hashes);
  const seen = new Set<number>();
  const pa: number[] = [];
  const pb: number[] = [];
  const add = (i: number, j: number): void => {
    if (i === j) return;
    const [x, y] = i < j ? [i, j] : [j, i];
    const key = x * n + y;
    if (seen.has(key)) return;
    seen.add(key);
    pa.push(x);
    pb.push(y);
  };

  if (input.vectors && input.hasVector && input.k > 0) {
    // Search only rows that have a vector, then map back to node indices.
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (input.hasVector[i]) rows.push(i);
    if (rows.length > 1) {
      const dense = rows.length === n ? input.vectors : new Float32Array(rows.length * input.dim);
      if (dense !== input.vectors) rows.forEach((r, i) => dense.set(input.vectors!.subarray(r * input.dim, (r + 1) * input.dim), i * input.dim));
      const k = Math.min(input.k, rows.length - 1);
      const { ids } = await input.knn(dense, rows.length, input.dim, k);
      for (let i = 0; i < rows.length; i++) {
        for (let j = 0; j < k; j++) {
          const nb = ids[i * k + j] as number;
          if (nb >= 0) add(rows[i] as number, rows[nb] as number);
        }
      }
    }
  }

  // Hash bands: each 64-bit hash (phash, phashTrim) cut into bands of 21, 21 and 22 bits; two
  // hashes within 2 bits share at least one band (pigeonhole), while unrelated images share one
  // with odds of ~2^-21. Mirrored hashes are looked up against the plain ones so mirrored copies
  // are candidates too. Wider differences reach the graph through the embedding neighbours.
  const bands: Array<(hi: number, lo: number) => number> = [
    (hi) => hi >>> 11,
    (hi, lo) => ((hi & 0x7ff) << 10) | (lo >>> 22),
    (_hi, lo) => lo & 0x3fffff,
  ];
  for (const [word, mirrorWord] of [
    [0, 4],
    [2, 6],
  ] as const) {
    for (const band of bands) {
      const bandOf = (i: number, base: number): number => band(packed.words[i * WORDS + base] as number, packed.words[i * WORDS + base + 1] as number);
      const buckets = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        const key = bandOf(i, word);
        const list = buckets.get(key);
        if (list) list.push(i);
        else buckets.set(key, [i]);
      }
      for (const list of buckets.values()) {
        if (list.length < 2 || list.length > MAX_BUCKET) continue;
        for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) add(list[x] as number, list[y] as number);
      }
      for (let i = 0; i < n; i++) {
        const list = buckets.get(bandOf(i, mirrorWord));
        if (list && list.length <= MAX_BUCKET) for (const j of list) add(i, j);
      }
    }
  }

  const pixelShas = input.hashes.map((h) => h.pixelSha);
  const byPixels = new Map<string, number[]>();
  pixelShas.forEach((p, i) => {
    const list = byPixels.get(p);
    if (list) list.push(i);
    else byPixels.set(p, [i]);
  });
  for (const list of byPixels.values()) for (let x = 1; x < list.length; x++) for (let y = 0; y < x; y++) add(list[y] as number, list[x] as number);

  const m = pa.length;
  const graph: CandidateGraph = {
    shas: input.shas,
    a: Int32Array.from(pa),
    b: Int32Array.from(pb),
    cosine: new Float32Array(m),
    hash: new Uint8Array(m),
    hashMirror: new Uint8Array(m),
    crop: new Uint8Array(m),
    alignment: new Float32Array(m),
    alignColour: new Float32Array(m),
    alignMoved: new Uint8Array(m),
    frameMoved: new Uint8Array(m),
    frameMirrorMoved: new Uint8Array(m),
    frame: new Float32Array(m),
    frameColour: new Float32Array(m),
    frameMirror: new Float32Array(m),
    frameMirrorColour: new Float32Array(m),
    exact: new Uint8Array(m),
    length: m,
    packed,
    pixelShas,
    neighboursPerImage: input.k,
    reusedPairs: 0,
    vectors: input.vectors,
    hasVector: input.hasVector,
    dim: input.dim,
  };
  const aligner = new Aligner();
  const reuse = input.previous ? previousEdges(input.previous) : undefined;
  for (let e = 0; e < m; e++) {
    if (e % EVIDENCE_SLICE === 0 && (input.progress || input.signal)) {
      input.progress?.(e, m);
      await new Promise<void>((resolve) => setImmediate(resolve));
      input.signal?.throwIfAborted();
    }
    const i = graph.a[e] as number;
    const j = graph.b[e] as number;
    graph.cosine[e] = input.vectors && input.hasVector?.[i] && input.hasVector[j] ? dot(input.vectors, i, j, input.dim) : Number.NaN;
    const old = reuse?.edgeOf(i, j);
    if (old !== undefined && Object.is(reuse!.pairs.cosine[old], graph.cosine[e])) {
      copyEvidence(reuse!.pairs, old, graph, e);
      graph.reusedPairs++;
      continue;
    }
    graph.hash[e] = packedDistance(packed, i, j);
    graph.hashMirror[e] = packedMirrorDistance(packed, i, j);
    graph.crop[e] = cropDistance(packed, i, j);
    const frame = frameEvidence(packed, aligner, i, j, graph.cosine[e] as number, graph.hash[e] as number, graph.hashMirror[e] as number);
    const align = alignmentOf(packed, aligner, i, j, graph.cosine[e] as number, frameClean(frame.plain), graph.crop[e] as number);
    graph.alignment[e] = align.score;
    graph.alignColour[e] = align.colour;
    graph.alignMoved[e] = align.moved;
    graph.frame[e] = frame.plain.score;
    graph.frameColour[e] = frame.plain.colour;
    graph.frameMirror[e] = frame.mirrored.score;
    graph.frameMirrorColour[e] = frame.mirrored.colour;
    graph.frameMoved[e] = frame.plain.moved;
    graph.frameMirrorMoved[e] = frame.mirrored.moved;
    graph.exact[e] = pixelShas[i] === pixelShas[j] ? 1 : 0;
  }
  input.progress?.(m, m);
  return graph;
}

/** Cosine of two nodes from the kept embeddings; NaN when either has none. */
export function nodeCosine(g: CandidateGraph, i: number, j: number): number {
  if (!g.vectors || !g.hasVector?.[i] || !g.hasVector[j]) return Number.NaN;
  return dot(g.vectors, i, j, g.dim);
}

function dot(v: Float32Array, i: number, j: number, dim: number): number {
  let s = 0;
  const oi = i * dim;
  const oj = j * dim;
  for (let d = 0; d < dim; d++) s += (v[oi + d] as number) * (v[oj + d] as number);
  return s;
}

function copyEvidence(from: PairColumns, e: number, to: CandidateGraph, f: number): void {
  for (const c of EVIDENCE_COLUMNS) to[c][f] = from[c][e] as number;
}

/** The earlier graph's edge between the earlier nodes of new nodes i < j: undefined unless both are reusable and it had one. */
function previousEdges(previous: ReusableGraph): { pairs: PairColumns; edgeOf: (i: number, j: number) => number | undefined } {
  const { pairs, nodes: n } = previous;
  const edges = new Map<number, number>();
  for (let e = 0; e < pairs.length; e++) edges.set((pairs.a[e] as number) * n + (pairs.b[e] as number), e);
  return {
    pairs,
    edgeOf: (i, j) => {
      const x = previous.nodeOf[i] as number;
      const y = previous.nodeOf[j] as number;
      // Some signals are measured one way round (i in j): reused only for a pair in the same order.
      return x < 0 || y < 0 || x >= y ? undefined : edges.get(x * n + y);
    },
  };
}

/** A graph from pairs measured earlier (the catalog's kept graph) and its nodes' hashes and vectors, as they are now. */
export function withPairs(pairs: PairColumns, nodes: Pick<GraphInput, 'shas' | 'hashes' | 'vectors' | 'hasVector' | 'dim' | 'k'>): CandidateGraph {
  return {
    ...pairs,
    shas: nodes.shas,
    packed: packHashes(nodes.hashes),
    pixelShas: nodes.hashes.map((h) => h.pixelSha),
    neighboursPerImage: nodes.k,
    reusedPairs: 0,
    vectors: nodes.vectors,
    hasVector: nodes.hasVector,
    dim: nodes.dim,
  };
}

import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';

/** Alignment signature (features/duplicates/alignment.ts): side of the grey thumbnail. */
export const ALIGN_SIDE = 32;
/** Side of the chroma planes. */
export const CHROMA_SIDE = 8;
export const ALIGN_BYTES = ALIGN_SIDE * ALIGN_SIDE + 2 * CHROMA_SIDE * CHROMA_SIDE;
/** Byte levels per OKLab a/b unit in the chroma planes (sRGB's a/b stay within about +-0.32). */
export const CHROMA_SCALE = 400;

/**
 * Perceptual fingerprints of one image, computed after EXIF orientation and border trimming so
 * that rotation tags, white padding and uniform borders do not change them.
 * 64-bit hashes are 16 lowercase hex digits.
 */
export interface ImageHashes {
  /** sha256 of the decoded, orientation-applied pixels (with size and channel count): equal for a
   * lossless re-encode (PNG <-> lossless WebP, stripped metadata, a rotation tag applied to pixels). */
  pixelSha: string;
  /** 64-bit DCT hash of the whole frame (8x8 low frequencies of a 32x32 luminance image, one bit
   * per coefficient above/below their median): stable under re-encoding, resizing, tone changes. */
  phash: string;
  /** The same after trimming uniform borders: stable under padding and added borders. */
  phashTrim: string;
  /** What the trim kept, as fractions of the frame (x0, y0, x1, y1). */
  trimBox: [number, number, number, number];
  /**
   * pHashes of 143 sub-regions of the frame (each axis: all of it, or 95/90/85/80% of it at
   * evenly spaced anchors), concatenated: a copy cropped by up to 20% hashes like one of them.
   */
  cropHashes: string;
  /** The hashes of the horizontally mirrored image, for the "count mirrored copies" option. */
  phashMirror: string;
  phashTrimMirror: string;
  /**
   * Alignment signature (alignment.ts): the whole frame as a 32x32 grey thumbnail and 8x8 OKLab
   * a/b planes (version 3; Cb/Cr before), bytes; with `aspect` (width / height after orientation) it lets a candidate pair be
   * searched for "one is a crop of the other".
   */
  thumb: Uint8Array;
  aspect: number;
}

/** Version of the recipe above; stored with each row so a change of recipe recomputes old rows. */
export const HASH_VERSION = 3;

/** Largest mismatch (fraction of the frame) between two trim boxes that still counts as "one is the other padded". */
const PAD_TOLERANCE = 0.03;

/**
 * Whether b's trimmed content sits where padding a (or a's being b padded) would put it: each
 * axis of the box maps by the same centred scale, b = q + (1 - 2q) a. Trimming alone would
 * also make two different shots of one product on a plain background look the same (both cut
 * to the product's outline); this geometry is what tells a padded copy from a re-shoot.
 */
export function padConsistent(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (const [lo, hi] of [
    [0, 2],
    [1, 3],
  ] as const) {
    const wa = (a[hi] as number) - (a[lo] as number);
    const wb = (b[hi] as number) - (b[lo] as number);
    if (wa <= 0 || wb <= 0) return false;
    const s = wb / wa;
    const q = (1 - s) / 2;
    if (Math.abs(q + s * (a[lo] as number) - (b[lo] as number)) > PAD_TOLERANCE) return false;
  }
  return true;
}

/** pHash distance of two images: whole frame, or trimmed when the trims are consistent with padding; mirrored too when asked. */
export function hashDistance(a: ImageHashes, b: ImageHashes, mirror: boolean): number {
  const pad = padConsistent(a.trimBox, b.trimBox);
  let d = hammingHex(a.phash, b.phash);
  if (pad) d = Math.min(d, hammingHex(a.phashTrim, b.phashTrim));
  if (mirror) {
    d = Math.min(d, hammingHex(a.phash, b.phashMirror));
    // Mirroring flips the box left-right.
    if (padConsistent(a.trimBox, [1 - b.trimBox[2], b.trimBox[1], 1 - b.trimBox[0], b.trimBox[3]])) d = Math.min(d, hammingHex(a.phashTrim, b.phashTrimMirror));
  }
  return d;
}

/** Spans of one axis the crop hashes cover: all of it, and 95% down to 80% of it at evenly spaced anchors. */
const CROP_SPANS: ReadonlyArray<readonly [number, number]> = [
  [0, 1],
  [0, 0.95],
  [0.05, 1],
  [0, 0.9],
  [0.05, 0.95],
  [0.1, 1],
  [0, 0.85],
  [0.075, 0.925],
  [0.15, 1],
  [0, 0.8],
  [0.1, 0.9],
  [0.2, 1],
];
export const CROP_HASH_COUNT = CROP_SPANS.length * CROP_SPANS.length - 1;

/** Longest side the trim and hash work on: plenty for 32x32 hashes, cheap to scan in JS. */
const WORK_SIDE = 256;
/** A border line is "uniform" when every channel varies by at most this much along it. */
const BORDER_TOLERANCE = 16;

export async function computeImageHashes(bytes: Uint8Array): Promise<ImageHashes> {
  const full = await sharp(bytes, { limitInputPixels: 100_000_000, pages: 1 }).rotate().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = full.info;
  const pixelSha = createHash('sha256').update(`${width}x${height}x${channels}\n`).update(full.data).digest('hex');
  const { rgb, sums } = await workSized(sharp(full.data, { raw: { width, height, channels } }));
  const frame = resample(sums, { x0: 0, y0: 0, x1: rgb.width, y1: rgb.height }, 32, 32);
  const box = trimBox(rgb);
  const trimmed = resample(sums, box, 32, 32);
  let cropHashes = '';
  for (const [x0, x1] of CROP_SPANS) {
    for (const [y0, y1] of CROP_SPANS) {
      if (x1 - x0 === 1 && y1 - y0 === 1) continue;
      const region = { x0: x0 * rgb.width, x1: x1 * rgb.width, y0: y0 * rgb.height, y1: y1 * rgb.height };
      cropHashes += dctHash(resample(sums, region, 32, 32), false);
    }
  }
  return {
    pixelSha,
    phash: dctHash(frame, false),
    phashTrim: dctHash(trimmed, false),
    cropHashes,
    trimBox: [box.x0 / rgb.width, box.y0 / rgb.height, box.x1 / rgb.width, box.y1 / rgb.height],
    phashMirror: dctHash(frame, true),
    phashTrimMirror: dctHash(trimmed, true),
    thumb: alignSignature(rgb, sums),
    aspect: width / height,
  };
}

/** Longest side computeFramePrint works on: twice the 32x32 it hashes and keeps. */
const PRINT_SIDE = 64;

/**
 * Only the whole-frame pHash and the alignment signature, computed like computeImageHashes's but
 * at PRINT_SIDE: what search compares to stack copies when the finder's hashes are missing. Prints
 * are compared with prints only (never with stored hashes), so the smaller work size is a cost,
 * not a difference in kind.
 */
export async function computeFramePrint(bytes: Uint8Array): Promise<Pick<ImageHashes, 'phash' | 'thumb'>> {
  const { rgb, sums } = await workSized(sharp(bytes, { limitInputPixels: 100_000_000, pages: 1 }).rotate(), PRINT_SIDE);
  return { phash: dctHash(resample(sums, { x0: 0, y0: 0, x1: rgb.width, y1: rgb.height }, 32, 32), false), thumb: alignSignature(rgb, sums) };
}

/** The image on white at `side` (longest side, never enlarged), and the area sums of its luminance. */
async function workSized(image: Sharp, side = WORK_SIDE): Promise<{ rgb: Rgb; sums: AreaSums }> {
  const small = await image
    .flatten({ background: '#ffffff' })
    .resize(side, side, { fit: 'inside', withoutEnlargement: true, kernel: 'linear' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const rgb = { data: small.data, width: small.info.width, height: small.info.height };
  return { rgb, sums: areaSums(luminance(rgb), rgb.width, rgb.height) };
}

/** The alignment signature: the whole frame as a grey thumbnail and coarse OKLab a/b planes, bytes. */
function alignSignature(img: Rgb, greySums: AreaSums): Uint8Array {
  const out = new Uint8Array(ALIGN_BYTES);
  const grey = resample(greySums, { x0: 0, y0: 0, x1: img.width, y1: img.height }, ALIGN_SIDE, ALIGN_SIDE);
  for (let i = 0; i < ALIGN_SIDE * ALIGN_SIDE; i++) out[i] = Math.round(grey[i] as number);
  const n = img.width * img.height;
  const pa = new Float64Array(n);
  const pb = new Float64Array(n);
  const lab = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    oklab(img.data[i * 3] as number, img.data[i * 3 + 1] as number, img.data[i * 3 + 2] as number, lab);
    pa[i] = lab[1] as number;
    pb[i] = lab[2] as number;
  }
  const whole = { x0: 0, y0: 0, x1: img.width, y1: img.height };
  const cells = CHROMA_SIDE * CHROMA_SIDE;
  [pa, pb].forEach((plane, k) => {
    const small = resample(areaSums(plane, img.width, img.height), whole, CHROMA_SIDE, CHROMA_SIDE);
    for (let i = 0; i < cells; i++) out[ALIGN_SIDE * ALIGN_SIDE + k * cells + i] = Math.max(0, Math.min(255, Math.round(128 + (small[i] as number) * CHROMA_SCALE)));
  });
  return out;
}

/** sRGB byte -> linear light. */
const LINEAR = Float64Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

/**
 * OKLab (Ottosson 2020) of an sRGB pixel into out = [L, a, b]. A perceptual space: equal
 * distances look about equally different, and the hue angle atan2(b, a) survives brightness and
 * contrast changes far better than in YCbCr.
 */
export function oklab(r: number, g: number, b: number, out: number[]): void {
  const lr = LINEAR[r] as number;
  const lg = LINEAR[g] as number;
  const lb = LINEAR[b] as number;
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  out[0] = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  out[1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Rgb {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * The region left after removing uniform border lines (padding, photo borders, flat studio
 * backgrounds) from every side, repeated until nothing more comes off, so a white pad around a
 * grey background is removed as well as the grey. Falls back to the whole image when the
 * picture is uniform throughout.
 */
export function trimBox(img: Rgb): Box {
  const { data, width } = img;
  const box: Box = { x0: 0, y0: 0, x1: img.width, y1: img.height };
  const uniform = (x0: number, y0: number, x1: number, y1: number): boolean => {
    for (let c = 0; c < 3; c++) {
      let lo = 255;
      let hi = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const v = data[(y * width + x) * 3 + c] as number;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
      }
      if (hi - lo > BORDER_TOLERANCE) return false;
    }
    return true;
  };
  for (let changed = true; changed; ) {
    changed = false;
    while (box.y1 - box.y0 > 1 && uniform(box.x0, box.y0, box.x1, box.y0 + 1)) (box.y0++, (changed = true));
    while (box.y1 - box.y0 > 1 && uniform(box.x0, box.y1 - 1, box.x1, box.y1)) (box.y1--, (changed = true));
    while (box.x1 - box.x0 > 1 && uniform(box.x0, box.y0, box.x0 + 1, box.y1)) (box.x0++, (changed = true));
    while (box.x1 - box.x0 > 1 && uniform(box.x1 - 1, box.y0, box.x1, box.y1)) (box.x1--, (changed = true));
  }
  // Nothing but background (or a sliver): hash the whole picture instead.
  if (box.x1 - box.x0 < 4 || box.y1 - box.y0 < 4) return { x0: 0, y0: 0, x1: img.width, y1: img.height };
  return box;
}

/** Rec. 601 luma as floats. */
function luminance(img: Rgb): Float64Array {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = 0.299 * (img.data[i * 3] as number) + 0.587 * (img.data[i * 3 + 1] as number) + 0.114 * (img.data[i * 3 + 2] as number);
  }
  return out;
}

/**
 * Summed-area table of a luma image: (w+1) x (h+1), entry (x, y) = sum of pixels above and left.
 * Pixels are constant over their unit square, so the integral up to a fractional point is the
 * bilinear interpolation of the table, and any rectangle's exact mean costs four lookups.
 */
export interface AreaSums {
  table: Float64Array;
  width: number;
  height: number;
}

export function areaSums(grey: Float64Array, width: number, height: number): AreaSums {
  const w1 = width + 1;
  const table = new Float64Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += grey[y * width + x] as number;
      table[(y + 1) * w1 + x + 1] = (table[y * w1 + x + 1] as number) + row;
    }
  }
  return { table, width, height };
}

function integral(s: AreaSums, x: number, y: number): number {
  const w1 = s.width + 1;
  const x0 = Math.min(Math.floor(x), s.width - 1);
  const y0 = Math.min(Math.floor(y), s.height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const t = s.table;
  const a = t[y0 * w1 + x0] as number;
  const b = t[y0 * w1 + x0 + 1] as number;
  const c = t[(y0 + 1) * w1 + x0] as number;
  const d = t[(y0 + 1) * w1 + x0 + 1] as number;
  return a + (b - a) * fx + (c - a) * fy + (d - b - c + a) * fx * fy;
}

/** Area-average resample of `box` to outW x outH (each output pixel the exact mean of what it covers). */
export function resample(sums: AreaSums, box: Box, outW: number, outH: number): Float64Array {
  const out = new Float64Array(outW * outH);
  const sx = (box.x1 - box.x0) / outW;
  const sy = (box.y1 - box.y0) / outH;
  // The integral at every corner of the output grid, once: neighbouring pixels share their edges,
  // so this costs (outW+1)(outH+1) lookups instead of four per pixel (the hash's hottest loop).
  const w1 = outW + 1;
  const corners = new Float64Array(w1 * (outH + 1));
  for (let j = 0; j <= outH; j++) {
    const y = box.y0 + j * sy;
    for (let k = 0; k <= outW; k++) corners[j * w1 + k] = integral(sums, box.x0 + k * sx, y);
  }
  const area = sx * sy;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const i = oy * w1 + ox;
      out[oy * outW + ox] = ((corners[i + w1 + 1] as number) - (corners[i + w1] as number) - (corners[i + 1] as number) + (corners[i] as number)) / area;
    }
  }
  return out;
}

const DCT_N = 32;
const DCT_K = 8;
/** cos((2x+1) u pi / 2N) for u = 1..8 (the DC row is skipped: it carries only mean brightness). */
const COS = (() => {
  const t = new Float64Array(DCT_K * DCT_N);
  for (let u = 0; u < DCT_K; u++) for (let x = 0; x < DCT_N; x++) t[u * DCT_N + x] = Math.cos(((2 * x + 1) * (u + 1) * Math.PI) / (2 * DCT_N));
  return t;
})();

/**
 * pHash: DCT-II of the 32x32 image, the 8x8 block of frequencies 1..8 in each direction, one bit
 * per coefficient above the block's median. Mirroring the image left-right flips the sign of the
 * coefficients with odd horizontal frequency, so the mirrored hash needs no second DCT.
 */
export function dctHash(p32: Float64Array, mirror: boolean): string {
  // Rows first: r[y][u] = sum_x p[y][x] cos_u(x).
  const rows = new Float64Array(DCT_N * DCT_K);
  for (let y = 0; y < DCT_N; y++) {
    for (let u = 0; u < DCT_K; u++) {
      let s = 0;
      for (let x = 0; x < DCT_N; x++) s += (p32[y * DCT_N + x] as number) * (COS[u * DCT_N + x] as number);
      rows[y * DCT_K + u] = s;
    }
  }
  const coef = new Float64Array(DCT_K * DCT_K);
  for (let v = 0; v < DCT_K; v++) {
    for (let u = 0; u < DCT_K; u++) {
      let s = 0;
      for (let y = 0; y < DCT_N; y++) s += (rows[y * DCT_K + u] as number) * (COS[v * DCT_N + y] as number);
      // Horizontal frequency u+1: odd frequencies change sign under a left-right mirror.
      coef[v * DCT_K + u] = mirror && (u + 1) % 2 === 1 ? -s : s;
    }
  }
  const median = medianOf(coef);
  return bitsToHex(Array.from(coef, (c) => c > median));
}

function medianOf(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function bitsToHex(bits: boolean[]): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) {
    hex += ((bits[i] ? 8 : 0) | (bits[i + 1] ? 4 : 0) | (bits[i + 2] ? 2 : 0) | (bits[i + 3] ? 1 : 0)).toString(16);
  }
  return hex;
}

/** Hamming distance between two 16-digit hex hashes. */
export function hammingHex(a: string, b: string): number {
  return popcount32(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) + popcount32(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16));
}

export function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

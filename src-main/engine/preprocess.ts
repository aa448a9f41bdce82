import { AppError } from '../shared/errors.js';
import sharp, { type KernelEnum, type Sharp } from 'sharp';
import { type FamilyTraits, type ImageTraits, unhandled } from './families.js';

/** What preprocessor_config.json asks for, resolved once per pack. */
export interface ImageSpec {
  /** SigLIP: resize straight to height x width. CLIP: shortest edge to `shortestEdge`, then crop. */
  resize: { kind: 'exact'; height: number; width: number } | { kind: 'shortestEdge'; shortestEdge: number } | null;
  crop: { height: number; width: number } | null;
  kernel: keyof KernelEnum;
  rescale: number | null;
  mean: [number, number, number];
  std: [number, number, number];
  /** Output tensor height/width after resize and crop. */
  height: number;
  width: number;
}

export interface DecodeLimits {
  /** Images with more pixels than this are refused before decoding (decompression bombs). */
  maxPixels: number;
  /** JPEG/WebP shrink-on-load: much faster on big photos, a slightly different resample than PIL. */
  fastShrinkOnLoad: boolean;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPixels: 100_000_000, fastShrinkOnLoad: true };

/** An image that could not be decoded; `index` is its position in the batch given to the engine. */
/** A batch image that cannot be decoded; `index` is its position in the batch. */
export class ImageDecodeError extends AppError {
  override name = 'ImageDecodeError';
  constructor(
    message: string,
    readonly index: number,
  ) {
    super('bad_request', message);
  }
}

/** PIL resample codes (preprocessor_config `resample`) to the nearest sharp kernel. */
const PIL_KERNELS: Record<number, keyof KernelEnum> = {
  0: 'nearest',
  1: 'lanczos3',
  2: 'linear',
  3: 'cubic',
  4: 'linear', // box: no sharp equivalent; linear is the closest antialiased filter
  5: 'linear', // hamming: likewise
};

/**
 * Reads preprocessor_config.json the way the HF image processors do (old `mean`/`std` keys
 * included); what the file leaves open comes from the family's traits.
 */
export function imageSpec(pre: Record<string, unknown>, { image: traits }: FamilyTraits): ImageSpec {
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const triple = (v: unknown): [number, number, number] | undefined => {
    if (typeof v === 'number') return [v, v, v];
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number')) return v as [number, number, number];
    return undefined;
  };
  const size = pre.size as Record<string, unknown> | number | undefined;
  const doResize = pre.do_resize !== false;
  let resize: ImageSpec['resize'] = null;
  if (doResize) {
    if (typeof size === 'number') resize = bareSize(size, traits.sizeNumber);
    else if (size && num(size.shortest_edge)) resize = { kind: 'shortestEdge', shortestEdge: num(size.shortest_edge)! };
    else if (size && num(size.height) && num(size.width)) resize = { kind: 'exact', height: num(size.height)!, width: num(size.width)! };
    else throw new Error(`preprocessor_config.json: unsupported "size" ${JSON.stringify(size)}`);
  }
  let crop: ImageSpec['crop'] = null;
  if (pre.do_center_crop === true) {
    const c = pre.crop_size as Record<string, unknown> | number | undefined;
    if (typeof c === 'number') crop = { height: c, width: c };
    else if (c && num(c.height) && num(c.width)) crop = { height: num(c.height)!, width: num(c.width)! };
    else throw new Error(`preprocessor_config.json: unsupported "crop_size" ${JSON.stringify(c)}`);
  }
  const outH = crop?.height ?? (resize?.kind === 'exact' ? resize.height : undefined);
  const outW = crop?.width ?? (resize?.kind === 'exact' ? resize.width : undefined);
  if (!outH || !outW) throw new Error('preprocessor_config.json gives no fixed output size (needs size.height/width or crop_size)');
  const doNormalize = pre.do_normalize !== false;
  const resample = num(pre.resample) ?? 2; // transformers.js default when absent
  return {
    resize,
    crop,
    kernel: PIL_KERNELS[resample] ?? 'cubic',
    rescale: pre.do_rescale === false ? null : (num(pre.rescale_factor) ?? 1 / 255),
    mean: doNormalize ? (triple(pre.image_mean) ?? triple(pre.mean) ?? traits.mean) : [0, 0, 0],
    std: doNormalize ? (triple(pre.image_std) ?? triple(pre.std) ?? traits.std) : [1, 1, 1],
    height: outH,
    width: outW,
  };
}

/** A `size` given as one number, read the family's way. */
function bareSize(size: number, reading: ImageTraits['sizeNumber']): ImageSpec['resize'] {
  switch (reading) {
    case 'shortestEdge':
      return { kind: 'shortestEdge', shortestEdge: size };
    case 'square':
      return { kind: 'exact', height: size, width: size };
    default:
      return unhandled(reading);
  }
}

/** Per-channel lookup tables: uint8 value -> normalised float32, as rescale then (x - mean) / std. */
export function normalisationTables(spec: ImageSpec): Float32Array[] {
  return [0, 1, 2].map((c) => {
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) {
      const x = spec.rescale === null ? v : Math.fround(v * spec.rescale);
      table[v] = (x - spec.mean[c]!) / spec.std[c]!;
    }
    return table;
  });
}

/** CLIP's resize target: short side to `edge`, long side int()-truncated as in transformers. */
export function shortestEdgeSize(width: number, height: number, edge: number): { width: number; height: number } {
  if (width <= height) return { width: edge, height: Math.floor((edge * height) / width) };
  return { width: Math.floor((edge * width) / height), height: edge };
}

/**
 * Decodes one image to 8-bit sRGB RGB at the model's input size: EXIF orientation applied, alpha
 * flattened onto white, CMYK/grey/16-bit/palette converted, first frame of an animation.
 */
export async function decodeToRgb(bytes: Uint8Array, spec: ImageSpec, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<Buffer> {
  const open = () => sharp(bytes, { limitInputPixels: limits.maxPixels, pages: 1, failOn: 'error', sequentialRead: true });
  const meta = await open()
    .metadata()
    .catch((err: Error) => {
      throw new Error(decodeMessage(err, limits));
    });
  if (!meta.width || !meta.height) throw new Error('not an image (no width/height)');
  // Orientations 5-8 swap the axes.
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;

  let img = meta.space === 'cmyk' && !meta.hasProfile && meta.depth === 'uchar' ? await profilelessCmyk(open, limits) : open().autoOrient().flatten({ background: '#ffffff' }).toColourspace('srgb');
  let w = width;
  let h = height;
  if (spec.resize) {
    const target = spec.resize.kind === 'exact' ? spec.resize : shortestEdgeSize(width, height, spec.resize.shortestEdge);
    if (target.width !== width || target.height !== height) {
      img = img.resize(target.width, target.height, { fit: 'fill', kernel: spec.kernel, fastShrinkOnLoad: limits.fastShrinkOnLoad });
      w = target.width;
      h = target.height;
    }
  }
  if (spec.crop) {
    const { width: cw, height: ch } = spec.crop;
    if (cw > w || ch > h) {
      // Like the HF processors: pad with zeros (black) when the image is smaller than the crop.
      const left = Math.floor((cw - w) / 2);
      const top = Math.floor((ch - h) / 2);
      img = sharp(await img.removeAlpha().raw({ depth: 'uchar' }).toBuffer(), { raw: { width: w, height: h, channels: 3 } }).extend({
        left,
        top,
        right: Math.max(0, cw - w - left),
        bottom: Math.max(0, ch - h - top),
        background: { r: 0, g: 0, b: 0 },
      });
      w = Math.max(w, cw);
      h = Math.max(h, ch);
    }
    if (cw !== w || ch !== h) img = img.extract({ left: Math.floor((w - cw) / 2), top: Math.floor((h - ch) / 2), width: cw, height: ch });
  }
  const { data, info } = await img
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((err: Error) => {
      throw new Error(decodeMessage(err, limits));
    });
  if (info.channels !== 3 || info.width !== spec.width || info.height !== spec.height) {
    throw new Error(`decoded to ${info.width}x${info.height}x${info.channels}, expected ${spec.width}x${spec.height}x3`);
  }
  return data;
}

/**
 * CMYK (ink amounts, 0 = none) to RGB exactly as Pillow's `convert("RGB")` does, with no colour
 * profile: R = (255 - C)(255 - K) / 255 in Pillow's integer arithmetic, likewise G and B.
 */
export function cmykToRgb(cmyk: Uint8Array): Buffer {
  const n = Math.floor(cmyk.length / 4);
  const out = Buffer.allocUnsafe(n * 3);
  for (let i = 0, p = 0, q = 0; i < n; i++, p += 4, q += 3) {
    const nk = 255 - cmyk[p + 3]!;
    for (let c = 0; c < 3; c++) {
      const t = cmyk[p + c]! * nk + 128;
      out[q + c] = nk - (((t >> 8) + t) >> 8);
    }
  }
  return out;
}

/**
 * A CMYK image without an embedded profile, converted the way the Hugging Face processors do
 * (Pillow: plain inversion), not through libvips' fallback CMYK profile, which moved embeddings to
 * cosine 0.93-0.99 from the reference. Like Pillow, libvips reads every CMYK JPEG in Adobe
 * polarity (stored values inverted), with or without the APP14 "Adobe" segment; the tests hold
 * both. With a profile, the caller converts through it instead.
 */
async function profilelessCmyk(open: () => Sharp, limits: DecodeLimits): Promise<Sharp> {
  const { data, info } = await open()
    .autoOrient()
    .pipelineColourspace('cmyk')
    .toColourspace('cmyk')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((err: Error) => {
      throw new Error(decodeMessage(err, limits));
    });
  if (info.channels !== 4) throw new Error(`CMYK image decoded to ${info.channels} channels`);
  return sharp(cmykToRgb(data), { raw: { width: info.width, height: info.height, channels: 3 } });
}

function decodeMessage(err: Error, limits: DecodeLimits): string {
  if (/pixel limit/i.test(err.message)) return `image is too large (more than ${limits.maxPixels.toLocaleString('en-US')} pixels); refusing to decode it`;
  if (/unsupported image format/i.test(err.message)) return 'not a supported image format';
  return `cannot decode image: ${err.message}`;
}

/** Writes interleaved RGB into planar (NCHW) floats at `out[offset...]`. */
export function rgbToPlanar(rgb: Uint8Array, tables: Float32Array[], out: Float32Array, offset: number): void {
  const plane = rgb.length / 3;
  const [r, g, b] = tables as [Float32Array, Float32Array, Float32Array];
  for (let i = 0, p = 0; i < plane; i++, p += 3) {
    out[offset + i] = r[rgb[p]!]!;
    out[offset + plane + i] = g[rgb[p + 1]!]!;
    out[offset + 2 * plane + i] = b[rgb[p + 2]!]!;
  }
}

/** Image bytes to one float32 NCHW batch tensor's data ([n, 3, H, W]). */
export class ImagePreprocessor {
  private readonly tables: Float32Array[];
  constructor(
    readonly spec: ImageSpec,
    readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
  ) {
    this.tables = normalisationTables(spec);
  }

  get pixelsPerImage(): number {
    return 3 * this.spec.height * this.spec.width;
  }

  /** Decodes all images concurrently (sharp works on libuv's pool); errors name the image's index. */
  async batch(images: Uint8Array[], indexOffset = 0): Promise<Float32Array> {
    const out = new Float32Array(images.length * this.pixelsPerImage);
    await Promise.all(
      images.map(async (bytes, i) => {
        let rgb: Buffer;
        try {
          rgb = await decodeToRgb(bytes, this.spec, this.limits);
        } catch (err) {
          throw new ImageDecodeError(`image ${indexOffset + i}: ${err instanceof Error ? err.message : err}`, indexOffset + i);
        }
        rgbToPlanar(rgb, this.tables, out, i * this.pixelsPerImage);
      }),
    );
    return out;
  }
}

import sharp, { type Metadata } from 'sharp';

export const THUMBNAIL_SIZE = 256;
export const THUMBNAIL_MIME = 'image/webp';
/** Default pixel limit per image; a 100 MP RGBA decode is ~400 MB, the most one file may cost. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** A file that is not a usable image; `message` is the one-line reason shown to the user. */
export class ImageRejected extends Error {
  override name = 'ImageRejected';
}

export interface DecodedImage {
  format: string;
  /** After EXIF orientation. */
  width: number;
  height: number;
  thumbnail: Buffer;
}

let sharpTuned = false;
/**
 * libvips' operation cache keeps recent decodes around for re-use, which an import (every input
 * different) never benefits from; cap it so memory stays flat over 100,000 files.
 */
function tuneSharp(): void {
  if (sharpTuned) return;
  sharp.cache({ memory: 32, files: 0, items: 16 });
  sharpTuned = true;
}

/**
 * Checks the header first (dimensions, without decoding pixels), refuses anything over
 * `maxPixels`, then decodes once to make the thumbnail, which also proves the pixel data is
 * intact: truncated and corrupt files fail here, never later in the embedder.
 */
export async function decodeImage(bytes: Buffer, maxPixels = DEFAULT_MAX_PIXELS): Promise<DecodedImage> {
  tuneSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch (err) {
    throw new ImageRejected(`unreadable image header: ${sharpReason(err)}`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new ImageRejected('image header has no dimensions');
  const pixels = width * height;
  if (pixels > maxPixels) {
    throw new ImageRejected(`${width}x${height} is ${megapixels(pixels)} MP, over the ${megapixels(maxPixels)} MP limit`);
  }
  let thumbnail: Buffer;
  try {
    thumbnail = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', pages: 1, autoOrient: true })
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75, effort: 2 })
      .timeout({ seconds: 120 })
      .toBuffer();
  } catch (err) {
    throw new ImageRejected(`corrupt or truncated ${meta.format ?? 'image'}: ${sharpReason(err)}`);
  }
  const oriented = meta.autoOrient ?? { width, height };
  return { format: meta.format ?? 'unknown', width: oriented.width, height: oriented.height, thumbnail };
}

function megapixels(pixels: number): string {
  const mp = pixels / 1e6;
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1);
}

/** sharp/libvips messages can run over several lines; keep the first meaningful one. */
function sharpReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n').map((l) => l.trim()).find(Boolean);
  // libvips' error text can be lost when several decodes fail at once; say what it means.
  if (!line || /^unknown error$/i.test(line)) return 'the decoder stopped on damaged or missing image data';
  return line.slice(0, 300);
}

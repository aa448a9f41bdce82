import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src-main/engine/families.js';
import { ImageDecodeError, ImagePreprocessor, decodeToRgb, imageSpec, shortestEdgeSize } from '../../src-main/engine/preprocess.js';

const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD = [0.26862954, 0.26130258, 0.27577711];

/** 4x2 RGB image, row-major: every pixel distinct so a crop or flip shows. */
const PIXELS_4x2 = [
  [255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30],
  [40, 50, 60], [70, 80, 90], [100, 110, 120], [130, 140, 150],
];

async function png(pixels: number[][], width: number, height: number, channels: 3 | 4 = 3): Promise<Buffer> {
  return sharp(Buffer.from(pixels.flat()), { raw: { width, height, channels } }).png().toBuffer();
}

/** Hand-computed NCHW tensor: x/255 then (x - mean) / std, channel planes one after another. */
function expected(pixels: number[][], mean: number[], std: number[]): number[] {
  return [0, 1, 2].flatMap((c) => pixels.map((p) => (p[c]! / 255 - mean[c]!) / std[c]!));
}

function closeTo(actual: Float32Array, want: number[], tol = 1e-6): void {
  expect(actual.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(actual[i]! - w)).toBeLessThan(tol));
}

describe('imageSpec', () => {
  it('reads SigLIP v1: squash to height x width, bicubic, mean/std 0.5 (old mean/std keys too)', () => {
    const spec = imageSpec({ size: { height: 224, width: 224 }, resample: 3, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], rescale_factor: 1 / 255 }, FAMILIES.siglip);
    expect(spec).toMatchObject({ resize: { kind: 'exact', height: 224, width: 224 }, crop: null, kernel: 'cubic', mean: [0.5, 0.5, 0.5], height: 224, width: 224 });
  });
  it('reads SigLIP2: bilinear (resample 2)', () => {
    expect(imageSpec({ size: { height: 256, width: 256 }, resample: 2, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] }, FAMILIES.siglip).kernel).toBe('linear');
  });
  it('reads CLIP: shortest edge then centre crop, CLIP mean/std', () => {
    const spec = imageSpec({ size: { shortest_edge: 224 }, do_center_crop: true, crop_size: { height: 224, width: 224 }, resample: 3, image_mean: CLIP_MEAN, image_std: CLIP_STD }, FAMILIES.clip);
    expect(spec).toMatchObject({ resize: { kind: 'shortestEdge', shortestEdge: 224 }, crop: { height: 224, width: 224 }, height: 224, width: 224, mean: CLIP_MEAN });
  });
  it('refuses a config with no output size', () => {
    expect(() => imageSpec({ size: { longest_edge: 3 } }, FAMILIES.siglip)).toThrow(/unsupported "size"/);
  });
  it('keeps the long side int()-truncated like transformers', () => {
    expect(shortestEdgeSize(300, 200, 224)).toEqual({ width: 336, height: 224 });
    expect(shortestEdgeSize(192, 164, 64)).toEqual({ width: 74, height: 64 });
  });
});

describe('preprocessing to NCHW float32', () => {
  it('SigLIP at the image size is an identity resize: exact normalised pixels, planar', async () => {
    const pre = new ImagePreprocessor(imageSpec({ size: { height: 2, width: 4 }, resample: 3 }, FAMILIES.siglip));
    closeTo(await pre.batch([await png(PIXELS_4x2, 4, 2)]), expected(PIXELS_4x2, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]));
  });

  it('CLIP crops the centre at floor((dim - crop) / 2) with CLIP mean/std', async () => {
    const pre = new ImagePreprocessor(imageSpec({ size: { shortest_edge: 2 }, do_center_crop: true, crop_size: { height: 2, width: 2 }, resample: 3 }, FAMILIES.clip));
    // 4 wide, crop 2: offset 1 -> columns 1 and 2.
    const cropped = [PIXELS_4x2[1]!, PIXELS_4x2[2]!, PIXELS_4x2[5]!, PIXELS_4x2[6]!];
    closeTo(await pre.batch([await png(PIXELS_4x2, 4, 2)]), expected(cropped, CLIP_MEAN, CLIP_STD), 1e-5);
  });

  it('SigLIP squashes to the target size ignoring aspect ratio (uniform colour stays exact)', async () => {
    const pre = new ImagePreprocessor(imageSpec({ size: { height: 4, width: 4 }, resample: 3 }, FAMILIES.siglip));
    const wide = await png(Array.from({ length: 16 }, () => [200, 100, 50]), 8, 2);
    closeTo(await pre.batch([wide]), expected(Array.from({ length: 16 }, () => [200, 100, 50]), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]), 1e-5);
  });

  it('stacks a batch in input order', async () => {
    const pre = new ImagePreprocessor(imageSpec({ size: { height: 1, width: 1 } }, FAMILIES.siglip));
    const out = await pre.batch([await png([[255, 255, 255]], 1, 1), await png([[0, 0, 0]], 1, 1)]);
    expect(Array.from(out)).toEqual([1, 1, 1, -1, -1, -1]);
  });
});

describe('decoding odd inputs to 8-bit sRGB', () => {
  const exact = (h: number, w: number) => imageSpec({ size: { height: h, width: w }, resample: 3 }, FAMILIES.siglip);

  it('applies EXIF orientation before resizing', async () => {
    // 16x8: left half red, right half blue; orientation 6 = rotate 90 degrees clockwise -> red on top.
    const raw = Buffer.alloc(16 * 8 * 3);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 16; x++) raw.set(x < 8 ? [255, 0, 0] : [0, 0, 255], (y * 16 + x) * 3);
    const jpeg = await sharp(raw, { raw: { width: 16, height: 8, channels: 3 } }).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const rgb = await decodeToRgb(jpeg, exact(16, 8));
    const at = (x: number, y: number) => Array.from(rgb.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3));
    expect(at(4, 2)[0]).toBeGreaterThan(200); // top: red
    expect(at(4, 2)[2]).toBeLessThan(60);
    expect(at(4, 13)[2]).toBeGreaterThan(200); // bottom: blue
    expect(at(4, 13)[0]).toBeLessThan(60);
  });

  it('flattens alpha onto white', async () => {
    const rgba = await png([[0, 0, 0, 0], [255, 0, 0, 255], [0, 0, 255, 128], [0, 0, 0, 255]], 4, 1, 4);
    const rgb = Array.from(await decodeToRgb(rgba, exact(1, 4)));
    expect(rgb.slice(0, 6)).toEqual([255, 255, 255, 255, 0, 0]);
    expect(rgb.slice(6, 9).map((v) => Math.abs(v - [127, 127, 255][rgb.slice(6, 9).indexOf(v)]!) <= 1)).toEqual([true, true, true]);
    expect(rgb.slice(9)).toEqual([0, 0, 0]);
  });

  it('converts CMYK JPEGs to RGB', async () => {
    const raw = Buffer.from([255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 12 * 2));
    const cmyk = await sharp(raw, { raw: { width: 4, height: 2, channels: 3 } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const rgb = await decodeToRgb(cmyk, exact(2, 4));
    expect(rgb.length).toBe(4 * 2 * 3);
    expect(rgb[0]).toBeGreaterThan(240); // white stays white
    expect(rgb[rgb.length - 1]).toBeLessThan(60); // black stays dark
  });

  it('converts 16-bit PNGs to 8 bits', async () => {
    const png16 = await sharp(Buffer.from(PIXELS_4x2.flat()), { raw: { width: 4, height: 2, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    expect(Array.from(await decodeToRgb(png16, exact(2, 4)))).toEqual(PIXELS_4x2.flat());
  });

  it('expands palette PNGs', async () => {
    const pal = await sharp(Buffer.from(PIXELS_4x2.slice(0, 4).flat()), { raw: { width: 4, height: 1, channels: 3 } }).png({ palette: true, colours: 4, dither: 0 }).toBuffer();
    expect((await sharp(pal).metadata()).isPalette).toBe(true);
    const rgb = Array.from(await decodeToRgb(pal, exact(1, 4)));
    PIXELS_4x2.slice(0, 4).flat().forEach((v, i) => expect(Math.abs(rgb[i]! - v)).toBeLessThanOrEqual(8));
  });

  it('expands greyscale to three equal channels', async () => {
    const grey = await sharp(Buffer.from([0, 100, 200, 255]), { raw: { width: 4, height: 1, channels: 1 } }).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    expect(Array.from(await decodeToRgb(grey, exact(1, 4)))).toEqual([0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
  });

  it('takes the first frame of an animated GIF', async () => {
    const red = await sharp(Buffer.from(Array(4 * 3).fill(0).map((_, i) => (i % 3 === 0 ? 255 : 0))), { raw: { width: 2, height: 2, channels: 3 } }).png().toBuffer();
    const blue = await sharp(Buffer.from(Array(4 * 3).fill(0).map((_, i) => (i % 3 === 2 ? 255 : 0))), { raw: { width: 2, height: 2, channels: 3 } }).png().toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } }).gif().toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    expect(Array.from(await decodeToRgb(gif, exact(2, 2)))).toEqual([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0]);
  });
});

/** A PNG that claims 60000x60000 pixels: only the header is valid, the way decompression bombs start. */
function bombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(60000, 0);
  ihdr.writeUInt32BE(60000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

describe('bad images fail cleanly', () => {
  const pre = new ImagePreprocessor(imageSpec({ size: { height: 4, width: 4 } }, FAMILIES.siglip));

  it('refuses a decompression bomb before decoding, naming the image', async () => {
    const err = await pre.batch([await png([[1, 2, 3]], 1, 1), bombPng()]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect((err as ImageDecodeError).index).toBe(1);
    expect((err as Error).message).toMatch(/image 1: image is too large \(more than 100,000,000 pixels\)/);
  });

  it('honours a smaller pixel limit', async () => {
    const small = new ImagePreprocessor(pre.spec, { maxPixels: 5, fastShrinkOnLoad: true });
    await expect(small.batch([await png(PIXELS_4x2, 4, 2)])).rejects.toThrow(/too large/);
  });

  it('names a file that is not an image', async () => {
    await expect(pre.batch([Buffer.from('hello, not an image')], 5)).rejects.toThrow(/image 5: not a supported image format/);
  });
});

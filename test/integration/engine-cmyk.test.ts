import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src-main/engine/families.js';
import { cmykToRgb, decodeToRgb, imageSpec } from '../../src-main/engine/preprocess.js';
import { ModelRegistry } from '../../src-main/engine/registry.js';
import { DEFAULT_NEAR } from '../../src-main/features/duplicates/tiers.js';
import { appRoot } from '../../src-main/shared/paths.js';

// Fixtures and Pillow / littleCMS references: tools/cmyk-fixtures.py.
const dir = path.join(appRoot, 'test', 'fixtures', 'cmyk');
const read = (name: string) => fs.readFileSync(path.join(dir, name));
/** Identity size: the decoded pixels are compared with the reference before any resampling. */
const FULL = imageSpec({ size: { height: 192, width: 256 }, resample: 3 }, FAMILIES.siglip);

async function rgbOf(png: Buffer): Promise<Buffer> {
  return sharp(png).removeAlpha().raw().toBuffer();
}

function diff(a: Uint8Array, b: Uint8Array): { mean: number; max: number } {
  expect(a.length).toBe(b.length);
  let sum = 0;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    max = Math.max(max, d);
  }
  return { mean: sum / a.length, max };
}

/** The same JPEG without its APP14 "Adobe" segment: Pillow still reads it in Adobe polarity. */
function withoutAdobeSegment(jpeg: Buffer): Buffer {
  for (let i = 2; i + 4 < jpeg.length; ) {
    const marker = jpeg[i + 1]!;
    const length = jpeg.readUInt16BE(i + 2);
    if (marker === 0xee) return Buffer.concat([jpeg.subarray(0, i), jpeg.subarray(i + 2 + length)]);
    if (marker === 0xda) break;
    i += 2 + length;
  }
  throw new Error('no APP14 segment');
}

/** The fixture photo as CMYK with libvips' built-in profile embedded (~1 MB, so written here, not committed). */
const cmykWithProfile = () => sharp(read('photo-rgb.jpg')).toColourspace('cmyk').withIccProfile('cmyk').jpeg({ quality: 92 }).toBuffer();

describe('CMYK JPEG decoding like the Hugging Face processors (Pillow)', () => {
  it('converts Pillow integer arithmetic exactly: R = (255 - C)(255 - K) / 255', () => {
    const cmyk = Uint8Array.from([0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 100, 50, 200, 30, 255, 255, 255, 255]);
    // Expected: Pillow 9.4, Image.frombytes("CMYK", (5, 1), ...).convert("RGB").
    expect(Array.from(cmykToRgb(cmyk))).toEqual([255, 255, 255, 0, 255, 255, 0, 0, 0, 137, 181, 49, 0, 0, 0]);
  });

  it('a profile-less CMYK JPEG decodes to Pillow\'s pixels', async () => {
    const d = diff(await decodeToRgb(read('photo-cmyk.jpg'), FULL), await rgbOf(read('photo-cmyk.pil.png')));
    expect(d.max).toBeLessThanOrEqual(2);
    expect(d.mean).toBeLessThan(0.05);
  });

  it('without the Adobe segment, reads the stored values in Adobe polarity as Pillow does', async () => {
    const d = diff(await decodeToRgb(withoutAdobeSegment(read('photo-cmyk.jpg')), FULL), await rgbOf(read('photo-cmyk.pil.png')));
    expect(d.max).toBeLessThanOrEqual(2);
  });

  it('a CMYK JPEG with an embedded ICC profile is converted with that profile', async () => {
    const jpeg = await cmykWithProfile();
    expect((await sharp(jpeg).metadata()).hasProfile).toBe(true);
    const decoded = await decodeToRgb(jpeg, FULL);
    const withProfile = diff(decoded, await rgbOf(read('photo-cmyk-icc.lcms.png')));
    expect(withProfile.mean).toBeLessThan(2.5);
    // Ignoring the profile (plain inversion) would be far off: the profile really was used.
    const raw = await sharp(jpeg).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer();
    expect(diff(decoded, cmykToRgb(raw)).mean).toBeGreaterThan(10);
  });
});

const packs = ['demo-siglip', 'demo-clip'].filter((id) => fs.existsSync(path.join(appRoot, 'resources', 'models', id, 'onnx', 'vision_model.onnx')));

describe.skipIf(packs.length < 2)('CMYK embeddings against the reference (bundled packs)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-cmyk-'));
  const registry = new ModelRegistry({ bundledDir: path.join(appRoot, 'resources', 'models'), installedDir: path.join(home, 'models'), embedder: { provider: 'cpu' } });
  afterAll(async () => {
    await registry.close();
    fs.rmSync(home, { recursive: true, force: true });
  });
  const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

  for (const id of packs) {
    it(`${id}: profile-less CMYK embeds at cosine >= 0.999 to the Pillow reference; the RGB copy stays a near-duplicate`, async () => {
      const e = await registry.embedder(id);
      const [cmyk, reference, stripped, rgb] = await e.embedImages([read('photo-cmyk.jpg'), read('photo-cmyk.pil.png'), withoutAdobeSegment(read('photo-cmyk.jpg')), read('photo-rgb.jpg')]);
      expect(cos(cmyk!, reference!)).toBeGreaterThanOrEqual(0.999);
      expect(cos(stripped!, reference!)).toBeGreaterThanOrEqual(0.999);
      expect(cos(cmyk!, rgb!)).toBeGreaterThanOrEqual(DEFAULT_NEAR.cosine);
    });

    it(`${id}: CMYK with a profile embeds nearer the littleCMS conversion than to the same file without its profile`, async () => {
      const e = await registry.embedder(id);
      const jpeg = await cmykWithProfile();
      const ignored = await sharp(cmykToRgb(await sharp(jpeg).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer()), { raw: { width: 256, height: 192, channels: 3 } }).png().toBuffer();
      const [withProfile, reference, plain] = await e.embedImages([jpeg, read('photo-cmyk-icc.lcms.png'), ignored]);
      expect(cos(withProfile!, reference!)).toBeGreaterThan(cos(plain!, reference!));
      expect(cos(withProfile!, reference!)).toBeGreaterThanOrEqual(0.97);
    });
  }
});

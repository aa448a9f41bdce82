import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ALIGN_BYTES, ALIGN_SIDE } from '../../src-main/engine/image-hash.js';
import { Aligner } from '../../src-main/features/duplicates/alignment.js';
import { ALIGN_GATE, alignNodes, packHashes, pairSignalsOf } from '../../src-main/features/duplicates/graph.js';
import { computeImageHashes } from '../../src-main/engine/image-hash.js';
import { DEFAULT_NEAR, classifyPair, defaultTierSettings, otherColour } from '../../src-main/features/duplicates/tiers.js';
import { rng } from '../../src-main/bench/duplicates-edits.js';
import { productSvg, randomProduct, randomScene, sceneSvg } from '../../src-main/bench/duplicates-renders.js';
import { syntheticPhoto } from '../helpers/photos.js';

const photo = (seed: number, width?: number, height?: number) => syntheticPhoto(seed, width, height);

const crop = (img: Buffer, left: number, top: number, width: number, height: number) => sharp(img).extract({ left, top, width, height }).jpeg({ quality: 85 }).toBuffer();

/** Hashes of [original, other] and the evidence the finder would compute for the pair (as if the embeddings agreed at `cosine`). */
async function pair(a: Buffer, b: Buffer, cosine = 0.99) {
  const hashes = await Promise.all([computeImageHashes(a), computeImageHashes(b)]);
  const packed = packHashes(hashes);
  return { packed, signals: pairSignalsOf(packed, new Aligner(), 0, 1, cosine, false) };
}

describe('crop alignment', () => {
  const t = defaultTierSettings();

  it('finds an off-grid crop that the sub-region hashes miss, and only that makes the pair near', async () => {
    const a = await photo(11);
    // 13 % off the width, 7 % off the height, at offsets between the 5 % anchors of the crop hashes.
    const { signals } = await pair(a, await crop(a, 29, 6, 278, 223));
    expect(signals.crop).toBeGreaterThan(DEFAULT_NEAR.cropHash);
    expect(signals.hash).toBeGreaterThan(DEFAULT_NEAR.hash);
    expect(signals.align).toBeGreaterThanOrEqual(DEFAULT_NEAR.alignScore);
    expect(classifyPair(signals, t)).toBe('near');
    expect(classifyPair({ ...signals, align: Number.NaN }, t)).toBe('similar');
    expect(signals.alignColour).toBeLessThan(DEFAULT_NEAR.colour);
  });

  it('edits of the whole frame line up with agreeing colours; greyscale does not contradict them; a hue rotation does', async () => {
    const a = await photo(19);
    const edits = {
      recompress: await sharp(a).jpeg({ quality: 35 }).toBuffer(),
      resize: await sharp(a).resize(120).jpeg().toBuffer(),
      tone: await sharp(a).linear(0.8, 0).linear(1.2, 128 * (1 - 1.2)).jpeg().toBuffer(),
      padded: await sharp(a).extend({ top: 30, bottom: 30, left: 30, right: 30, background: '#ffffff' }).jpeg().toBuffer(),
      greyscale: await sharp(a).greyscale().jpeg().toBuffer(),
    };
    for (const [name, b] of Object.entries(edits)) {
      const { signals } = await pair(a, b);
      expect(signals.frame, name).toBeGreaterThanOrEqual(name === 'greyscale' ? DEFAULT_NEAR.frameGrey : DEFAULT_NEAR.frame);
      if (name === 'greyscale') expect(Number.isNaN(signals.frameColour)).toBe(true);
      else expect(signals.frameColour, name).toBeLessThanOrEqual(DEFAULT_NEAR.colour);
      expect(classifyPair(signals, t), name).toBe('near');
    }
    for (const hue of [60, 120, 180]) {
      const { signals } = await pair(a, await sharp(a).modulate({ hue }).jpeg().toBuffer());
      expect(signals.frameColour, `hue ${hue}`).toBeGreaterThan(DEFAULT_NEAR.colour);
      expect(classifyPair(signals, t)).toBe('similar');
      expect(otherColour(signals, t)).toBe(true);
    }
  });

  it('also when the crop was resized and re-encoded', async () => {
    const a = await photo(12);
    const b = await sharp(await crop(a, 40, 20, 256, 200)).resize(128).webp({ quality: 70 }).toBuffer();
    const { signals } = await pair(a, b);
    expect(signals.align).toBeGreaterThanOrEqual(DEFAULT_NEAR.alignScore);
  });

  it('the same scene framed elsewhere (left and right 55 %) does not align', async () => {
    const a = await photo(13);
    const { signals } = await pair(await crop(a, 0, 0, 176, 240), await crop(a, 144, 0, 176, 240));
    expect(Number.isNaN(signals.align) || signals.align < DEFAULT_NEAR.alignScore).toBe(true);
    expect(classifyPair(signals, t)).not.toBe('near');
  });

  it('a crop of the same design in another colour is not near', async () => {
    const a = await photo(14);
    const recoloured = await sharp(await crop(a, 24, 12, 272, 216)).modulate({ hue: 140 }).jpeg().toBuffer();
    const { signals } = await pair(a, recoloured);
    // Where the window lines up on grey levels, the colour distance there is the hue rotation.
    expect(Number.isNaN(signals.align) || signals.alignColour > DEFAULT_NEAR.colour).toBe(true);
    expect(classifyPair(signals, t)).not.toBe('near');
  });

  it('the colour check alone rejects a crop whose grey levels match but whose colours do not', async () => {
    const a = await photo(14);
    const cropped = await crop(a, 24, 12, 272, 216);
    const recoloured = await sharp(cropped).modulate({ hue: 140 }).jpeg().toBuffer();
    const hashes = await Promise.all([a, cropped, recoloured].map((x) => computeImageHashes(x)));
    // The crop's own grey thumbnail with the recoloured copy's chroma planes: only the colours differ.
    const greyBytes = ALIGN_SIDE * ALIGN_SIDE;
    const swapped = Uint8Array.from(hashes[1]!.thumb);
    swapped.set(hashes[2]!.thumb.subarray(greyBytes), greyBytes);
    const packed = packHashes([hashes[0]!, hashes[1]!, { ...hashes[1]!, thumb: swapped }]);
    const aligner = new Aligner();
    expect(alignNodes(packed, aligner, 0, 1)).toBeGreaterThanOrEqual(DEFAULT_NEAR.alignScore);
    expect(Number.isNaN(alignNodes(packed, aligner, 0, 2))).toBe(true);
  });

  it('different photos never align, whatever the cosine', async () => {
    const hashes = await Promise.all([15, 16, 17].map(async (s) => computeImageHashes(await photo(s))));
    const packed = packHashes(hashes);
    const aligner = new Aligner();
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]] as const) {
      const score = alignNodes(packed, aligner, i, j);
      expect(Number.isNaN(score) || score < DEFAULT_NEAR.alignScore).toBe(true);
    }
  });

  it('is not searched below the cosine gate (the content must agree first)', async () => {
    const a = await photo(18);
    const { signals } = await pair(a, await crop(a, 29, 6, 278, 223), ALIGN_GATE.minCosine - 0.01);
    expect(Number.isNaN(signals.align)).toBe(true);
  });
});

describe('moved blocks', () => {
  /** A textured grey signature: f sampled at the pixel centres of the window (ox, oy, sx, sy) of the unit square, no colour. */
  const sample = (f: (x: number, y: number) => number, w: { ox: number; oy: number; sx: number; sy: number }) => {
    const sig = new Uint8Array(ALIGN_BYTES).fill(128);
    for (let y = 0; y < ALIGN_SIDE; y++) for (let x = 0; x < ALIGN_SIDE; x++) sig[y * ALIGN_SIDE + x] = Math.round(f(w.ox + (w.sx * (x + 0.5)) / ALIGN_SIDE, w.oy + (w.sy * (y + 0.5)) / ALIGN_SIDE));
    return sig;
  };
  const texture = (x: number, y: number) => 128 + 50 * Math.sin(x * 23 + 1) * Math.cos(y * 19) + 40 * Math.sin((x + y) * 31);
  const whole = { ox: 0, oy: 0, sx: 1, sy: 1 };

  it('a window off by a pixel in scale is a misregistration, not motion', () => {
    const container = sample(texture, whole);
    const window = { ox: 0.1, oy: 0.08, sx: 0.8, sy: 0.82 };
    const crop = sample(texture, window);
    const aligner = new Aligner();
    expect(aligner.movedBlocks(container, crop, window).moved).toBe(0);
    // The right and bottom edges placed 1.5 and 1 container pixels too far out: the far blocks look shifted against the near ones.
    const stretched = { ...window, sx: window.sx + 1.5 / ALIGN_SIDE, sy: window.sy + 1 / ALIGN_SIDE };
    expect(aligner.movedBlocks(container, crop, stretched).moved).toBe(0);
  });

  it('parallax is not undone by moving the window: near things shifted against far ones still count', () => {
    const container = sample(texture, whole);
    // The lower half (near) shifted sideways by two pixels against the upper half (far).
    const shot = sample((x, y) => texture(y > 0.5 ? x + 2 / ALIGN_SIDE : x, y), whole);
    expect(new Aligner().movedBlocks(container, shot, whole).moved).toBeGreaterThan(0);
  });
});

describe('same capture, not a second shot', () => {
  const t = defaultTierSettings();
  const render = (svg: string) => sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();

  it('a scene shot again from a camera moved sideways is not near, even where its frames correlate; an edit of one shot is', async () => {
    for (const seed of [3, 5, 8, 13]) {
      const scene = randomScene(rng(seed));
      const a = await render(sceneSvg(scene, 0, 0));
      const b = await render(sceneSvg(scene, 0.3, 0.02));
      const { signals } = await pair(a, b);
      expect(classifyPair(signals, t), `seed ${seed}`).not.toBe('near');
      if (signals.frame >= DEFAULT_NEAR.frame) {
        // The frames alone would pass: the moved blocks are what says "another shot".
        expect(signals.frameMoved, `seed ${seed}`).toBeGreaterThan(DEFAULT_NEAR.moved);
      }
      const edited = await sharp(a).resize(200).jpeg({ quality: 50 }).toBuffer();
      const same = await pair(a, edited);
      expect(same.signals.frameMoved).toBe(0);
      expect(classifyPair(same.signals, t), `seed ${seed} edit`).toBe('near');
    }
  });

  it('a product turned a little and moved on the table is not near; a recoloured one is other colour', async () => {
    for (const seed of [21, 22, 23]) {
      const product = randomProduct(rng(seed));
      const a = await render(productSvg(product, 0));
      const turned = await render(productSvg({ ...product, cx: product.cx + 12, size: product.size * 1.03 }, 0.35));
      expect(classifyPair((await pair(a, turned)).signals, t), `seed ${seed}`).not.toBe('near');
      const repainted = await render(productSvg({ ...product, parts: product.parts.map((p, i) => (i === 0 ? { ...p, hue: (p.hue + 150) % 360 } : p)) }, 0));
      const { signals } = await pair(a, repainted);
      expect(classifyPair(signals, t), `seed ${seed} recoloured`).not.toBe('near');
      expect(otherColour(signals, t), `seed ${seed} recoloured`).toBe(true);
    }
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { computeImageHashes, hammingHex, hashDistance, padConsistent } from '../../src-main/engine/image-hash.js';
import { cropDistance, packHashes } from '../../src-main/features/duplicates/graph.js';
import { DEFAULT_NEAR } from '../../src-main/features/duplicates/tiers.js';
import { EDITS, applyEdit } from '../../src-main/bench/duplicates-edits.js';
import { syntheticPhoto } from '../helpers/photos.js';

const photo = (seed: number, width?: number, height?: number) => syntheticPhoto(seed, width, height);

let n = 0;
const rand = () => ((n = (n * 1103515245 + 12345) % 2 ** 31), n / 2 ** 31);

describe('perceptual hashes', () => {
  it('an identical re-encode has the same pixel hash; a different photo does not', async () => {
    const a = await photo(1);
    const png = await sharp(a).png().toBuffer();
    const [ha, hp, hb] = await Promise.all([computeImageHashes(a), computeImageHashes(png), computeImageHashes(await photo(2))]);
    expect(hp.pixelSha).toBe(ha.pixelSha);
    expect(hb.pixelSha).not.toBe(ha.pixelSha);
  });

  const pixelEdits = EDITS.filter((e) => e !== 'crop' && e !== 'crop_offset' && e !== 'mirror');
  it.each(pixelEdits)('the same photo after "%s" is within the near hash threshold', async (edit) => {
    const a = await photo(3);
    const b = (await applyEdit(a, edit, rand)).bytes;
    const [ha, hb] = await Promise.all([computeImageHashes(a), computeImageHashes(b)]);
    expect(hashDistance(ha, hb, false)).toBeLessThanOrEqual(DEFAULT_NEAR.hash);
  });

  it('a centred 20% crop matches one of the sub-region hashes', async () => {
    const a = await photo(4);
    const meta = await sharp(a).metadata();
    const b = await sharp(a).extract({ left: 32, top: 0, width: meta.width! - 64, height: meta.height! }).jpeg().toBuffer();
    const hashes = await Promise.all([computeImageHashes(a), computeImageHashes(b)]);
    expect(cropDistance(packHashes(hashes), 0, 1)).toBeLessThanOrEqual(DEFAULT_NEAR.cropHash);
  });

  it('a mirrored copy matches only through the mirrored hash', async () => {
    const a = await photo(5);
    const b = await sharp(a).flop().jpeg().toBuffer();
    const [ha, hb] = await Promise.all([computeImageHashes(a), computeImageHashes(b)]);
    expect(hashDistance(ha, hb, false)).toBeGreaterThan(DEFAULT_NEAR.hash);
    expect(hashDistance(ha, hb, true)).toBeLessThanOrEqual(DEFAULT_NEAR.hashAlone);
  });

  it('different photos are far apart on every hash', async () => {
    const hashes = await Promise.all([6, 7, 8, 9].map(async (s) => computeImageHashes(await photo(s))));
    const packed = packHashes(hashes);
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) {
        expect(hashDistance(hashes[i]!, hashes[j]!, true)).toBeGreaterThan(DEFAULT_NEAR.hash);
        expect(cropDistance(packed, i, j)).toBeGreaterThan(DEFAULT_NEAR.cropHash);
      }
    }
  });

  it('a padded copy is recognised by its trim box; the same product re-shot elsewhere is not', () => {
    // Product at [0.2, 0.8] of the frame; padded by 10%: [0.1 + 0.8*0.2, ...] = [0.26, 0.74].
    expect(padConsistent([0.2, 0.2, 0.8, 0.8], [0.26, 0.26, 0.74, 0.74])).toBe(true);
    // Same size product moved to the left: not what padding does.
    expect(padConsistent([0.2, 0.2, 0.8, 0.8], [0.05, 0.2, 0.65, 0.8])).toBe(false);
  });

  it('hammingHex counts differing bits', () => {
    expect(hammingHex('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingHex('8000000000000001', '0000000000000000')).toBe(2);
  });
});

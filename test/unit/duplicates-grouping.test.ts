import { describe, expect, it } from 'vitest';
import { type GroupEdges, pairKey, starGroups } from '../../src-main/features/duplicates/grouping.js';
import { classifyPair, defaultTierSettings, otherColour } from '../../src-main/features/duplicates/tiers.js';

function edges(list: Array<[number, number, number]>): GroupEdges {
  return {
    a: Int32Array.from(list.map((e) => e[0])),
    b: Int32Array.from(list.map((e) => e[1])),
    strength: Float32Array.from(list.map((e) => e[2])),
    length: list.length,
  };
}

const members = (groups: ReturnType<typeof starGroups>) => groups.map((g) => [g.centre, ...g.members].sort((x, y) => x - y));

describe('starGroups (no chaining)', () => {
  const chainABC = edges([
    [0, 1, 1],
    [1, 2, 1],
  ]);
  // The finder's notion of "related" (at least similar): here only the chain's own pairs.
  const relatedChain = (i: number, j: number) => Math.abs(i - j) === 1;

  it('a chain A~B~C with A far from C never produces {A, B, C}', () => {
    const groups = members(starGroups(3, chainABC, new Set(), relatedChain));
    expect(groups).not.toContainEqual([0, 1, 2]);
    expect(groups.flat().sort()).toEqual([0, 1]); // B is the centre (most links) and takes A; C stays out
  });

  it('without the relatedness check the same chain would merge (what the check prevents)', () => {
    expect(members(starGroups(3, chainABC))).toEqual([[0, 1, 2]]);
  });

  it('a long chain of borderline pairs splits into small stars instead of one group', () => {
    const chain: Array<[number, number, number]> = [];
    for (let i = 0; i < 9; i++) chain.push([i, i + 1, 1]);
    const groups = members(starGroups(10, edges(chain), new Set(), (i, j) => Math.abs(i - j) === 1));
    expect(groups.length).toBeGreaterThan(1);
    for (const g of groups) expect(g.length).toBeLessThanOrEqual(2);
  });

  it('every member is linked to the centre', () => {
    const list: Array<[number, number, number]> = [[0, 1, 1], [1, 2, 1], [2, 3, 1], [2, 4, 1], [3, 4, 1]];
    const linked = new Set(list.map(([a, b]) => pairKey(a, b)));
    for (const g of starGroups(5, edges(list))) for (const m of g.members) expect(linked.has(pairKey(g.centre, m))).toBe(true);
  });

  it('keeps pairs marked "not duplicate" apart, even as members of one centre', () => {
    const cannot = new Set([pairKey(1, 2)]);
    const groups = members(starGroups(3, edges([[0, 1, 1], [0, 2, 0.9], [1, 2, 1]]), cannot));
    for (const g of groups) expect(g.includes(1) && g.includes(2)).toBe(false);
    // A not-duplicate pair that is the only edge yields no group at all.
    expect(starGroups(2, edges([[0, 1, 1]]), new Set([pairKey(0, 1)]))).toEqual([]);
  });

  it('is deterministic and ignores duplicate edges and self-pairs', () => {
    const e = edges([[0, 1, 1], [1, 0, 1], [2, 2, 1], [3, 4, 0.5]]);
    expect(starGroups(5, e)).toEqual(starGroups(5, e));
    expect(members(starGroups(5, e))).toEqual([[0, 1], [3, 4]]);
  });
});

describe('tiers', () => {
  const t = defaultTierSettings();
  // Frames that line up with agreeing colours (the same capture) unless a test says otherwise.
  const base = { exact: false, cosine: Number.NaN, hash: 40, hashMirror: 40, crop: 40, align: Number.NaN, alignColour: Number.NaN, alignMoved: 0, frame: 0.99, frameColour: 3, frameMoved: 0, frameMirror: Number.NaN, frameMirrorColour: Number.NaN, frameMirrorMoved: 0, colourless: 0 };

  it('exact beats everything; near needs hash and cosine to agree; similar is cosine without the hash', () => {
    expect(classifyPair({ ...base, exact: true }, t)).toBe('exact');
    expect(classifyPair({ ...base, cosine: t.near.cosine + 0.01, hash: t.near.hash }, t)).toBe('near');
    expect(classifyPair({ ...base, cosine: 0.999, hash: 30 }, t)).toBe('similar');
    expect(classifyPair({ ...base, cosine: t.similarCosine - 0.01, hash: 30 }, t)).toBe(null);
    expect(classifyPair({ ...base, hash: t.near.hashAlone }, t)).toBe('near');
  });

  it('two colourless images need the hashes and a cosine the greyscale excuse cannot explain away', () => {
    // A plain and a polka-dot grey bag: pHash 4, frames alike at 32x32, the model apart.
    const greyPair = { ...base, hash: t.near.hashAlone, frameColour: Number.NaN, colourless: 2 };
    expect(classifyPair({ ...greyPair, cosine: t.near.greyCosine - 0.01 }, t)).toBe(null);
    expect(classifyPair({ ...greyPair, cosine: t.near.greyCosine }, t)).toBe('near');
    // A greyscale copy of a colour photo (one colourless image) keeps the hashes-alone branch at any cosine,
    expect(classifyPair({ ...greyPair, colourless: 1, cosine: 0.5 }, t)).toBe('near');
    // and so does a catalog without vectors.
    expect(classifyPair(greyPair, t)).toBe('near');
  });

  it('a crop counts as near through the sub-region hash, not through the whole-frame one', () => {
    expect(classifyPair({ ...base, cosine: t.near.cropCosine, crop: t.near.cropHash }, t)).toBe('near');
    expect(classifyPair({ ...base, cosine: t.near.cropCosine, crop: t.near.cropHash + 1 }, t)).toBe('similar');
  });

  it('a crop counts as near through alignment only with the cosine too (grey levels cannot see colour)', () => {
    expect(classifyPair({ ...base, cosine: t.near.alignCosine, align: t.near.alignScore, frame: 0.5 }, t)).toBe('near');
    expect(classifyPair({ ...base, cosine: t.near.alignCosine, align: t.near.alignScore - 0.005 }, t)).toBe('similar');
    // Below the alignment cosine bar, only a tighter alignment makes a crop near (the models see a tighter framing as other content) ...
    expect(classifyPair({ ...base, cosine: t.near.alignCosine - 0.01, align: t.near.tightCropScore - 0.001 }, t)).toBe('similar');
    expect(classifyPair({ ...base, cosine: t.near.tightCropCosine, align: t.near.tightCropScore, frame: 0.5 }, t)).toBe('near');
    // ... and below its own cosine bar, no alignment does.
    expect(classifyPair({ ...base, cosine: t.near.tightCropCosine - 0.01, align: 1 }, t)).not.toBe('near');
    expect(classifyPair({ ...base, align: 1 }, t)).toBe(null);
  });

  it('near needs the same capture: frames that line up, or a crop alignment', () => {
    const secondShot = { ...base, cosine: 0.99, hash: 6, frame: t.near.frame - 0.02 };
    expect(classifyPair(secondShot, t)).toBe('similar');
    expect(classifyPair({ ...secondShot, frame: Number.NaN }, t)).toBe('similar');
    expect(classifyPair({ ...secondShot, hash: 0 }, t)).toBe('similar');
    expect(classifyPair({ ...secondShot, frame: t.near.frame }, t)).toBe('near');
    // Frames that correlate well but with parts moved against each other: a second shot.
    expect(classifyPair({ ...secondShot, frame: 0.99, frameMoved: t.near.moved + 1 }, t)).toBe('similar');
    expect(classifyPair({ ...secondShot, align: 1, alignColour: 2, alignMoved: t.near.moved + 1 }, t)).toBe('similar');
    // A crop alignment is capture evidence too.
    expect(classifyPair({ ...secondShot, align: t.near.alignScore, alignColour: 2 }, t)).toBe('near');
  });

  it('every near branch also needs the colours to agree; a colourless (greyscale) side does not contradict them', () => {
    const recoloured = { ...base, cosine: 0.99, hash: 0, frameColour: t.near.colour + 5 };
    expect(classifyPair(recoloured, t)).toBe('similar');
    expect(otherColour(recoloured, t)).toBe(true);
    expect(classifyPair({ ...recoloured, frameColour: Number.NaN }, t)).toBe('near');
    expect(classifyPair({ ...base, cosine: t.near.alignCosine, frame: 0.5, align: 1, alignColour: 60 }, t)).toBe('similar');
    expect(classifyPair({ ...base, cosine: t.near.alignCosine, frame: 0.5, align: 1, alignColour: 5 }, t)).toBe('near');
    expect(classifyPair({ ...base, hash: 0, frameColour: 90 }, t)).toBe(null);
    expect(otherColour({ ...base, cosine: 0.99, hash: 0 }, t)).toBe(false);
  });

  it('mirrored copies are near only with the mirror option on', () => {
    const mirrored = { ...base, cosine: 0.99, hash: 32, hashMirror: 0, frame: 0.2, frameMirror: 0.99, frameMirrorColour: 2 };
    expect(classifyPair(mirrored, t)).toBe('similar');
    expect(classifyPair(mirrored, { ...t, mirror: true })).toBe('near');
  });
});

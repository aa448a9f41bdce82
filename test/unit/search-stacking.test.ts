import { describe, expect, it } from 'vitest';
import { DEFAULT_COPY_RULE, isCopy, overFetch, stackCopies } from '../../src-main/features/common/copies.js';
import { WEAK_PROBABILITY, WEAK_STANDING, relativeStrength, sigmoidStrength } from '../../src-main/index/match-strength.js';

/** Hits with a "photo" id: results with the same photo id are copies of each other. */
const hits = (photos: string[]) => photos.map((photo, i) => ({ sha256: `${photo}-${i}`, photo, score: 1 - i / 100 }));
const samePhoto = (a: { photo: string }, b: { photo: string }) => a.photo === b.photo;

describe('stackCopies: near-identical copies under one result', () => {
  it('keeps rank order and puts each copy under its best-ranked copy', () => {
    const stacks = stackCopies(hits(['a', 'a', 'b', 'a', 'c', 'b']), samePhoto);
    expect(stacks.map((s) => s.photo)).toEqual(['a', 'b', 'c']);
    expect(stacks[0]!.sha256).toBe('a-0');
    expect(stacks[0]!.copies.map((c) => c.sha256)).toEqual(['a-1', 'a-3']);
    expect(stacks[1]!.copies.map((c) => c.sha256)).toEqual(['b-5']);
    expect(stacks[2]!.copies).toEqual([]);
  });

  it('one photo with 13 copies takes one slot, not the top 13', () => {
    const stacks = stackCopies(hits([...Array(13).fill('x'), 'y', 'z']), samePhoto, 3);
    expect(stacks.map((s) => [s.photo, s.copies.length])).toEqual([
      ['x', 12],
      ['y', 0],
      ['z', 0],
    ]);
  });

  it('stops at the limit: later results do not start stacks but still join shown ones', () => {
    const stacks = stackCopies(hits(['a', 'b', 'c', 'a', 'd']), samePhoto, 2);
    expect(stacks.map((s) => s.photo)).toEqual(['a', 'b']);
    expect(stacks[0]!.copies).toHaveLength(1);
  });

  it('compares with the leader only: no chaining through small differences', () => {
    // b is a copy of a, c of b, but c is not a copy of a.
    const near = new Set(['a|b', 'b|c']);
    const items = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const stacks = stackCopies(items, (l, h) => near.has(`${l.id}|${h.id}`));
    expect(stacks.map((s) => [s.id, s.copies.map((c) => c.id)])).toEqual([
      ['a', ['b']],
      ['c', []],
    ]);
  });

  it('is a copy when the pixels and the embedding agree, or the pixels alone nearly do', () => {
    expect(isCopy(0, 1)).toBe(true);
    expect(isCopy(2, Number.NaN)).toBe(true); // hashes nearly identical: no cosine needed
    expect(isCopy(8, 0.96)).toBe(true);
    expect(isCopy(8, 0.5)).toBe(false); // similar layout, different content
    expect(isCopy(20, 0.999)).toBe(false); // same product, another photo
    expect(isCopy(Number.POSITIVE_INFINITY, 1)).toBe(false); // no hash: never stacked on the embedding alone
  });

  it('is never a copy in other colours; two grey pictures need the embedding too', () => {
    const rule = DEFAULT_COPY_RULE;
    // The pHash is grey: a recoloured product shot on white hashes like its original.
    expect(isCopy(0, 0.99, { distance: rule.colour + 1, colourless: 0 })).toBe(false);
    expect(isCopy(0, 0.99, { distance: rule.colour, colourless: 0 })).toBe(true);
    // A greyscale copy has no colour to contradict (distance NaN), whatever the embedding says.
    expect(isCopy(2, 0.5, { distance: Number.NaN, colourless: 1 })).toBe(true);
    // Two colourless pictures the embedding keeps apart: a plain and a patterned grey bag.
    expect(isCopy(2, rule.greyCosine - 0.01, { distance: Number.NaN, colourless: 2 })).toBe(false);
    expect(isCopy(2, rule.greyCosine, { distance: Number.NaN, colourless: 2 })).toBe(true);
  });

  it('fetches enough to fill k stacks', () => {
    expect(overFetch(20)).toBe(60);
    expect(overFetch(1)).toBe(21);
    expect(overFetch(500)).toBe(1500);
  });
});

describe('match strength: a weak match is told apart from a good one', () => {
  const siglip = { kind: 'sigmoid' as const, scale: 27.2, bias: -15.1 };

  it('SigLIP: the calibrated probability of the best result', () => {
    const good = sigmoidStrength(siglip, 0.59);
    expect(good?.kind).toBe('probability');
    expect(good?.best).toBeCloseTo(1 / (1 + Math.exp(-(27.2 * 0.59 - 15.1))), 6);
    expect(good?.weak).toBe(false);
    const nonsense = sigmoidStrength(siglip, 0.36);
    expect(nonsense?.best).toBeLessThan(WEAK_PROBABILITY);
    expect(nonsense?.weak).toBe(true);
    expect(sigmoidStrength(siglip, undefined)).toBeNull();
  });

  it('CLIP: how far the best result stands above the catalog, never a probability', () => {
    // The query's cosines over the catalog sample: mean 0, standard deviation 0.1.
    const sample = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0.1 : -0.1));
    const good = relativeStrength(0.4, sample);
    expect(good?.kind).toBe('relative');
    expect(good?.best).toBeCloseTo(4, 2);
    expect(good?.weak).toBe(false);
    const weak = relativeStrength(0.2, sample);
    expect(weak?.best).toBeLessThan(WEAK_STANDING);
    expect(weak?.weak).toBe(true);
    // Nothing to compare with: no signal rather than a made-up one.
    expect(relativeStrength(0.4, [])).toBeNull();
    expect(relativeStrength(0.4, [0.1, 0.1, 0.1])).toBeNull();
    expect(relativeStrength(undefined, sample)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { overlapAtK, spearmanOverUnion, unionRanks } from '../../src-main/features/compare/rank.js';

describe('overlap@k', () => {
  it('is the Jaccard overlap of the two result sets', () => {
    expect(overlapAtK(['a', 'b', 'c'], ['c', 'b', 'a'])).toBe(1);
    expect(overlapAtK(['a', 'b', 'c'], ['d', 'e', 'f'])).toBe(0);
    expect(overlapAtK(['a', 'b', 'c', 'd'], ['a', 'b', 'e', 'f'])).toBeCloseTo(2 / 6);
    expect(overlapAtK([], [])).toBe(1);
  });
});

describe('rank correlation over the union', () => {
  it('ranks items missing from a list as tied last there', () => {
    expect(unionRanks(['a', 'b'], ['a', 'b', 'c', 'd'])).toEqual([1, 2, 3.5, 3.5]);
  });

  it('is 1 for identical lists and -1 for reversed ones', () => {
    expect(spearmanOverUnion(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'])).toBeCloseTo(1);
    expect(spearmanOverUnion(['a', 'b', 'c', 'd'], ['d', 'c', 'b', 'a'])).toBeCloseTo(-1);
  });

  it('matches a hand computation with one item swapped out', () => {
    // Union a,b,c,d: A ranks 1,2,3,4 (d missing -> 4); B = [a,d,b]: 1,3,4,2 (c missing -> 4).
    // Pearson of (1,2,3,4) and (1,3,4,2): mean 2.5 both; cov = (-1.5)(-1.5)+(-.5)(.5)+(.5)(1.5)+(1.5)(-.5) = 2.25-.25+.75-.75 = 2; var = 5 both -> 0.4.
    expect(spearmanOverUnion(['a', 'b', 'c'], ['a', 'd', 'b'])).toBeCloseTo(0.4);
  });

  it('is negative for disjoint lists and null when undefined', () => {
    expect(spearmanOverUnion(['a', 'b'], ['c', 'd'])!).toBeLessThan(0);
    expect(spearmanOverUnion(['a'], ['a'])).toBe(1);
    expect(spearmanOverUnion([], [])).toBeNull();
    expect(spearmanOverUnion(['a'], [])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { clusterListings, sortClusters, sourceMatches } from '../../src-main/features/duplicates/listings.js';

const facts = new Map(
  Object.entries({
    A1: { seller: 'a' },
    A2: { seller: 'a' },
    A3: { seller: 'a' },
    B1: { seller: 'b' },
    C1: { seller: 'c' },
    N1: { seller: null },
    N2: { seller: null },
  }),
);

describe('listing clusters', () => {
  // Photo 0: A1 and A2 (same seller); photo 1: A2 and B1 (copied); photo 2: C1 alone; photo 3: two listings without a seller.
  const photos = [['A1', 'A2'], ['A2', 'B1'], ['C1'], ['N1', 'N2']];

  it('all: every set of listings tied by shared photos, through any listing', () => {
    const c = clusterListings(photos, facts, 'all');
    expect(c.map((x) => x.listings)).toEqual([
      ['A1', 'A2', 'B1'],
      ['N1', 'N2'],
    ]);
    expect(c[0]!.kind).toBe('different_sellers');
    expect(c[0]!.sellers).toEqual(['a', 'b']);
    expect(c[0]!.photos).toEqual([0, 1]);
    // Listings without a seller never make "several sellers".
    expect(c[1]!.kind).toBe('same_seller');
  });

  it('merge: only listings of one named seller are tied; no seller is nobody to merge with', () => {
    const c = clusterListings(photos, facts, 'merge');
    expect(c.map((x) => x.listings)).toEqual([['A1', 'A2']]);
    expect(c[0]!.photos).toEqual([0]);
  });

  it('copied: only clusters with two or more named sellers, sorted by sellers', () => {
    const more = [...photos, ['A3', 'B1', 'C1']];
    const c = sortClusters(clusterListings(more, facts, 'copied'), 'sellers');
    expect(c.map((x) => [x.listings.length, x.sellers])).toEqual([[5, ['a', 'b', 'c']]]);
    const two = sortClusters(clusterListings([['A1', 'B1'], ['A2', 'A3', 'C1', 'N1']], facts, 'copied'), 'sellers');
    expect(two.map((x) => x.sellers.length)).toEqual([2, 2]);
    expect(sortClusters(clusterListings([['A1', 'B1'], ['A2', 'A3', 'C1', 'N1']], facts, 'copied'), 'listings')[0]!.listings).toHaveLength(4);
  });
});

describe('sources', () => {
  it('match by stored path, file name, or file name without extension', () => {
    expect(sourceMatches('/data/in/supplier.csv', '/data/in/supplier.csv')).toBe(true);
    expect(sourceMatches('/data/in/supplier.csv', 'supplier.csv')).toBe(true);
    expect(sourceMatches('C:\\data\\supplier.csv', 'supplier')).toBe(true);
    expect(sourceMatches('/data/in/supplier.csv', 'suppl')).toBe(false);
    expect(sourceMatches(null, 'supplier')).toBe(false);
  });
});

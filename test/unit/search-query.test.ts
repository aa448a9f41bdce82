import { describe, expect, it } from 'vitest';
import { parseFilters } from '../../src-main/cli/commands/search.js';
import { UsageError } from '../../src-main/cli/command.js';
import { combineQuery } from '../../src-main/index/query.js';
import { collectionName, pointId, toQdrantFilter, vectorName } from '../../src-main/index/qdrant.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

describe('combineQuery (image + text weighting)', () => {
  const img = Float32Array.from([3, 0, 0, 4]); // not unit length on purpose
  const txt = Float32Array.from([0, 1, 0, 0]);

  it('w = 0 is the image query, w = 1 the text query, both unit length', () => {
    expect(Array.from(combineQuery(img, txt, 0))).toEqual([0.6000000238418579, 0, 0, 0.800000011920929]);
    expect(Array.from(combineQuery(img, txt, 1))).toEqual([0, 1, 0, 0]);
  });

  it('moves from the image towards the text as w grows, and stays unit length', () => {
    const sims = [0.2, 0.5, 0.8].map((w) => {
      const q = combineQuery(img, txt, w);
      expect(Math.hypot(...q)).toBeCloseTo(1, 6);
      return dot(q, txt);
    });
    expect(sims[0]!).toBeLessThan(sims[1]!);
    expect(sims[1]!).toBeLessThan(sims[2]!);
    // Orthogonal unit inputs at w = 0.5: equal parts, so equal cosine to each.
    const half = combineQuery(img, txt, 0.5);
    expect(dot(half, txt)).toBeCloseTo(dot(half, combineQuery(img, undefined, 0)), 6);
  });

  it('normalises each part first, so a longer vector does not outweigh w', () => {
    const long = Float32Array.from([0, 100, 0, 0]);
    expect(Array.from(combineQuery(img, long, 0.3))).toEqual(Array.from(combineQuery(img, txt, 0.3)));
  });

  it('rejects an empty query, mismatched sizes and vectors that cancel out', () => {
    expect(() => combineQuery(undefined, undefined, 0.5)).toThrow(/image, a text or both/);
    expect(() => combineQuery(img, new Float32Array(3).fill(1), 0.5)).toThrow(/differ in size/);
    expect(() => combineQuery(txt, Float32Array.from([0, -1, 0, 0]), 0.5)).toThrow(/zero/);
  });
});

describe('parseFilters (--filter)', () => {
  it('parses category, seller and price bounds, tolerating spaces and key case', () => {
    expect(parseFilters(['category=shoes', 'Seller = acme', 'price<=50', 'price >= 10'])).toEqual({ category: 'shoes', seller: 'acme', priceMin: 10, priceMax: 50 });
    expect(parseFilters(['price=20'])).toEqual({ priceMin: 20, priceMax: 20 });
    expect(parseFilters(['price<=50', 'price<=30'])).toEqual({ priceMax: 30 });
    expect(parseFilters(['category=Men > Shoes'])).toEqual({ category: 'Men > Shoes' });
    expect(parseFilters([])).toBeUndefined();
  });

  it.each([
    ['colour=red', /unknown field "colour"/],
    ['category', /expected category=VALUE/],
    ['category=', /value is empty/],
    ['category<=5', /category takes "="/],
    ['price<=cheap', /price needs a number/],
    ['price<50', /expected/],
  ])('rejects "%s" with a clear message', (item, message) => {
    expect(() => parseFilters([item])).toThrow(UsageError);
    expect(() => parseFilters([item])).toThrow(message);
  });

  it('rejects an empty price range and conflicting values', () => {
    expect(() => parseFilters(['price>=60', 'price<=50'])).toThrow(/range is empty/);
    expect(() => parseFilters(['seller=a', 'seller=b'])).toThrow(/given twice/);
  });
});

describe('Qdrant naming', () => {
  const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

  it('derives a stable, valid UUID point id from the sha256', () => {
    const id = pointId(sha);
    expect(id).toBe('e3b0c442-98fc-8c14-9afb-f4c8996fb924');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pointId(sha)).toBe(id);
  });

  it('makes safe collection and vector names', () => {
    expect(vectorName('demo-siglip')).toBe('demo-siglip');
    expect(vectorName('google/siglip base@v2')).toBe('google_siglip_base_v2');
    expect(collectionName('/data/My Catalog.db')).toMatch(/^lookalike_My_Catalog_[0-9a-f]{10}$/);
    expect(collectionName('/a/catalog.db')).not.toBe(collectionName('/b/catalog.db'));
  });

  it('turns a listing filter into one nested condition over listings', () => {
    expect(toQdrantFilter({})).toBeUndefined();
    expect(toQdrantFilter({ category: 'shoes', priceMax: 50 })).toEqual({
      must: [{ nested: { key: 'listings', filter: { must: [{ key: 'category', match: { value: 'shoes' } }, { key: 'price', range: { lte: 50 } }] } } }],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { decisionsToCsv, decisionsToJson, groupsToCsv, groupsToJson } from '../../src-main/features/duplicates/export.js';

const settings = { tier: 'near' as const, threshold: 0.95, maxHashDistance: 10, hashAlone: 2, cropCosine: 0.97, maxCropHashDistance: 2, alignCosine: 0.95, minAlignment: 0.99, minFrame: 0.95, maxColourDistance: 20, similarThreshold: 0.85, mirror: false, model: null };
const listing = (id: string, seller: string, title: string) => ({ id, seller, title, sku: null, price: 9.5, category: null, url: null });
const groups = [
  {
    id: 1,
    size: 3,
    sellers: 2,
    images: [
      { sha256: 'a'.repeat(64), paths: ['/p/a.jpg'], listings: [listing('L1', 'shop "one"', 'Red mug, 300 ml'), listing('L2', 'shop_two', 'Red mug')], centre: true, keep: true },
      { sha256: 'b'.repeat(64), paths: ['/p/b.png'], listings: [], centre: false, keep: false },
    ],
    pairs: [{ a: 'a'.repeat(64), b: 'b'.repeat(64), tier: 'near' as const, hashDistance: 4, cropHashDistance: 9, alignment: 0.9931, cosine: 0.981, frame: 0.97, colourDistance: 3.5, otherColour: false, decision: 'duplicate' as const }],
  },
];

describe('duplicate exports', () => {
  it('groups CSV: one row per image and listing, evidence against the centre', () => {
    const { text, rows } = groupsToCsv({ settings, groups });
    const lines = text.trimEnd().split('\r\n');
    expect(rows).toBe(3);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('"shop ""one"""');
    expect(lines[1]).toContain('"Red mug, 300 ml"');
    expect(lines[1]!.split(',').slice(0, 8)).toEqual(['1', 'near', '3', '2', 'a'.repeat(64), 'true', 'true', '/p/a.jpg']);
    // The image without listings still gets a row, with its evidence and the decision.
    expect(lines[3]).toBe(`1,near,3,2,${'b'.repeat(64)},false,false,/p/b.png,,,,,0.981,4,0.9931,0.97,3.5,false,duplicate`);
  });

  it('groups JSON round-trips the settings and groups', () => {
    const parsed = JSON.parse(groupsToJson({ settings, groups, totalGroups: 1 }).text);
    expect(parsed.settings).toEqual(settings);
    expect(parsed.groups).toEqual(groups);
  });

  it('decisions CSV and JSON list pair verdicts and kept images', () => {
    const d = {
      pairs: [{ a: 'a'.repeat(64), b: 'b'.repeat(64), decision: 'not_duplicate' as const, decidedAt: Date.UTC(2026, 0, 2), aPaths: ['/p/a.jpg'], bPaths: [] }],
      keeps: [{ sha256: 'a'.repeat(64), decidedAt: Date.UTC(2026, 0, 3), paths: ['/p/a.jpg'] }],
    };
    const csv = decisionsToCsv(d).text.trimEnd().split('\r\n');
    expect(csv).toEqual([
      'kind,decision,a_sha256,a_path,b_sha256,b_path,decided_at',
      `pair,not_duplicate,${'a'.repeat(64)},/p/a.jpg,${'b'.repeat(64)},,2026-01-02T00:00:00.000Z`,
      `keep,keep,${'a'.repeat(64)},/p/a.jpg,,,2026-01-03T00:00:00.000Z`,
    ]);
    expect(JSON.parse(decisionsToJson(d).text)).toEqual(d);
  });
});

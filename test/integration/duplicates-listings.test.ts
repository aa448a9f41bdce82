import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { buildListingsCatalog } from '../helpers/duplicates-listings-fixture.js';

/** Listing-level duplicates and cross-catalog matching through the real CLI, on test/helpers/duplicates-listings-fixture.ts. */
let dir: string;
let db: string;

beforeAll(async () => {
  ({ dir, db } = await buildListingsCatalog());
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ids = (g: any) => g.listings.map((l: any) => l.id).sort();

describe('lookalike duplicates --by listing', () => {
  it('merge view: one seller listing the same product twice, tied by the one photo they share', async () => {
    const r = await cli(['duplicates', '--by', 'listing', '--view', 'merge', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.view).toBe('merge');
    expect(out.groups).toHaveLength(1);
    const g = out.groups[0];
    expect(g.kind).toBe('same_seller');
    expect(ids(g)).toEqual(['A1', 'A2']);
    expect(g.seller_names).toEqual(['shop_a']);
    // A1 has three photos, of which one is shared.
    const a1 = g.listings.find((l: any) => l.id === 'A1');
    expect(a1.photos).toBe(3);
    expect(a1.shared_photos).toBe(1);
    expect(g.shared_photos).toHaveLength(1);
    const shared = g.shared_photos[0];
    expect(shared.images.map((im: any) => path.basename(im.path)).sort()).toEqual(['p0001-recompressed.jpg', 'p0001.jpg']);
    expect(shared.listings.sort()).toEqual(['A1', 'A2']);
    expect(shared.pairs[0].tier).toBe('near');
  });

  it('copied view: the same photo under several sellers, most sellers first; a colour variant is not a copy', async () => {
    const out = (await cli(['duplicates', '--by', 'listing', '--view', 'copied', '--db', db])).json();
    // The supplier's export is in the catalog too: its copies of our photos count as other sellers.
    expect(out.groups.map(ids)).toEqual([
      ['A1', 'A2', 'B1', 'S1'],
      ['S2', 'X2'],
    ]);
    const g = out.groups[0];
    expect(g.kind).toBe('different_sellers');
    expect(g.sellers).toBe(3);
    expect(g.seller_names).toEqual(['shop_a', 'shop_b', 'supplier']);
    expect(g.listings.find((l: any) => l.id === 'B1').seller).toBe('shop_b');
    // Two photos tie the group: A1's first (with A2's and B1's copies) and A1's third (with the supplier's).
    const photos = g.shared_photos.map((p: any) => p.images.map((im: any) => path.basename(im.path)).sort());
    expect(photos).toEqual([
      ['p0001-padded.png', 'p0001-recompressed.jpg', 'p0001.jpg'],
      ['p0004.jpg', 's-0004.jpg'],
    ]);
    expect(g.shared_photos[0].sellers).toEqual(['shop_a', 'shop_b']);
    expect(g.listings.find((l: any) => l.id === 'A1').shared_photos).toBe(2);
    for (const group of out.groups) expect(ids(group)).not.toContain('D1');
    const all = (await cli(['duplicates', '--by', 'listing', '--db', db])).json();
    for (const group of all.groups) expect(ids(group)).not.toContain('D1');
  });

  it('exports the listing groups as CSV, one row per listing with what it shares and with whom', async () => {
    const r = await cli(['duplicates', '--by', 'listing', '--view', 'copied', '--format', 'csv', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('group,kind,group_listings,group_sellers,listing_id,seller,title,price,source,photos,shared_photos,shared_with,shared_sha256');
    const b1 = lines.find((l) => l.split(',')[4] === 'B1')!;
    expect(b1.split(',').slice(0, 6)).toEqual(['1', 'different_sellers', '4', '3', 'B1', 'shop_b']);
    expect(b1.split(',')[11]!.split(';').sort()).toEqual(['A1', 'A2']);
  });

  it('rejects options that do not fit', async () => {
    for (const args of [['--by', 'seller'], ['--by', 'listing', '--view', 'odd'], ['--by', 'listing', '--tier', 'similar'], ['--view', 'merge'], ['--by', 'listing', '--against', 'supplier']]) {
      const r = await cli(['duplicates', ...args, '--db', db]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(/--(by|view|tier|against)/);
    }
  });
});

describe('lookalike duplicates --against', () => {
  it('matches each of our listings against the supplier export: the same photo as near, with evidence', async () => {
    const r = await cli(['duplicates', '--against', 'supplier', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(path.basename(out.source)).toBe('supplier.csv');
    expect(out.listings_b).toBe(3);
    expect(out.listings_a).toBe(7);
    const row = (id: string) => out.rows.find((x: any) => x.listing.id === id);
    expect(row('A1').near.map((m: any) => m.id)).toEqual(['S1']);
    expect(row('A1').near[0].tier).toBe('near');
    expect(typeof row('A1').near[0].hash_distance).toBe('number');
    expect(row('X2').near.map((m: any) => m.id)).toEqual(['S2']);
    expect(out.with_near).toBe(2);
    // Nothing of ours is the supplier's own product, and the supplier's listings are never on the A side.
    for (const x of out.rows) {
      expect(x.near.map((m: any) => m.id)).not.toContain('S3');
      expect(['S1', 'S2', 'S3']).not.toContain(x.listing.id);
    }
  });

  it('also by file name with extension or full path, as CSV; an unknown source is a clear error', async () => {
    const csv = await cli(['duplicates', '--against', path.join(dir, 'supplier.csv'), '--format', 'csv', '--db', db]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split(/\r?\n/);
    expect(lines[0]!.startsWith('listing_id,seller,title,match,match_listing_id')).toBe(true);
    expect(lines.some((l) => l.startsWith('A1,shop_a,Orange bottle,near,S1,'))).toBe(true);
    const same = await cli(['duplicates', '--against', 'supplier.csv', '--db', db]);
    expect(same.json().with_near).toBe(2);
    const bad = await cli(['duplicates', '--against', 'competitor', '--db', db]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no listings come from source "competitor"');
    expect(bad.stderr).toContain('supplier.csv (3)');
  });
});

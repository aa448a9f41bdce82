import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { syntheticPhoto } from '../helpers/photos.js';

/**
 * Crop alignment end to end (`lookalike index`, then `lookalike duplicates`): the signatures go through
 * the catalog's duplicates_hashes table and back. A photo, a crop of it that falls between the anchors
 * of the sub-region hashes, and two other framings of the same scene (left and right 55 %, the
 * benchmark's "same scene from another angle"), plus an unrelated photo.
 */
let dir: string;
let db: string;

const photo = (seed: number, width = 480, height = 360) => syntheticPhoto(seed, width, height, 50);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-duplicates-align-'));
  db = path.join(dir, 'catalog.db');
  const images = path.join(dir, 'images');
  fs.mkdirSync(images);
  const original = await photo(21);
  const extract = (left: number, top: number, width: number, height: number) => sharp(original).extract({ left, top, width, height }).jpeg({ quality: 85 }).toBuffer();
  fs.writeFileSync(path.join(images, 'original.jpg'), original);
  // 13 % off the width and 7 % off the height, between the 5 % anchors.
  fs.writeFileSync(path.join(images, 'cropped.jpg'), await extract(43, 9, 418, 335));
  fs.writeFileSync(path.join(images, 'view-left.jpg'), await extract(0, 0, 264, 360));
  fs.writeFileSync(path.join(images, 'view-right.jpg'), await extract(216, 0, 264, 360));
  fs.writeFileSync(path.join(images, 'other.jpg'), await photo(22));
  const index = await cli(['index', images, '--db', db]);
  expect(index.code, index.stderr).toBe(0);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('lookalike duplicates: crops by alignment', () => {
  it('groups the off-grid crop with its original, by alignment, and keeps the other framings out', async () => {
    const r = await cli(['duplicates', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    const names = (g: { images: string[] }) => g.images.map((p) => path.basename(p)).sort();
    const group = out.groups.find((g: { images: string[] }) => names(g).includes('cropped.jpg'));
    expect(group && names(group)).toEqual(['cropped.jpg', 'original.jpg']);
    const pair = group.pairs[0];
    // Neither the whole-frame nor the sub-region hashes say "same photo": the alignment does.
    expect(pair.crop_hash_distance).toBeGreaterThan(out.settings.maxCropHashDistance);
    expect(pair.hash_distance).toBeGreaterThan(out.settings.maxHashDistance);
    expect(pair.alignment).toBeGreaterThanOrEqual(out.settings.minAlignment);
    for (const g of out.groups) for (const name of ['view-left.jpg', 'view-right.jpg', 'other.jpg']) expect(names(g)).not.toContain(name);
  });

  it('the CSV export carries the alignment against the centre', async () => {
    const r = await cli(['duplicates', '--db', db, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.trim().split(/\r\n/);
    const col = header!.split(',').indexOf('alignment_to_centre');
    expect(col).toBeGreaterThan(0);
    const values = rows.map((row) => row.split(',')[col]).filter((v) => v !== '');
    expect(values).toHaveLength(1);
    expect(Number(values[0])).toBeGreaterThanOrEqual(0.99);
  });

  it('rows hashed before the alignment signature (recipe version 1) or the OKLab colour planes (version 2) are recomputed, with the same result', async () => {
    const first = (await cli(['duplicates', '--db', db])).json();
    const sqlite = new Database(db);
    sqlite.prepare("UPDATE duplicates_hashes SET version = 1, align_thumb = x'', aspect = 1").run();
    sqlite.close();
    const again = await cli(['duplicates', '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().groups).toEqual(first.groups);
    const check = new Database(db, { readonly: true });
    expect(check.prepare('SELECT count(*) FROM duplicates_hashes WHERE version = 3 AND length(align_thumb) = 1152').pluck().get()).toBe(5);
    check.close();
  });
});

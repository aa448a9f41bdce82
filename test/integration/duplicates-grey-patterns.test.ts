import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

/**
 * Three grey handbags of the demo catalog drawn on one outline (plain L0172, polka-dot L0005,
 * striped L0049) share a pHash within 4 bits and a 32x32 frame: the pattern is finer than both.
 * Only the model tells them apart, and with no colour in either picture no greyscale edit can
 * explain its disagreement. Copies must still group: a grey bag recompressed, a colour photo
 * turned greyscale (whose low cosine the colour it lost does explain).
 */
const DEMO = path.resolve('resources/demo-catalog/images');
let dir: string;
let db: string;
const base = (p: string) => path.basename(p);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-grey-patterns-'));
  db = path.join(dir, 'catalog.db');
  const images = path.join(dir, 'images');
  fs.mkdirSync(images);
  for (const n of ['0172', '0005', '0049', '0001']) fs.copyFileSync(path.join(DEMO, `l${n}.jpg`), path.join(images, `l${n}.jpg`));
  fs.writeFileSync(path.join(images, 'l0172-recompressed.jpg'), await sharp(path.join(DEMO, 'l0172.jpg')).jpeg({ quality: 40 }).toBuffer());
  fs.writeFileSync(path.join(images, 'l0001-greyscale.jpg'), await sharp(path.join(DEMO, 'l0001.jpg')).greyscale().jpeg({ quality: 90 }).toBuffer());
  const r = await cli(['import', images, '--model', 'demo-siglip', '--db', db]);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('near duplicates of colourless pictures', () => {
  it('groups copies but not a plain, a polka-dot and a striped bag of one outline', async () => {
    const r = await cli(['duplicates', '--tier', 'near', '--model', 'demo-siglip', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const groups = (r.json().groups as Array<{ images: string[] }>).map((g) => g.images.map(base).sort());
    expect(groups).toContainEqual(['l0172-recompressed.jpg', 'l0172.jpg']);
    expect(groups).toContainEqual(['l0001-greyscale.jpg', 'l0001.jpg']);
    for (const bag of ['l0005.jpg', 'l0049.jpg']) expect(groups.flat()).not.toContain(bag);
  });
});

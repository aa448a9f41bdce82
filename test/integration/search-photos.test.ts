import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src-main/features/context.js';
import { resourcesDir } from '../../src-main/shared/paths.js';
import type { Services } from '../../src-main/features/services.js';
import { cli } from '../helpers/cli.js';
import { syntheticPhoto } from '../helpers/photos.js';
import { setEnv } from '../helpers/env.js';

const ready = fs.existsSync(path.join(resourcesDir, 'models', 'demo-siglip'));

/**
 * Photos without a listings file: named by their file names, browsable, and their
 * near-identical copies (re-encoded, resized) stacked into one search result.
 */
describe.skipIf(!ready)('photos without listings: names, browsing, stacked copies', () => {
  let dir: string;
  let db: string;
  let services: Services;
  let call: (method: string, input: unknown) => Promise<any>;
  let restoreEnv = () => {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-photos-'));
    restoreEnv = setEnv({ LOOKALIKE_HOME: path.join(dir, 'home') });
    db = path.join(dir, 'catalog.db');
    const photos = path.join(dir, 'photos');
    const other = path.join(dir, 'photos', 'other');
    fs.mkdirSync(other, { recursive: true });
    for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(photos, `shot-${i}.jpg`), await syntheticPhoto(100 + i));
    const original = await syntheticPhoto(100);
    // Copies of shot-0: re-encoded, resized, PNG.
    fs.writeFileSync(path.join(other, 'shot-0-q60.jpg'), await sharp(original).jpeg({ quality: 60 }).toBuffer());
    fs.writeFileSync(path.join(other, 'shot-0-small.jpg'), await sharp(original).resize(240).jpeg({ quality: 85 }).toBuffer());
    fs.writeFileSync(path.join(other, 'shot-0.png'), await sharp(original).png().toBuffer());
    // A product shot on white, a copy of it, and the same picture in blue: a colour variant, whose
    // grey pHash is the original's (0 bits apart), not a copy.
    const products = path.join(photos, 'products');
    fs.mkdirSync(products);
    const bottle = fs.readFileSync(path.join(resourcesDir, 'demo-catalog', 'images', 'l0001.jpg'));
    fs.writeFileSync(path.join(products, 'bottle.jpg'), bottle);
    fs.writeFileSync(path.join(products, 'bottle-q60.jpg'), await sharp(bottle).jpeg({ quality: 60 }).toBuffer());
    fs.writeFileSync(path.join(products, 'bottle-blue.jpg'), await sharp(bottle).modulate({ hue: 180 }).jpeg({ quality: 85 }).toBuffer());
    const out = await cli(['import', photos, '--model', 'demo-siglip', '--db', db]);
    expect(out.code, out.stderr).toBe(0);
    const { Services } = await import('../../src-main/features/services.js');
    const { invoke } = await import('../../src-main/dispatch/invoke.js');
    const { handlers } = await import('../../src-main/dispatch/handlers.js');
    services = new Services({ dbPath: db });
    call = (method, input) => invoke(handlers, method, input, { services, progress: () => {}, signal: new AbortController().signal } as CallContext) as Promise<any>;
  }, 120_000);
  afterAll(() => {
    services?.close();
    restoreEnv();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stacks the copies of one photo under one result, and lists them apart with stack: false', async () => {
    const query = { image: { path: path.join(dir, 'photos', 'shot-0.jpg') }, model: 'demo-siglip', k: 5 };
    const stacked = await call('search.query', query);
    expect(stacked.stacked).toBe(true);
    expect(stacked.match).toBeNull(); // a photo query always has a nearest photo
    const first = stacked.results[0];
    expect(first.name).toMatch(/^shot-0/);
    expect(first.image).toMatch(/shot-0/);
    expect(first.copies.length).toBe(3);
    expect(first.copies.map((c: any) => c.name).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^shot-0/)]));
    // Every other result is another photo, not a copy of shot-0.
    for (const r of stacked.results.slice(1)) expect(r.name).not.toMatch(/^shot-0/);
    // Once the duplicate finder has hashed the catalog, its hashes are used: the same stacks.
    expect((await cli(['duplicates', '--db', db])).code).toBe(0);
    const again = await call('search.query', query);
    expect(again.results.map((r: any) => [r.sha256, r.copies.map((c: any) => c.sha256)])).toEqual(stacked.results.map((r: any) => [r.sha256, r.copies.map((c: any) => c.sha256)]));
    const flat = await call('search.query', { ...query, stack: false });
    expect(flat.stacked).toBe(false);
    expect(flat.results.slice(0, 4).every((r: any) => /^shot-0/.test(r.name) && r.copies.length === 0)).toBe(true);
  });

  it('never stacks a colour variant under the photo it was recoloured from', async () => {
    const { results } = await call('search.query', { image: { path: path.join(dir, 'photos', 'products', 'bottle.jpg') }, model: 'demo-siglip', k: 20 });
    const names = (r: any) => [r.name, ...r.copies.map((c: any) => c.name)].sort();
    const stackOf = (name: string) => results.find((r: any) => names(r).includes(name));
    expect(results.length).toBeGreaterThan(8);
    expect(names(stackOf('bottle.jpg'))).toEqual(['bottle-q60.jpg', 'bottle.jpg']);
    expect(names(stackOf('bottle-blue.jpg'))).toEqual(['bottle-blue.jpg']);
    // Images without the duplicate finder's hashes (an older catalog) are compared by their thumbnails, colours included.
    const db = services.catalog.db;
    db.exec('BEGIN');
    try {
      db.exec('DELETE FROM duplicates_hashes');
      const fromThumbnails = await call('search.query', { image: { path: path.join(dir, 'photos', 'products', 'bottle.jpg') }, model: 'demo-siglip', k: 20 });
      expect(fromThumbnails.results.map(names)).toEqual(results.map(names));
    } finally {
      db.exec('ROLLBACK');
    }
  });

  it('the CLI stacks by default and --no-stack lists copies apart', async () => {
    const image = path.join(dir, 'photos', 'shot-0.jpg');
    const stacked = (await cli(['search', '--image', image, '-k', '3', '--db', db])).json();
    expect(stacked.results[0].copies).toHaveLength(3);
    expect(stacked.results[0].name).toMatch(/^shot-0/);
    const flat = (await cli(['search', '--image', image, '-k', '3', '--no-stack', '--db', db])).json();
    expect(flat.results[0].copies).toBeUndefined();
    expect(flat.results.every((r: any) => /^shot-0/.test(r.name))).toBe(true);
  });

  it('a nonsense text query is reported as a weak match', async () => {
    const out = await call('search.query', { text: 'xyzzy qwerty', model: 'demo-siglip', k: 5 });
    expect(out.match).toMatchObject({ kind: 'probability', weak: true });
  });

  it('a pack set as default is what search uses when no model is named, until it is unset', async () => {
    expect((await call('models.list', {})).defaultModel).toBe('demo-siglip');
    await expect(call('models.setDefault', { id: 'no-such-pack' })).rejects.toThrow(/no model pack "no-such-pack"/);
    expect((await call('models.setDefault', { id: 'demo-clip' })).defaultModel).toBe('demo-clip');
    const listed = await call('models.list', {});
    expect(listed.models.find((m: any) => m.id === 'demo-clip').isDefault).toBe(true);
    expect((await call('models.setDefault', { id: null })).defaultModel).toBe('demo-siglip');
  });

  it('browses every image without a listing, by folder and import run', async () => {
    const all = await call('catalog.images', { limit: 50 });
    expect(all.total).toBe(14);
    expect(all.images.every((i: any) => i.listingCount === 0 && !/^[0-9a-f]{12}/.test(i.name))).toBe(true);
    const facets = await call('catalog.facets', {});
    expect(facets.withListing).toBe(0);
    const other = facets.folders.find((f: any) => f.folder.endsWith(`${path.sep}other`));
    expect(other.count).toBe(3);
    const inOther = await call('catalog.images', { folder: other.folder });
    expect(inOther.images.map((i: any) => i.name).sort()).toEqual(['shot-0-q60.jpg', 'shot-0-small.jpg', 'shot-0.png']);
    expect((await call('catalog.images', { listing: 'with' })).total).toBe(0);
    expect((await call('catalog.images', { run: facets.runs[0].id })).total).toBe(14);
    expect((await call('catalog.images', { text: 'SMALL' })).images.map((i: any) => i.name)).toEqual(['shot-0-small.jpg']);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run.js';
import { resourcesDir } from '../../src-main/shared/paths.js';
import { Services } from '../../src-main/features/services.js';
import { inProcessCaller } from '../helpers/in-process.js';
import { jpeg, tempDir } from './catalog-helpers.js';

const hasDemo = fs.existsSync(path.join(resourcesDir, 'models', 'demo-siglip')) && fs.existsSync(path.join(resourcesDir, 'demo-catalog', 'listings.csv'));

describe.skipIf(!hasDemo)('catalog API with the real demo model', () => {
  const root = tempDir();
  const dbPath = path.join(root, 'catalog.db');
  let services: Services;
  const call = inProcessCaller(() => services);

  beforeAll(() => {
    services = new Services({ dbPath });
  });
  afterAll(() => {
    services.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('maps listing rows to images by relative path, bare name and URL name, and reports the rest', async () => {
    const shop = path.join(root, 'shop');
    const photos = path.join(root, 'photos');
    fs.mkdirSync(path.join(shop, 'pics'), { recursive: true });
    fs.mkdirSync(photos);
    fs.writeFileSync(path.join(shop, 'pics', 'rel.jpg'), await jpeg(1));
    fs.writeFileSync(path.join(photos, 'bare.jpg'), await jpeg(2));
    fs.writeFileSync(path.join(photos, 'from-url.jpg'), await jpeg(3));
    fs.writeFileSync(path.join(photos, 'broken.jpg'), Buffer.from('nope'));
    const listings = path.join(shop, 'listings.csv');
    fs.writeFileSync(
      listings,
      'id,title,price,images\n' +
        'A,Relative,1,pics/rel.jpg\n' +
        'B,Bare and missing,2,bare.jpg|gone.jpg\n' +
        'C,Url,3,https://cdn.example.com/p/from-url.jpg\n' +
        'D,Broken,4,../photos/broken.jpg\n' +
        ',No id,5,bare.jpg\n',
    );
    const summary = await call('catalog.import', { paths: [photos], listings });
    expect(summary).toMatchObject({ indexed: 3, listings: 4, embedded: { 'demo-siglip': 3 } });
    expect(summary.failed).toEqual([{ path: path.join(photos, 'broken.jpg'), error: expect.stringContaining('not an image') }]);
    expect(summary.missing).toEqual([
      { listing: 'B', where: 'listings.csv:3', image: 'gone.jpg', reason: 'file not found' },
      { listing: 'D', where: 'listings.csv:5', image: '../photos/broken.jpg', reason: expect.stringContaining('image failed to import: not an image') },
    ]);
    expect(summary.rowProblems).toEqual([{ where: 'listings.csv:6', error: 'no id or sku', skipped: true }]);

    const { listings: rows, notFound } = await call('catalog.listings', { ids: ['C', 'A', 'Z', 'B', 'D'] });
    expect(rows.map((l) => [l.id, l.images.length])).toEqual([['C', 1], ['A', 1], ['B', 1], ['D', 0]]);
    expect(notFound).toEqual(['Z']);
    const page = await call('catalog.listings', { offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.listings.map((l) => l.id)).toEqual(['B', 'C']);

    const errors = await call('catalog.errors', {});
    // Failed files and listing problems are counted apart: the history says what the summary says.
    expect(errors.runs[0]!.errors.map((e) => e.path)).toEqual([path.join(photos, 'broken.jpg')]);
    expect(errors.runs[0]!).toMatchObject({ failed: 1, errorCount: 1, listings: 4, problems: 3 });
    expect(errors.runs[0]!.problemList.map((e) => e.path)).toEqual(['listings.csv:6', 'listings.csv:3', 'listings.csv:5']);
    expect(summary.problemCount).toBe(3);
  });

  it('serves thumbnails and originals by sha256 only for catalog images', async () => {
    const [listing] = (await call('catalog.listings', { ids: ['A'] })).listings;
    const sha = listing!.images[0]!.sha256;
    const thumb = await call('catalog.thumbnail', { sha256: sha });
    expect(thumb.mime).toBe('image/webp');
    const original = await call('catalog.image', { sha256: sha });
    expect(original.mime).toBe('image/jpeg');
    expect(Buffer.compare(Buffer.from(original.bytes), fs.readFileSync(path.join(root, 'shop', 'pics', 'rel.jpg')))).toBe(0);
    await expect(call('catalog.image', { sha256: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('catalog.thumbnail', { sha256: '../etc/passwd' })).rejects.toMatchObject({ code: 'bad_request' });
    // The file was replaced after import: its new bytes are never served under the old hash.
    fs.writeFileSync(path.join(root, 'shop', 'pics', 'rel.jpg'), await jpeg(99));
    await expect(call('catalog.image', { sha256: sha })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects bad import input clearly', async () => {
    await expect(call('catalog.import', { paths: [] })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('catalog.import', { paths: [path.join(root, 'nowhere')] })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('not found') });
    await expect(call('catalog.import', { paths: [root], models: ['no-such-model'] })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no model pack "no-such-model"/) });
  });

  it('loads the demo catalog once, and a second time from cache', async () => {
    const first = await call('catalog.loadDemo', {});
    expect(first.failed).toEqual([]);
    expect(first.missing).toEqual([]);
    expect(first.listings).toBeGreaterThan(0);
    const second = await call('catalog.loadDemo', {});
    expect(second).toMatchObject({ indexed: 0, cached: first.indexed + first.cached, embedded: { 'demo-siglip': 0 } });
    const status = await call('app.status', {});
    const stats = await call('catalog.stats', {});
    expect(status.listings).toBe(stats.listings);
    expect(status.images).toBe(stats.images);
    expect(stats.models).toEqual([expect.objectContaining({ modelId: 'demo-siglip', count: stats.images })]);
  }, 120_000);

  it('prints import and catalog stats JSON from the CLI (index kept as an alias)', async () => {
    services.close();
    const out: string[] = [];
    const streams = { stdout: { write: (s: string) => out.push(s) > 0 }, stderr: { write: () => true } };
    const photos = path.join(root, 'cli');
    fs.mkdirSync(photos);
    fs.writeFileSync(path.join(photos, 'one.jpg'), await jpeg(500));
    expect(await runCli(['import', photos, '--db', dbPath, '--model', 'demo-clip'], streams)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ indexed: 1, cached: 0, failed: [], missing: [], embedded: { 'demo-clip': 1 } });
    expect(await runCli(['catalog', 'stats', '--db', dbPath], streams)).toBe(0);
    const stats = JSON.parse(out.pop()!);
    expect(stats.tables).toMatchObject({ listings: stats.listings, images: stats.images });
    expect(stats.models.map((m: { modelId: string }) => m.modelId)).toEqual(['demo-clip', 'demo-siglip']);
    expect(await runCli(['import', '--db', dbPath], streams)).toBe(2);
    // The command's earlier name still works: a re-run of the same file reads nothing.
    expect(await runCli(['index', photos, '--db', dbPath, '--model', 'demo-clip'], streams)).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ indexed: 0, cached: 1, failed: [] });
  }, 120_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPack } from '../../src-main/engine/pack.js';
import { ModelRegistry } from '../../src-main/engine/registry.js';
import { compareVectors, measureVariant, topK } from '../../src-main/engine/variant-drift.js';
import { DEFAULT_NEAR } from '../../src-main/features/duplicates/tiers.js';
import { Services } from '../../src-main/features/services.js';
import { appRoot } from '../../src-main/shared/paths.js';
import type { Progress } from '../../src-main/shared/progress.js';
import { cli } from '../helpers/cli.js';
import { inProcessCaller } from '../helpers/in-process.js';
import { setEnv } from '../helpers/env.js';

const demo = path.join(appRoot, 'resources', 'models', 'demo-siglip');
const eightBit = path.join(appRoot, 'test', 'fixtures', 'demo-siglip-8bit');
const hasDemo = fs.existsSync(path.join(demo, 'onnx', 'vision_model.onnx'));

const unit = (xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs, (x) => x / n);
};

describe('variant drift figures', () => {
  const images = [unit([1, 0, 0]), unit([0.99, 0.1, 0]), unit([0, 1, 0]), unit([0, 0.9, 0.3]), unit([0, 0, 1])];
  const texts = [unit([1, 0.1, 0]), unit([0, 0, 1])];

  it('ranks by cosine (ties by index), skipping the query itself', () => {
    expect(topK(images[0]!, images, 2)).toEqual([0, 1]);
    expect(topK(images[0]!, images, 2, 0)).toEqual([1, 2]);
    expect(topK(texts[1]!, images, 2)).toEqual([4, 3]);
  });

  it('identical vectors keep everything', () => {
    const d = compareVectors({ images, texts }, { images, texts }, 0.95);
    expect(d.imageCosine).toEqual({ min: 1, mean: 1 });
    expect(d.textSearchTop10).toEqual({ mean: 1, min: 1 });
    expect(d.imageSearchTop10).toEqual({ mean: 1, min: 1 });
    expect(d.duplicatePairs).toEqual({ threshold: 0.95, fp32: 1, kept: 1, added: 0 });
  });

  it('counts a lost duplicate pair and a new one', () => {
    const moved = [images[0]!, unit([0.5, 0.5, 0]), images[2]!, unit([0, 1, 0.05]), images[4]!];
    const d = compareVectors({ images, texts }, { images: moved, texts }, 0.95);
    expect(d.duplicatePairs).toEqual({ threshold: 0.95, fp32: 1, kept: 0, added: 1 });
    expect(d.imageCosine.min).toBeLessThan(0.9);
  });

  it('measures the share of each top-10 found again', () => {
    // 14 vectors on a circle: each one's 10 nearest are its neighbours along the circle.
    const ring = Array.from({ length: 14 }, (_, i) => unit([Math.cos((i * 2 * Math.PI) / 14), Math.sin((i * 2 * Math.PI) / 14), 0]));
    const same = compareVectors({ images: ring, texts: [ring[0]!] }, { images: ring, texts: [ring[0]!] }, 0.99);
    expect(same.imageSearchTop10).toEqual({ mean: 1, min: 1 });
    const flipped = ring.map((v, i) => (i === 0 ? unit([-1, 0.01, 0]) : v)); // image 0 jumps across the circle
    const d = compareVectors({ images: ring, texts: [ring[0]!] }, { images: flipped, texts: [ring[0]!] }, 0.99);
    expect(d.imageSearchTop10.min).toBe(0.7); // its new 10 nearest share 7 with the old ones
    expect(d.textSearchTop10.mean).toBeLessThan(1);
  });

  it('refuses a sample too small to rank', () => {
    expect(() => compareVectors({ images: [images[0]!], texts }, { images: [images[0]!], texts }, 0.95)).toThrow(/at least 2 images/);
  });
});

describe.skipIf(!hasDemo)('8-bit by measurement on a small pack (demo-siglip with 8-bit towers)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-variants-'));
  const pack = path.join(home, 'models', 'demo8');
  const photos = path.join(home, 'photos');
  const db = path.join(home, 'catalog.db');
  let restoreEnv = () => {};

  beforeAll(async () => {
    restoreEnv = setEnv({ LOOKALIKE_HOME: home, LOOKALIKE_PROVIDER: 'cpu', LOOKALIKE_VARIANT: undefined });
    fs.cpSync(demo, pack, { recursive: true });
    for (const f of fs.readdirSync(eightBit).filter((n) => n.endsWith('.onnx'))) fs.copyFileSync(path.join(eightBit, f), path.join(pack, 'onnx', f));
    // A small catalog: 16 demo listings with their photos.
    fs.mkdirSync(photos);
    const csv = fs.readFileSync(path.join(appRoot, 'resources', 'demo-catalog', 'listings.csv'), 'utf8').split('\n');
    const rows = csv.slice(1, 17);
    for (const r of rows) {
      const image = r.split(',').pop()!.trim();
      fs.copyFileSync(path.join(appRoot, 'resources', 'demo-catalog', 'images', image), path.join(photos, image));
    }
    fs.writeFileSync(path.join(home, 'listings.csv'), [csv[0], ...rows].join('\n'));
    const index = await cli(['import', photos, '--listings', path.join(home, 'listings.csv'), '--db', db]);
    expect(index.code, index.stderr).toBe(0);
  });
  afterAll(() => {
    restoreEnv();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('measures the 8-bit variant on the catalog from the CLI: cosine, top-10 overlap, duplicate pairs, speed', async () => {
    const { code, stdout, stderr } = await cli(['models', 'measure', 'demo8', '--sample', '16', '--db', db]);
    expect(code, stderr).toBe(0);
    const { measurement: m } = JSON.parse(stdout);
    expect(m).toMatchObject({ pack: 'demo8', variant: 'quantized', reference: 'fp32', images: 16, texts: 16 });
    expect(m.imageCosine.min).toBeGreaterThan(0.9);
    expect(m.imageCosine.min).toBeLessThanOrEqual(1);
    expect(m.textCosine.min).toBeGreaterThan(0.9);
    expect(m.textCosine.min).toBeLessThanOrEqual(1);
    for (const k of ['textSearchTop10', 'imageSearchTop10'] as const) {
      expect(m[k].mean).toBeGreaterThan(0.5);
      expect(m[k].mean).toBeLessThanOrEqual(1);
    }
    expect(m.duplicatePairs.threshold).toBe(DEFAULT_NEAR.cosine);
    expect(m.speed.fp32Images).toBeGreaterThan(0);
    expect(m.speed.variantTexts).toBeGreaterThan(0);
    expect(typeof m.recommended).toBe('boolean');
    expect(stderr).toMatch(/demo8 quantized: images [\d.]+x/);
  });

  it('reports the measuring step by step, naming the variant (the page words the phase)', async () => {
    const services = new Services({ dbPath: db });
    try {
      const steps: Progress[] = [];
      await inProcessCaller(() => services)('models.measureVariant', { model: 'demo8', sample: 16 }, (p) => steps.push(p));
      expect(steps.map((p) => [p.phase, p.done, p.total, p.message])).toEqual([
        ['sampling', 0, undefined, undefined],
        ['measuring', 0, 2, 'fp32'],
        ['measuring', 1, 2, 'quantized'],
      ]);
    } finally {
      services.close();
    }
  });

  it('shows the measurement in the list, and the choice is remembered, listed and used', async () => {
    let list = (await cli(['models', 'list'])).json();
    const before = list.models.find((x: { id: string }) => x.id === 'demo8');
    expect(before).toMatchObject({ variants: ['fp32', 'quantized'], variant: 'fp32', chosenVariant: null });
    expect(before.measurements).toEqual([expect.objectContaining({ variant: 'quantized', images: 16 })]);

    const fp32 = (await cli(['embed', '--model', 'demo8', '--text', 'orange glass water bottle'])).json().vector as number[];
    const use = await cli(['models', 'use', 'demo8', 'quantized']);
    expect(use.code, use.stderr).toBe(0);
    expect(use.json().model).toMatchObject({ id: 'demo8', variant: 'quantized', chosenVariant: 'quantized' });
    list = (await cli(['models', 'list'])).json();
    expect(list.models.find((x: { id: string }) => x.id === 'demo8')).toMatchObject({ variant: 'quantized', chosenVariant: 'quantized' });
    // A new process (registry) runs the pack with the chosen variant: the vector is the 8-bit one.
    const q = (await cli(['embed', '--model', 'demo8', '--text', 'orange glass water bottle'])).json().vector as number[];
    const cos = q.reduce((s, x, i) => s + x * fp32[i]!, 0);
    expect(cos).toBeGreaterThan(0.9);
    expect(cos).toBeLessThan(0.999999);

    const registry = new ModelRegistry({ bundledDir: path.join(appRoot, 'resources', 'models'), installedDir: path.join(home, 'models'), embedder: { provider: 'cpu' } });
    try {
      expect((await registry.embedder('demo8')).variant).toBe('quantized');
      expect((await registry.setVariant('demo8', null)).variant).toBe('fp32');
      expect((await registry.embedder('demo8')).variant).toBe('fp32');
    } finally {
      await registry.close();
    }
  });

  it.each([
    [['models', 'use', 'demo8', 'q4'], 2, /has no q4 variant/],
    [['models', 'use', 'demo8', 'bogus'], 2, /unknown model variant "bogus"/],
    [['models', 'use', 'demo8'], 2, /needs a model id and a variant/],
    [['models', 'measure', 'demo8', '--variant', 'fp32', '--db', db], 2, /fp32 is the reference/],
    [['models', 'measure', 'demo-clip', '--db', db], 2, /has no quantized variant/],
    [['models', 'measure', 'demo8', '--sample', '2', '--db', db], 2, /--sample expects an integer >= 4/],
  ])('bad input %j is a clear error', async (args, exit, message) => {
    const { code, stderr } = await cli(args as string[]);
    expect(stderr).toMatch(message as RegExp);
    expect(code).toBe(exit);
  });

  it('refuses to measure on an empty catalog, saying what to import', async () => {
    const { code, stderr } = await cli(['models', 'measure', 'demo8', '--db', path.join(home, 'empty.db')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/import at least 2 images and 1 listing/);
  });
});

const realsize = process.env.LOOKALIKE_REALSIZE_DIR;
describe.skipIf(!realsize)('8-bit by measurement on the random-weight real-size packs (LOOKALIKE_REALSIZE_DIR)', () => {
  for (const id of ['realsize-siglip-base-patch16-224', 'realsize-clip-vit-base-patch32']) {
    it(`${id}: measures drift and speed of the 8-bit towers`, async (ctx) => {
      const dir = path.join(realsize!, id);
      const check = await inspectPack(dir);
      if (!check.ok || !check.pack.variants.includes('quantized')) ctx.skip();
      if (!check.ok) return;
      const { syntheticPhoto } = await import('../helpers/photos.js');
      const images = await Promise.all(Array.from({ length: 12 }, (_, i) => syntheticPhoto(i + 1)));
      const texts = Array.from({ length: 12 }, (_, i) => `red striped ceramic mug number ${i}`);
      const m = await measureVariant(check.pack, 'quantized', { images, texts }, { threshold: DEFAULT_NEAR.cosine, provider: 'cpu' });
      expect(m.imageCosine.min).toBeGreaterThan(0.99); // random-weight towers: every vector is near one direction
      expect(m.speed.imageSpeedup).toBeGreaterThan(1.2); // 8-bit towers are 2.6-3x faster (docs/PERFORMANCE.md)
      expect(m.imageSearchTop10.mean).toBeGreaterThan(0);
      process.stderr.write(`${id}: ${m.summary}\n`);
    }, 600_000);
  }
});

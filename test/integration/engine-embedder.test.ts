import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../src-main/engine/embedder.js';
import { FAMILIES } from '../../src-main/engine/families.js';
import { NO_VULKAN, findVulkanLoader } from '../../src-main/engine/providers.js';
import { inspectPack, type PackInfo } from '../../src-main/engine/pack.js';
import { ImageDecodeError } from '../../src-main/engine/preprocess.js';
import { ScoringCache } from '../../src-main/engine/scoring.js';
import { appRoot } from '../../src-main/shared/paths.js';

const demoDir = path.join(appRoot, 'resources', 'models', 'demo-siglip');
const hasDemo = fs.existsSync(path.join(demoDir, 'onnx', 'vision_model.onnx'));

async function loadPack(): Promise<PackInfo> {
  const check = await inspectPack(demoDir);
  if (!check.ok) throw new Error(check.error);
  return check.pack;
}

async function images(n: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      sharp({ create: { width: 40 + i * 7, height: 30 + i * 5, channels: 3, background: { r: (i * 50) % 256, g: (i * 90) % 256, b: (i * 30) % 256 } } })
        .jpeg()
        .toBuffer(),
    ),
  );
}

describe.skipIf(!hasDemo)('OnnxEmbedder on the demo SigLIP pack', () => {
  let e: OnnxEmbedder;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-embedder-'));
  beforeAll(async () => {
    e = await OnnxEmbedder.load(await loadPack(), { provider: 'cpu', batchSize: 3, threads: 1, scoringCache: new ScoringCache(path.join(tmp, 'scores.json')) });
  });
  afterAll(async () => {
    await e?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('returns L2-normalised vectors of the graph dimension', async () => {
    expect(e.dim).toBe(128);
    const [img] = await e.embedImages((await images(1)) as Uint8Array[]);
    const [txt] = await e.embedTexts(['red mug']);
    for (const v of [img!, txt!]) {
      expect(v).toHaveLength(128);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
  });

  it('gives the same vectors whatever the batch size, in input order', async () => {
    const imgs = await images(7);
    const batched = await e.embedImages(imgs);
    const single = await e.embedImages(imgs, { batchSize: 1 });
    batched.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - single[i]![j]!)).toBeLessThan(1e-5)));
    expect(batched[0]!.some((x, j) => Math.abs(x - batched[1]![j]!) > 1e-3)).toBe(true);
  });

  it('runs concurrent calls one at a time without mixing results', async () => {
    const imgs = await images(4);
    const [a, b] = await Promise.all([e.embedImages(imgs), e.embedImages([...imgs].reverse())]);
    a.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - b![3 - i]![j]!)).toBeLessThan(1e-5)));
  });

  it('stops on an aborted signal', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(e.embedImages(await images(2), { signal: ctrl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    await expect(e.embedTexts(['x'], { signal: ctrl.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops between batches when aborted mid-way', async () => {
    const ctrl = new AbortController();
    const imgs = await images(12);
    const run = e.embedImages(imgs, { signal: ctrl.signal, batchSize: 2 });
    ctrl.abort();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('names the bad image of a batch', async () => {
    const imgs: Uint8Array[] = [...(await images(4)), Buffer.from('not an image')];
    const err = await e.embedImages(imgs).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ImageDecodeError);
    expect((err as ImageDecodeError).index).toBe(4);
  });

  it('caches the derived score constants by pack and revision', async () => {
    const cached = JSON.parse(fs.readFileSync(path.join(tmp, 'scores.json'), 'utf8')) as Record<string, { source: string }>;
    expect(Object.keys(cached)).toEqual([`${demoDir}#${e.revision}`]);
    expect(Object.values(cached)[0]!.source).toBe('model.onnx');
  });
});

describe.skipIf(!hasDemo)('execution provider fallback', () => {
  it('falls back from webgpu to cpu and says why webgpu was skipped', async (ctx) => {
    const e = await OnnxEmbedder.load(await loadPack(), { provider: 'webgpu,cpu', threads: 1 });
    try {
      await e.ready('vision');
      if (e.provider === 'webgpu') ctx.skip(); // this machine has a WebGPU adapter: nothing to fall back from
      expect(e.provider).toBe('cpu');
      const report = e.providers.vision!;
      expect(report.forced).toBe(true);
      expect(report.skipped).toEqual([{ provider: 'webgpu', reason: expect.stringMatching(/\S/) }]);
      const [v] = await e.embedTexts(['still works']);
      expect(v).toHaveLength(128);
    } finally {
      await e.close();
    }
  });

  it('skips WebGPU without trying when Linux has no Vulkan loader, and says so', async (ctx) => {
    if (process.platform !== 'linux' || findVulkanLoader()) ctx.skip();
    const e = await OnnxEmbedder.load(await loadPack(), { threads: 1 });
    try {
      await e.ready('vision');
      expect(e.provider).toBe('cpu');
      expect(e.providers.vision!.skipped).toContainEqual({ provider: 'webgpu', reason: NO_VULKAN });
    } finally {
      await e.close();
    }
  });

  it('fails clearly when the one forced provider is unavailable', async () => {
    await expect(OnnxEmbedder.load(await loadPack(), { provider: 'cuda', threads: 1 }).then((e) => e.ready())).rejects.toThrow(/no execution provider could run onnx\/vision_model\.onnx|cuda/);
  });
});

describe.skipIf(!hasDemo)('towers load on first use', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-lazy-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const load = async (pack?: PackInfo) => OnnxEmbedder.load(pack ?? (await loadPack()), { provider: 'cpu', threads: 1, scoringCache: new ScoringCache(path.join(tmp, 'scores.json')) });

  it('an image embed creates only the vision session, a text embed only the text session', async () => {
    const a = await load();
    const b = await load();
    try {
      expect(a.loadedTowers).toEqual([]);
      await a.embedImages(await images(1));
      expect(a.loadedTowers).toEqual(['vision']);
      await b.embedTexts(['red mug']);
      expect(b.loadedTowers).toEqual(['text']);
      expect(b.provider).toBe('cpu');
      expect(b.providers.vision).toBeNull();
      await b.embedImages(await images(1));
      expect(b.loadedTowers).toEqual(['vision', 'text']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('runs the small demo towers on one thread whatever the setting allows, and says so', async () => {
    const e = await OnnxEmbedder.load(await loadPack(), { provider: 'cpu', threads: 2, scoringCache: new ScoringCache(path.join(tmp, 'scores.json')) });
    try {
      expect(e.towerThreads).toEqual({ vision: null, text: null });
      await e.embedTexts(['red mug']);
      expect(e.threads).toBe(2);
      expect(e.towerThreads).toEqual({ vision: null, text: 1 });
    } finally {
      await e.close();
    }
  });

  it('loads a tower once even when first calls arrive together', async () => {
    const e = await load();
    try {
      const [x, y] = await Promise.all([e.embedTexts(['one']), e.embedTexts(['one'])]);
      expect(Array.from(x[0]!)).toEqual(Array.from(y[0]!));
      expect(e.loadedTowers).toEqual(['text']);
    } finally {
      await e.close();
    }
  });

  it('never reads the tower it does not need: text works with a corrupt vision file, and the corrupt one is named on use', async () => {
    const dir = path.join(tmp, 'half-broken');
    fs.cpSync(demoDir, dir, { recursive: true });
    const vision = path.join(dir, 'onnx', 'vision_model.onnx');
    fs.writeFileSync(vision, fs.readFileSync(vision).subarray(0, 5000));
    const check = await inspectPack(dir);
    if (!check.ok) throw new Error(check.error);
    const broken: string[] = [];
    const e = await OnnxEmbedder.load(check.pack, { provider: 'cpu', threads: 1, onBroken: (err) => broken.push(err.message), scoringCache: new ScoringCache(path.join(tmp, 'scores.json')) });
    try {
      const [v] = await e.embedTexts(['still works']);
      expect(v).toHaveLength(128);
      await expect(e.embedImages(await images(1))).rejects.toThrow(/onnx\/vision_model\.onnx/);
      expect(broken).toEqual([expect.stringMatching(/vision_model\.onnx/)]);
    } finally {
      await e.close();
    }
  });

  it('refuses a tower whose vectors do not have the dimension config.json gives', async () => {
    const pack = await loadPack();
    const e = await load({ ...pack, dim: 64 });
    try {
      await expect(e.embedTexts(['x'])).rejects.toThrow(/outputs vectors of 128 values; config\.json says 64/);
    } finally {
      await e.close();
    }
  });

  it('a closed embedder refuses new work', async () => {
    const e = await load();
    await e.close();
    await expect(e.embedTexts(['x'])).rejects.toThrow(/closed/);
  });
});

describe.skipIf(!hasDemo)('decoding on a worker thread', () => {
  it('gives exactly the tensors of decoding in place, and names a bad image by its index', async () => {
    const { DecodePool } = await import('../../src-main/engine/decode-pool.js');
    const { ImagePreprocessor, imageSpec } = await import('../../src-main/engine/preprocess.js');
    const spec = imageSpec({ size: { shortest_edge: 64 }, do_center_crop: true, crop_size: { height: 64, width: 64 }, resample: 3 }, FAMILIES.clip);
    const inline = new ImagePreprocessor(spec);
    const pool = new DecodePool(spec, inline.limits);
    try {
      const imgs = [...(await images(3)), fs.readFileSync(path.join(appRoot, 'test', 'fixtures', 'cmyk', 'photo-cmyk.jpg'))];
      expect(Array.from(await pool.batch(imgs, 10))).toEqual(Array.from(await inline.batch(imgs, 10)));
      const err = await pool.batch([imgs[0]!, Buffer.from('not an image')], 10).catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ImageDecodeError);
      expect((err as ImageDecodeError).index).toBe(11);
    } finally {
      await pool.close();
    }
    await expect(pool.batch(await images(1))).rejects.toThrow(/closed/);
  });

  it('embeds multi-batch calls through the worker with the same vectors as without it', async () => {
    const pack = await loadPack();
    const on = await OnnxEmbedder.load(pack, { provider: 'cpu', threads: 1, batchSize: 2, decodeWorker: true });
    const off = await OnnxEmbedder.load(pack, { provider: 'cpu', threads: 1, batchSize: 2, decodeWorker: false });
    try {
      const imgs = await images(5);
      const [a, b] = [await on.embedImages(imgs), await off.embedImages(imgs)];
      a.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(b[i]!)));
      expect(on.decodesOnWorker).toBe(true);
      expect(off.decodesOnWorker).toBe(false);
    } finally {
      await Promise.all([on.close(), off.close()]);
    }
  });
});

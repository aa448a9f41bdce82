import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../src-main/engine/embedder.js';
import { NO_VULKAN, findVulkanLoader } from '../../src-main/engine/providers.js';
import { inspectPack, type PackInfo } from '../../src-main/engine/pack.js';
import { ImageDecodeError } from '../../src-main/engine/preprocess.js';
import { ScoringCache } from '../../src-main/engine/scoring.js';
import { appRoot } from '../../src-main/paths.js';

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
      if (e.provider === 'webgpu') ctx.skip(); // this machine has a WebGPU adapter: nothing to fall back from
      expect(e.provider).toBe('cpu');
      const report = e.providers.vision;
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
      expect(e.provider).toBe('cpu');
      expect(e.providers.vision.skipped).toContainEqual({ provider: 'webgpu', reason: NO_VULKAN });
    } finally {
      await e.close();
    }
  });

  it('fails clearly when the one forced provider is unavailable', async () => {
    await expect(OnnxEmbedder.load(await loadPack(), { provider: 'cuda', threads: 1 })).rejects.toThrow(/no execution provider could run onnx\/vision_model\.onnx|cuda/);
  });
});

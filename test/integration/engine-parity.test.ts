import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src-main/engine/registry.js';
import { appRoot } from '../../src-main/shared/paths.js';

interface Fixture {
  logit_scale: number;
  logit_bias: number;
  images: Array<{ path: string; why: string; embedding_normalized: number[] }>;
  texts: Array<{ text: string; input_ids: number[]; embedding_normalized: number[] }>;
}

const fixture = (id: string) => path.join(appRoot, 'test', 'fixtures', 'parity', `${id}.json`);
const ready = ['demo-siglip', 'demo-clip'].every((id) => fs.existsSync(fixture(id)) && fs.existsSync(path.join(appRoot, 'resources', 'models', id, 'onnx', 'vision_model.onnx')));
const cos = (a: Float32Array, b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / Math.hypot(...b);

describe.skipIf(!ready)('parity with the PyTorch reference (demo packs)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-parity-'));
  const registry = new ModelRegistry({ bundledDir: path.join(appRoot, 'resources', 'models'), installedDir: path.join(home, 'models'), embedder: { provider: 'cpu' } });
  afterAll(async () => {
    await registry.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  for (const id of ['demo-siglip', 'demo-clip']) {
    describe(id, () => {
      const fx = (): Fixture => JSON.parse(fs.readFileSync(fixture(id), 'utf8')) as Fixture;

      it('gives the reference token ids exactly', async () => {
        const e = await registry.embedder(id);
        for (const t of fx().texts) {
          const batch = e.text.encode([t.text]);
          expect(Array.from(batch.ids, Number), t.text).toEqual(t.input_ids);
        }
      });

      it('matches reference image embeddings (cosine >= 0.999), including crops and RGBA', async () => {
        const e = await registry.embedder(id);
        const images = fx().images;
        const vectors = await e.embedImages(images.map((i) => fs.readFileSync(path.join(appRoot, i.path))));
        vectors.forEach((v, k) => expect(cos(v, images[k]!.embedding_normalized), images[k]!.why).toBeGreaterThanOrEqual(0.999));
      });

      it('matches reference text embeddings (cosine >= 0.999)', async () => {
        const e = await registry.embedder(id);
        const texts = fx().texts;
        const vectors = await e.embedTexts(texts.map((t) => t.text));
        vectors.forEach((v, k) => expect(cos(v, texts[k]!.embedding_normalized), texts[k]!.text).toBeGreaterThanOrEqual(0.999));
      });

      it('derives the trained score constants from onnx/model.onnx', async () => {
        const e = await registry.embedder(id);
        expect(e.scoringSource).toBe('model.onnx');
        expect(e.scoring.scale).toBeCloseTo(fx().logit_scale, 2);
        if (e.scoring.kind === 'sigmoid') expect(e.scoring.bias).toBeCloseTo(fx().logit_bias, 2);
        else expect(id).toBe('demo-clip');
      });
    });
  }
});

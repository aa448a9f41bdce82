import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../src-main/engine/embedder.js';
import { ModelRegistry } from '../../src-main/engine/registry.js';

/**
 * Real-shape packs from tools/realsize-models.py (random weights, same I/O names and shapes as
 * Xenova/siglip-base-patch16-224 and Xenova/clip-vit-base-patch32). Hundreds of MB each, so they
 * are only used when LOOKALIKE_REALSIZE_DIR points at them.
 */
const dir = process.env.LOOKALIKE_REALSIZE_DIR;
const present = Boolean(dir && fs.existsSync(path.join(dir, 'realsize-siglip-base-patch16-224')));

describe.skipIf(!present)('real-size SigLIP base / CLIP B/32 graphs (set LOOKALIKE_REALSIZE_DIR, see tools/realsize-models.py)', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-realsize-'));
  const registry = new ModelRegistry({ bundledDir: path.join(home, 'none'), installedDir: path.join(home, 'models'), extraDirs: [dir!], embedder: { provider: 'cpu' }, log: () => undefined });
  afterAll(async () => {
    await registry.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  const jpeg = () => fs.readFileSync(new URL('../../resources/demo-catalog/images/l0001.jpg', import.meta.url));

  it.each([
    ['realsize-siglip-base-patch16-224', 768, 'sigmoid'],
    ['realsize-clip-vit-base-patch32', 512, 'softmax'],
  ])('%s: input_ids-only text tower, 224px vision tower, %i-d vectors, scores from config.json', async (id, dim, kind) => {
    const e = await registry.embedder(id);
    expect(e.dim).toBe(dim);
    expect(e.scoring.kind).toBe(kind);
    expect(e.scoringSource).toBe('config.json');
    expect(e.preprocessor.spec).toMatchObject({ height: 224, width: 224 });
    const [img] = await e.embedImages([jpeg(), jpeg()]);
    const texts = await e.embedTexts(['a red mug', 'blue leather handbag with a long strap']);
    for (const v of [img!, ...texts]) {
      expect(v).toHaveLength(dim);
      expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    }
  });

  // tools/realsize-models.py also writes <tower>_quantized.onnx (tools/onnx_int8.py without Python onnxruntime).
  it.each(['realsize-siglip-base-patch16-224', 'realsize-clip-vit-base-patch32'])('%s: the 8-bit "quantized" variant loads and stays close to fp32', async (id) => {
    const pack = await registry.resolve(id);
    if (!pack.variants.includes('quantized')) return; // packs built before the 8-bit variants existed
    const images = [jpeg(), fs.readFileSync(new URL('../../resources/demo-catalog/images/l0002.jpg', import.meta.url))];
    const texts = ['a red mug', 'blue leather handbag with a long strap'];
    const out: Float32Array[][] = [];
    for (const variant of ['fp32', 'quantized']) {
      const e = await OnnxEmbedder.load(pack, { variant, provider: 'cpu', log: () => undefined });
      expect(e.variant).toBe(variant);
      out.push([...(await e.embedImages(images)), ...(await e.embedTexts(texts))]);
      await e.close();
    }
    const [fp32, int8] = out as [Float32Array[], Float32Array[]];
    for (let i = 0; i < fp32.length; i++) {
      const cos = fp32[i]!.reduce((s, x, j) => s + x * int8[i]![j]!, 0);
      // Measured 0.9998-0.9999 on the random-weight towers (docs/PERFORMANCE.md).
      expect(cos).toBeGreaterThan(0.995);
    }
  });
});

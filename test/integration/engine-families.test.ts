import fs from 'node:fs';
import path from 'node:path';
import { ort } from '../../src-main/engine/ort.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxEmbedder } from '../../src-main/engine/embedder.js';
import { inspectPack, type PackInfo } from '../../src-main/engine/pack.js';
import { cosine } from '../../src-main/engine/similarity.js';
import { appRoot } from '../../src-main/shared/paths.js';
import { MEAN_POOLED_SIGLIP } from '../helpers/test-family.js';

const demoDir = path.join(appRoot, 'resources', 'models', 'demo-siglip');
const hasDemo = fs.existsSync(path.join(demoDir, 'onnx', 'text_model.onnx'));
const options = { provider: 'cpu', threads: 1, scoringCache: null, decodeWorker: false, log: () => {} };

/**
 * A family is its traits: the tiny SigLIP pack's weights, run with the test-only family's traits
 * (mean pooling of the token vectors, no padding to the maximum, punctuation kept), embed the way
 * that family says, through the same OnnxEmbedder as the app's families.
 */
describe.skipIf(!hasDemo)('a test-only family embeds with a real pack', () => {
  let pack: PackInfo;
  let siglip: OnnxEmbedder;
  let meanPooled: OnnxEmbedder;
  beforeAll(async () => {
    const check = await inspectPack(demoDir);
    if (!check.ok) throw new Error(check.error);
    pack = check.pack;
    siglip = await OnnxEmbedder.load(pack, options);
    meanPooled = await OnnxEmbedder.load({ ...pack, traits: MEAN_POOLED_SIGLIP }, options);
  });
  afterAll(async () => {
    await siglip?.close();
    await meanPooled?.close();
  });

  it('text vectors are the masked mean of last_hidden_state of its own token ids, L2-normalised', async () => {
    const texts = ['A red mug!', 'blue  wooden chair', 'lamp'];
    const tokens = meanPooled.text.encode(texts);
    expect(tokens.length).toBeLessThan(pack.traits.text.maxPositions);
    expect(meanPooled.text.encodeOne('mug!')).not.toEqual(siglip.text.encodeOne('mug!'));

    // The same computation, written out here against the tower graph itself.
    const session = await ort.InferenceSession.create(path.join(demoDir, 'onnx', 'text_model.onnx'));
    const out = await session.run({ input_ids: new ort.Tensor('int64', tokens.ids, [tokens.batch, tokens.length]) });
    await session.release();
    const hidden = out.last_hidden_state!;
    const [, length, dim] = hidden.dims as [number, number, number];
    const data = hidden.data as Float32Array;
    const expected = texts.map((_, i) => {
      const v = new Float64Array(dim);
      const kept = tokens.rows[i]!.length;
      for (let t = 0; t < kept; t++) for (let j = 0; j < dim; j++) v[j]! += data[(i * length + t) * dim + j]! / kept;
      const norm = Math.hypot(...v);
      return Array.from(v, (x) => x / norm);
    });

    const got = await meanPooled.embedTexts(texts);
    expect(got).toHaveLength(3);
    got.forEach((vector, i) => {
      expect(vector).toHaveLength(pack.dim);
      vector.forEach((x, j) => expect(x).toBeCloseTo(expected[i]![j]!, 5));
    });
    // Not what the SigLIP family makes of the same texts (its pooled output, padded to 64).
    const pooled = await siglip.embedTexts(texts);
    expect(cosine(got[0]!, pooled[0]!)).toBeLessThan(0.999);
  });

  it('images take the vision pooling it shares with SigLIP: the same vectors', async () => {
    const image = await sharp({ create: { width: 48, height: 40, channels: 3, background: { r: 200, g: 40, b: 30 } } }).png().toBuffer();
    const [a] = await meanPooled.embedImages([image]);
    const [b] = await siglip.embedImages([image]);
    expect(cosine(a!, b!)).toBeCloseTo(1, 6);
    expect(meanPooled.scoring.kind).toBe('sigmoid');
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAMILY_LABELS, FAMILY_NAMES, type FamilyName } from '../../src-main/shared/families.js';
import { ModelFamily } from '../../src-main/api/schemas/models.js';
import { FAMILIES, type FamilyTraits, type Pooling, familyOfModelType, supportedModelTypes, unhandled } from '../../src-main/engine/families.js';
import { configDim } from '../../src-main/engine/pack.js';
import { embeddingOutput, embeddingRows } from '../../src-main/engine/pooling.js';
import { imageSpec } from '../../src-main/engine/preprocess.js';
import { scoringFromConfig } from '../../src-main/engine/scoring.js';
import { TextEncoder } from '../../src-main/engine/text.js';
import { appRoot } from '../../src-main/shared/paths.js';
import { MEAN_POOLED_SIGLIP, TEST_FAMILIES } from '../helpers/test-family.js';

const demoSiglip = path.join(appRoot, 'resources', 'models', 'demo-siglip');

describe('model families: one table', () => {
  it('has traits and a label for every family name, and the contract accepts exactly those names', () => {
    expect(Object.keys(FAMILIES).sort()).toEqual([...FAMILY_NAMES].sort());
    expect(Object.keys(FAMILY_LABELS).sort()).toEqual([...FAMILY_NAMES].sort());
    expect(ModelFamily.options).toEqual([...FAMILY_NAMES]);
    expect(supportedModelTypes()).toBe('"siglip", "clip"');
  });

  it('finds a family by config.json model_type, in the app table or in a larger one', () => {
    expect(familyOfModelType('clip')).toBe('clip');
    expect(familyOfModelType('siglip')).toBe('siglip');
    expect(familyOfModelType('mean_pooled_siglip')).toBeUndefined();
    expect(familyOfModelType('mean_pooled_siglip', TEST_FAMILIES)).toBe('mean-pooled-siglip');
    expect(familyOfModelType(undefined, TEST_FAMILIES)).toBeUndefined();
  });
});

describe('a test-only family drives every trait-dependent function', () => {
  const config = { model_type: 'mean_pooled_siglip', projection_dim: 64, text_config: { hidden_size: 96 }, vision_config: { hidden_size: 128 } };

  it('embedding size from its own config fields', () => {
    expect(configDim(config, MEAN_POOLED_SIGLIP)).toBe(96);
    expect(configDim({}, MEAN_POOLED_SIGLIP)).toBe(1152);
    expect(configDim(config, FAMILIES.siglip)).toBe(128);
    expect(configDim(config, FAMILIES.clip)).toBe(64);
  });

  it('preprocessing: a bare size number read its way, mean/std defaults from its traits', () => {
    expect(imageSpec({ size: 64, do_center_crop: true, crop_size: 64 }, MEAN_POOLED_SIGLIP)).toMatchObject({ resize: { kind: 'shortestEdge', shortestEdge: 64 }, mean: [0.5, 0.5, 0.5] });
    expect(imageSpec({ size: 64 }, FAMILIES.siglip)).toMatchObject({ resize: { kind: 'exact', height: 64, width: 64 }, mean: [0.5, 0.5, 0.5] });
    expect(imageSpec({ size: 64, do_center_crop: true, crop_size: 64 }, FAMILIES.clip).mean).toEqual(FAMILIES.clip.image.mean);
  });

  it('tokenizer rules: the same SigLIP tokenizer files, its own length, padding and punctuation', async () => {
    const packConfig = { model_type: 'siglip', text_config: {} };
    const ours = await TextEncoder.fromPack(demoSiglip, MEAN_POOLED_SIGLIP, packConfig);
    const siglip = await TextEncoder.fromPack(demoSiglip, FAMILIES.siglip, packConfig);
    expect(ours.spec).toMatchObject({ maxLength: 32, padToMax: false, stripPunctuation: false, collapseWhitespace: true, bosId: null });
    expect(siglip.spec).toMatchObject({ maxLength: 64, padToMax: true, stripPunctuation: true, collapseWhitespace: true });
    expect(ours.canonicalize('A  red, MUG!')).toBe('a red, mug!');
    expect(siglip.canonicalize('A  red, MUG!')).toBe('a red mug');
    expect(ours.encode(['red mug']).length).toBeLessThan(32);
    expect(siglip.encode(['red mug']).length).toBe(64);
  });

  it('scoring: its head kind reads config.json constants', () => {
    expect(scoringFromConfig({ logit_scale: Math.log(20), logit_bias: -3 }, MEAN_POOLED_SIGLIP)).toEqual({ kind: 'sigmoid', scale: expect.closeTo(20, 9), bias: -3 });
    expect(scoringFromConfig({ logit_scale: Math.log(20) }, MEAN_POOLED_SIGLIP)).toBeNull();
  });

  it('outputs and pooling: the masked mean of last_hidden_state, where the app families take a pooled output', () => {
    const names = ['last_hidden_state', 'pooler_output'];
    expect(embeddingOutput(names, MEAN_POOLED_SIGLIP.pooling.text, 'onnx/text_model.onnx')).toBe('last_hidden_state');
    expect(embeddingOutput(names, FAMILIES.siglip.pooling.text, 'onnx/text_model.onnx')).toBe('pooler_output');
    expect(embeddingOutput(['text_embeds', ...names], FAMILIES.clip.pooling.text, 'onnx/text_model.onnx')).toBe('text_embeds');
    expect(() => embeddingOutput(['pooler_output'], MEAN_POOLED_SIGLIP.pooling.text, 'onnx/text_model.onnx')).toThrow(/onnx\/text_model.onnx has no last_hidden_state output/);
    expect(() => embeddingOutput(['last_hidden_state'], FAMILIES.siglip.pooling.text, 'f.onnx')).toThrow(/f.onnx has no text_embeds or pooler_output output \(it has: last_hidden_state\)/);

    // Two texts, three positions, two values each; the second text's last position is padding.
    const data = Float32Array.from([3, 0, 0, 4, 3, 4, /* text 2 */ 1, 0, 1, 0, 100, 100]);
    const mask = BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]);
    const [a, b] = embeddingRows({ data, dims: [2, 3, 2] }, 2, 2, MEAN_POOLED_SIGLIP.pooling.text, mask);
    expect(Array.from(a!)).toEqual([0.6, 0.8].map((x) => expect.closeTo(x, 6))); // mean (2, 8/3) normalised
    expect(Array.from(b!)).toEqual([1, 0].map((x) => expect.closeTo(x, 6)));
    const [pooled] = embeddingRows({ data: Float32Array.from([3, 4]), dims: [1, 2] }, 1, 2, FAMILIES.siglip.pooling.text);
    expect(Array.from(pooled!)).toEqual([0.6, 0.8].map((x) => expect.closeTo(x, 6)));
  });
});

describe('the compiler asks for every trait and every case', () => {
  it('rejects a family without a trait, a family name without traits, and a switch missing a case', () => {
    const { pooling: _pooling, ...withoutPooling } = FAMILIES.siglip;
    // @ts-expect-error a family without its pooling trait is not a FamilyTraits
    const incomplete: FamilyTraits = withoutPooling;
    // @ts-expect-error a table with a name that has no traits ('mean-pooled-siglip') does not type-check
    const table: Record<FamilyName | 'mean-pooled-siglip', FamilyTraits> = { ...FAMILIES };
    type MorePooling = Pooling | { kind: 'cls'; output: string };
    const outputOf = (p: MorePooling): string => {
      switch (p.kind) {
        case 'pooled':
          return p.outputs[0]!;
        case 'mean':
          return p.output;
        default:
          // @ts-expect-error a pooling kind without a case reaches unhandled(), which takes only `never`
          return unhandled(p);
      }
    };
    expect(incomplete).not.toHaveProperty('pooling');
    expect(Object.keys(table)).not.toContain('mean-pooled-siglip');
    expect(() => outputOf({ kind: 'cls', output: 'x' })).toThrow(/no case for/);
  });
});

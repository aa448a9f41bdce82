import type { FamilyName } from '../../src-main/shared/families.js';
import { FAMILIES, type FamilyTraits } from '../../src-main/engine/families.js';

/**
 * A family that exists only in the tests: SigLIP-like (sigmoid head, same preprocessing) but, like
 * a multilingual SigLIP, its text embedding is the masked mean of the tower's token vectors
 * (last_hidden_state) instead of a pooled output, texts are padded to the batch's longest and
 * punctuation is kept. Declared in the same shape as engine/families.ts's entries.
 */
export const MEAN_POOLED_SIGLIP: FamilyTraits = {
  ...FAMILIES.siglip,
  modelType: 'mean_pooled_siglip',
  dim: { fields: ['text_config.hidden_size'], fallback: 1152 },
  image: { ...FAMILIES.siglip.image, sizeNumber: 'shortestEdge' },
  text: { ...FAMILIES.siglip.text, maxPositions: 32, padToMax: false, collapseWhitespace: true, stripPunctuation: null },
  pooling: { vision: FAMILIES.siglip.pooling.vision, text: { kind: 'mean', output: 'last_hidden_state' } },
  scoring: { defaults: { kind: 'sigmoid', scale: 10, bias: -10 }, publishedAs: 'test' },
  preferAsDefault: false,
};

/** The app's families plus the test family: a table of the same type the engine's is. */
export const TEST_FAMILIES: Record<FamilyName | 'mean-pooled-siglip', FamilyTraits> = { ...FAMILIES, 'mean-pooled-siglip': MEAN_POOLED_SIGLIP };

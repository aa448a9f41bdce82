import { FAMILY_NAMES, type FamilyName } from '../shared/families.js';
import type { Scoring } from './types.js';

/**
 * Everything that differs between model families, one entry per family. The engine reads a pack's
 * behaviour from its family's entry (PackInfo.traits) and never from the family's name, so adding
 * a family is one entry here plus its tests: the Record type rejects a family without traits and
 * a trait left out, and each trait whose values are a union is read through an exhaustive switch.
 */
export interface FamilyTraits {
  /** config.json `model_type` of this family's packs. */
  modelType: string;
  /** Embedding size: the first of these config.json fields present (dotted paths), else `fallback` (the HF config default). */
  dim: { fields: readonly string[]; fallback: number };
  image: ImageTraits;
  text: TextTraits;
  /** Which output of each tower holds the embedding, and how it is pooled into one vector per input. */
  pooling: { vision: Pooling; text: Pooling };
  /**
   * The family's head: `defaults.kind` is how cosines become scores (sigmoid: an absolute
   * probability per pair; softmax: relative across candidate texts); `defaults` are the published
   * constants used when a pack has neither a combined graph nor values in config.json, and
   * `publishedAs` names them in the warning.
   */
  scoring: { defaults: Scoring; publishedAs: string };
  /** Packs of this family are picked as the default model before real packs of other families. */
  preferAsDefault: boolean;
}

export interface ImageTraits {
  /** How a bare number in preprocessor_config's `size` is read: the shortest edge (then a crop) or a square. */
  sizeNumber: 'shortestEdge' | 'square';
  /** Normalisation when preprocessor_config.json gives none. */
  mean: [number, number, number];
  std: [number, number, number];
}

export interface TextTraits {
  /** Token positions when config.json's text_config gives no max_position_embeddings. */
  maxPositions: number;
  /**
   * A beginning-of-sequence token on every text, which the tokenizer files must then name
   * (`{ always: token }`, the token shown when they do not), or only where tokenizer_config.json
   * sets add_bos_token.
   */
  bos: { always: string } | 'ifAddBosToken';
  /** Pad every text to the maximum length (a family that pools the last position, unmasked) or to the batch's longest. */
  padToMax: boolean;
  lowercase: boolean;
  /** Collapse runs of whitespace before encoding. */
  collapseWhitespace: boolean;
  /**
   * Drop ASCII punctuation (and collapse whitespace) as the reference processor does, for packs
   * whose tokenizer_config `tokenizer_class` or tokenizer.json model type is listed; null: never.
   */
  stripPunctuation: { tokenizerClasses: readonly string[]; tokenizerModels: readonly string[] } | null;
}

export type Pooling =
  /** An output with one vector per input ([n, dim]): the first of these names the graph has. */
  | { kind: 'pooled'; outputs: readonly string[] }
  /** The mean of an output's token vectors ([n, tokens, dim]) over the attention mask. */
  | { kind: 'mean'; output: string };

const CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

export const FAMILIES: Record<FamilyName, FamilyTraits> = {
  siglip: {
    modelType: 'siglip',
    dim: { fields: ['text_config.projection_size', 'vision_config.hidden_size', 'text_config.hidden_size'], fallback: 768 },
    image: { sizeNumber: 'square', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    text: {
      maxPositions: 64,
      bos: 'ifAddBosToken',
      // SigLIP pools the last position, unmasked: every text is padded to the full length.
      padToMax: true,
      // SigLIP v1 lowercases (do_lower_case); SigLIP2 was trained on lowercased text but HF's tokenizer may not lowercase.
      lowercase: true,
      collapseWhitespace: false,
      // SigLIP v1's reference tokenizer (SentencePiece Unigram) drops ASCII punctuation and collapses whitespace.
      stripPunctuation: { tokenizerClasses: ['SiglipTokenizer'], tokenizerModels: ['Unigram'] },
    },
    pooling: { vision: { kind: 'pooled', outputs: ['image_embeds', 'pooler_output'] }, text: { kind: 'pooled', outputs: ['text_embeds', 'pooler_output'] } },
    scoring: { defaults: { kind: 'sigmoid', scale: 117.33, bias: -12.93 }, publishedAs: 'SigLIP base' },
    // Its probabilities are absolute, so every feature (mismatch thresholds included) works with it.
    preferAsDefault: true,
  },
  clip: {
    modelType: 'clip',
    dim: { fields: ['projection_dim'], fallback: 512 },
    image: { sizeNumber: 'shortestEdge', mean: CLIP_MEAN, std: CLIP_STD },
    text: {
      maxPositions: 77,
      bos: { always: '<|startoftext|>' },
      padToMax: false,
      lowercase: true,
      collapseWhitespace: true,
      stripPunctuation: null,
    },
    pooling: { vision: { kind: 'pooled', outputs: ['image_embeds', 'pooler_output'] }, text: { kind: 'pooled', outputs: ['text_embeds', 'pooler_output'] } },
    scoring: { defaults: { kind: 'softmax', scale: 100 }, publishedAs: 'CLIP' },
    preferAsDefault: false,
  },
};

/** The family whose packs declare this config.json model_type, in a table of families (the app's by default). */
export function familyOfModelType<N extends string>(modelType: unknown, table: Readonly<Record<N, FamilyTraits>>): N | undefined;
export function familyOfModelType(modelType: unknown): FamilyName | undefined;
export function familyOfModelType(modelType: unknown, table: Readonly<Record<string, FamilyTraits>> = FAMILIES): string | undefined {
  return Object.keys(table).find((name) => table[name]!.modelType === modelType);
}

/** The model_type values packs may declare, for messages: "siglip", "clip". */
export function supportedModelTypes(): string {
  return FAMILY_NAMES.map((name) => JSON.stringify(FAMILIES[name].modelType)).join(', ');
}

/** The default of an exhaustive switch over a trait's values: a value added to the union without a case fails to compile here. */
export function unhandled(value: never): never {
  throw new Error(`no case for ${JSON.stringify(value)}`);
}

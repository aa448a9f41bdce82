import fs from 'node:fs/promises';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { PackError, readJsonFile } from './pack.js';
import type { FamilyTraits, TextTraits } from './families.js';

/** How a pack's text becomes input_ids, resolved from its tokenizer files, its config and its family's traits. */
export interface TextSpec {
  maxLength: number;
  /** Prepended (CLIP's <|startoftext|>; SigLIP only if tokenizer_config says add_bos_token). */
  bosId: number | null;
  eosId: number;
  padId: number;
  /** SigLIP always pads to maxLength (it pools the last position, unmasked); CLIP pads to the longest in the batch. */
  padToMax: boolean;
  lowercase: boolean;
  /** Runs of whitespace become one space (CLIP; and wherever punctuation is stripped). */
  collapseWhitespace: boolean;
  /** SigLIP v1's reference tokenizer drops ASCII punctuation and collapses whitespace before encoding. */
  stripPunctuation: boolean;
}

export interface TokenBatch {
  ids: BigInt64Array;
  /** 1 for tokens, 0 for padding (only fed to graphs that declare attention_mask). */
  mask: BigInt64Array;
  batch: number;
  length: number;
  /** The same ids as plain numbers, one array per text (without padding), for tests and debugging. */
  rows: number[][];
}

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** A token given as a string or as `{ content }` in tokenizer_config.json / special_tokens_map.json. */
function tokenText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}

/** The BOS id: required of the tokenizer files when the family always starts with one, else as tokenizer_config says. */
function bosId(rule: TextTraits['bos'], tokenizerConfig: Record<string, unknown>, idOf: (key: 'bos_token') => number | undefined): number | null {
  if (rule === 'ifAddBosToken') return tokenizerConfig.add_bos_token === true ? (idOf('bos_token') ?? null) : null;
  const id = idOf('bos_token');
  if (id === undefined) throw new PackError('tokenizer_config.json', `the tokenizer files name no bos_token (${rule.always})`);
  return id;
}

function stripsPunctuation(rule: TextTraits['stripPunctuation'], tokenizerConfig: Record<string, unknown>, tokenizerJson: Record<string, unknown>): boolean {
  if (!rule) return false;
  const modelType = ((tokenizerJson.model ?? {}) as { type?: unknown }).type;
  return rule.tokenizerClasses.includes(tokenizerConfig.tokenizer_class as string) || rule.tokenizerModels.includes(modelType as string);
}

export class TextEncoder {
  constructor(
    private readonly tokenizer: Tokenizer,
    readonly spec: TextSpec,
  ) {}

  /** Loads tokenizer.json + tokenizer_config.json (+ special_tokens_map.json) and the config rules of a pack. */
  static async fromPack(dir: string, traits: FamilyTraits, config: Record<string, unknown>): Promise<TextEncoder> {
    const tokenizerJson = await readJsonFile(dir, 'tokenizer.json');
    const tokenizerConfig = await readJsonFile(dir, 'tokenizer_config.json');
    const specialMap = await fs
      .readFile(path.join(dir, 'special_tokens_map.json'), 'utf8')
      .then((t) => JSON.parse(t) as Record<string, unknown>)
      .catch(() => ({}) as Record<string, unknown>);
    return TextEncoder.fromObjects(tokenizerJson, tokenizerConfig, specialMap, traits, config);
  }

  static fromObjects(
    tokenizerJson: Record<string, unknown>,
    tokenizerConfig: Record<string, unknown>,
    specialMap: Record<string, unknown>,
    { text: traits }: FamilyTraits,
    config: Record<string, unknown>,
  ): TextEncoder {
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (err) {
      throw new PackError('tokenizer.json', `tokenizer.json cannot be loaded: ${err instanceof Error ? err.message : err}`);
    }
    // Ids come from the tokenizer files only: config.json's bos/eos/pad ids are often meaningless defaults.
    const idOf = (key: 'bos_token' | 'eos_token' | 'pad_token'): number | undefined => {
      const text = tokenText(tokenizerConfig[key]) ?? tokenText(specialMap[key]);
      return text === undefined ? undefined : tokenizer.token_to_id(text);
    };
    const eosId = idOf('eos_token');
    if (eosId === undefined) throw new PackError('tokenizer_config.json', 'tokenizer_config.json / special_tokens_map.json name no eos_token found in tokenizer.json');
    const textConfig = (config.text_config ?? {}) as Record<string, unknown>;
    const positions = typeof textConfig.max_position_embeddings === 'number' ? textConfig.max_position_embeddings : traits.maxPositions;
    const modelMax = tokenizerConfig.model_max_length;
    // Gemma-style configs carry a huge sentinel model_max_length; the position table is the real limit.
    const maxLength = typeof modelMax === 'number' && modelMax > 1 && modelMax < positions ? modelMax : positions;
    const stripPunctuation = stripsPunctuation(traits.stripPunctuation, tokenizerConfig, tokenizerJson);
    return new TextEncoder(tokenizer, {
      maxLength,
      bosId: bosId(traits.bos, tokenizerConfig, idOf),
      eosId,
      padId: idOf('pad_token') ?? eosId,
      padToMax: traits.padToMax,
      lowercase: traits.lowercase,
      collapseWhitespace: traits.collapseWhitespace || stripPunctuation,
      stripPunctuation,
    });
  }

  /** The text as the reference processor would hand it to the tokenizer. */
  canonicalize(text: string): string {
    let t = text;
    if (this.spec.stripPunctuation) t = t.replace(ASCII_PUNCTUATION, '');
    if (this.spec.collapseWhitespace) t = t.replace(/\s+/g, ' ').trim();
    return this.spec.lowercase ? t.toLowerCase() : t;
  }

  /** Token ids with special tokens, truncated so the end-of-sequence token always survives. */
  encodeOne(text: string): number[] {
    const { bosId, eosId, maxLength } = this.spec;
    const content = this.tokenizer.encode(this.canonicalize(text), { add_special_tokens: false }).ids;
    const room = maxLength - 1 - (bosId === null ? 0 : 1);
    return [...(bosId === null ? [] : [bosId]), ...content.slice(0, room), eosId];
  }

  encode(texts: string[]): TokenBatch {
    const rows = texts.map((t) => this.encodeOne(t));
    const length = this.spec.padToMax ? this.spec.maxLength : Math.max(1, ...rows.map((r) => r.length));
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(this.spec.padId));
    const mask = new BigInt64Array(texts.length * length);
    rows.forEach((row, i) => {
      row.forEach((id, j) => {
        ids[i * length + j] = BigInt(id);
        mask[i * length + j] = 1n;
      });
    });
    return { ids, mask, batch: texts.length, length, rows };
  }
}

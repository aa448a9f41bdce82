import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src-main/engine/families.js';
import { TextEncoder } from '../../src-main/engine/text.js';

const META = '\u2581';

/** SigLIP v1 layout (Xenova/siglip-base-patch16-224): SentencePiece Unigram, Metaspace, </s>=1 is EOS and pad. */
function siglipV1(): TextEncoder {
  const vocab: Array<[string, number]> = [['<pad>', 0], ['</s>', 0], ['<unk>', 0], [`${META}red`, -2], [`${META}mug`, -2], [`${META}a`, -3]];
  for (const ch of `${META}abcdefghijklmnopqrstuvwxyz!,.`) vocab.push([ch, -20]);
  const metaspace = { type: 'Metaspace', replacement: META, prepend_scheme: 'always', split: true };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: vocab.slice(0, 3).map(([content], id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
    pre_tokenizer: metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
      special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
    },
    decoder: metaspace,
    model: { type: 'Unigram', unk_id: 2, vocab, byte_fallback: false },
  };
  const config = { tokenizer_class: 'SiglipTokenizer', do_lower_case: true, eos_token: '</s>', pad_token: '</s>', unk_token: '<unk>', model_max_length: 64, model_input_names: ['input_ids'] };
  return TextEncoder.fromObjects(tokenizer, config, { eos_token: '</s>', pad_token: '</s>' }, FAMILIES.siglip, { model_type: 'siglip', text_config: {} });
}

/** SigLIP2 layout (Gemma): BPE with byte fallback, spaces as ▁ in the normaliser, <pad>=0 <eos>=1 <bos>=2. */
function siglip2(): TextEncoder {
  const tokens = ['<pad>', '<eos>', '<bos>', '<unk>', META, 'a', 'd', 'e', 'g', 'm', 'r', 'u', '!', `${META}r`, `${META}re`, `${META}red`, 'mu', 'mug', `${META}mug`];
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: tokens.slice(0, 4).map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'Replace', pattern: { String: ' ' }, content: META },
    pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<bos>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<bos>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<bos>': { id: '<bos>', ids: [2], tokens: ['<bos>'] } },
    },
    decoder: { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: META }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }] },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: [[META, 'r'], [`${META}r`, 'e'], [`${META}re`, 'd'], ['m', 'u'], ['mu', 'g'], [META, 'mug']],
    },
  };
  const config = { tokenizer_class: 'GemmaTokenizer', add_bos_token: false, add_eos_token: true, bos_token: '<bos>', eos_token: '<eos>', pad_token: '<pad>', unk_token: '<unk>', model_max_length: 1e30 };
  // config.json's bos/eos are meaningless defaults in real SigLIP packs: they must be ignored.
  return TextEncoder.fromObjects(tokenizer, config, {}, FAMILIES.siglip, { model_type: 'siglip', text_config: { max_position_embeddings: 64, bos_token_id: 49406, eos_token_id: 49407 } });
}

/** GPT-2/CLIP byte -> printable character table. */
function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const table: string[] = new Array(256);
  let n = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCodePoint(bs.includes(b) ? b : 256 + n++);
  return table;
}

/** CLIP layout (openai/clip-vit-base-patch32 tokenizer.json structure) with a tiny merge list. */
function clip(): TextEncoder {
  const chars = bytesToUnicode();
  const merges: Array<[string, string]> = [['h', 'e'], ['he', 'l'], ['hel', 'l'], ['hell', 'o</w>'], ['w', 'o'], ['wo', 'r'], ['wor', 'l'], ['worl', 'd</w>']];
  const tokens = [...chars, ...chars.map((c) => `${c}</w>`), ...merges.map(([a, b]) => a + b), '<|startoftext|>', '<|endoftext|>'];
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const split = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['<|startoftext|>', '<|endoftext|>'].map((content) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: content === '<|startoftext|>', special: true })),
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFC' }, { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' }, { type: 'Lowercase' }] },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: split }, behavior: 'Removed', invert: true },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: { type: 'RobertaProcessing', sep: ['<|endoftext|>', vocab['<|endoftext|>']], cls: ['<|startoftext|>', vocab['<|startoftext|>']], trim_offsets: false, add_prefix_space: false },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: '<|endoftext|>', continuing_subword_prefix: '', end_of_word_suffix: '</w>', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
  const config = { tokenizer_class: 'CLIPTokenizer', bos_token: '<|startoftext|>', eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', unk_token: '<|endoftext|>', model_max_length: 77, do_lower_case: true };
  return TextEncoder.fromObjects(tokenizer, config, {}, FAMILIES.clip, { model_type: 'clip', text_config: { max_position_embeddings: 77, bos_token_id: 0, eos_token_id: 2 } });
}

const ids = (batch: { ids: BigInt64Array }) => Array.from(batch.ids, Number);

describe('SigLIP v1 text (Unigram, </s> pad)', () => {
  const enc = siglipV1();

  it('reads ids from the tokenizer files: EOS and pad are </s> = 1', () => {
    expect(enc.spec).toMatchObject({ maxLength: 64, eosId: 1, padId: 1, bosId: null, padToMax: true, lowercase: true, stripPunctuation: true });
  });

  it('lowercases, drops ASCII punctuation, appends </s> and pads to 64 with 1', () => {
    const batch = enc.encode(['A   Red, MUG!!!']);
    expect(batch.length).toBe(64);
    expect(ids(batch)).toEqual([5, 3, 4, 1, ...Array(60).fill(1)]);
  });

  it('keeps the end-of-sequence token when truncating a long text', () => {
    const row = ids(enc.encode(['red '.repeat(100)]));
    expect(row).toHaveLength(64);
    expect(row.slice(0, 63)).toEqual(Array(63).fill(3));
    expect(row[63]).toBe(1);
  });
});

describe('SigLIP2 text (Gemma BPE, <pad> = 0)', () => {
  const enc = siglip2();

  it('takes pad 0 and eos 1 from the tokenizer files, not config.json, and no BOS', () => {
    expect(enc.spec).toMatchObject({ maxLength: 64, eosId: 1, padId: 0, bosId: null, padToMax: true, lowercase: true, stripPunctuation: false });
  });

  it('lowercases in app code, keeps punctuation, appends <eos>, pads with <pad>', () => {
    expect(ids(enc.encode(['a Red MUG!']))).toEqual([5, 15, 18, 12, 1, ...Array(59).fill(0)]);
  });

  it('truncates content to 63 so <eos> survives', () => {
    const row = ids(enc.encode([' red'.repeat(80)]));
    expect(row.slice(0, 63)).toEqual(Array(63).fill(15));
    expect(row[63]).toBe(1);
  });
});

describe('CLIP text (byte-level BPE, BOS/EOS)', () => {
  const enc = clip();
  const [bos, eos] = [512 + 8, 512 + 9];
  const hello = 512;
  const world = 512 + 3 + 4; // merge results are appended in merge order after the 512 byte tokens

  it('wraps content in <|startoftext|> ... <|endoftext|>, case-insensitively', () => {
    expect(enc.spec).toMatchObject({ bosId: bos, eosId: eos, padId: eos, maxLength: 77, padToMax: false });
    expect(enc.encodeOne('hello world')).toEqual([bos, hello + 3, world, eos]);
    expect(enc.encodeOne('Hello   World')).toEqual([bos, hello + 3, world, eos]);
  });

  it('truncates to 77 keeping BOS first and EOS last', () => {
    const row = enc.encodeOne('hello '.repeat(100));
    expect(row).toHaveLength(77);
    expect(row[0]).toBe(bos);
    expect(row[76]).toBe(eos);
    expect(row.slice(1, 76).every((id) => id === hello + 3)).toBe(true);
  });

  it('pads a batch to its longest text with the EOS id, with a matching attention mask', () => {
    const batch = enc.encode(['hello', 'hello world']);
    expect(batch.length).toBe(4);
    expect(ids(batch)).toEqual([bos, hello + 3, eos, eos, bos, hello + 3, world, eos]);
    expect(Array.from(batch.mask, Number)).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
  });
});

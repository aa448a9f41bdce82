import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeByteLevel, dominantScript, needsLanguageWarning, packLanguages } from '../../src-main/features/mismatch/language.js';

const dirs: string[] = [];
function packDir(vocab: unknown, preTokenizer: unknown = { type: 'Metaspace' }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-lang-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'Unigram', vocab }, pre_tokenizer: preTokenizer }));
  return dir;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('script detection', () => {
  it('takes the script most letters are in; Latin brand names do not outvote Russian words', () => {
    expect(dominantScript('Черная сумка в клетку Nordvik')).toBe('cyrillic');
    expect(dominantScript('Blue ceramic mug, 400 ml')).toBe('latin');
    expect(dominantScript('青い マグカップ')).toBe('cjk');
    expect(dominantScript('12345 !!')).toBeNull();
  });

  it('decodes byte-level BPE pieces back to text', () => {
    expect(decodeByteLevel('ÑģÐ¸Ð½Ð¸Ðµ</w>')).toBe('синие');
    expect(decodeByteLevel('mug</w>')).toBe('mug');
  });
});

describe('pack languages', () => {
  const english = Array.from({ length: 400 }, (_, i) => [`▁word${i}`, -1]);
  const russian = Array.from({ length: 100 }, (_, i) => [`▁слово${'абвгдежзик'[i % 10]}${i}`, -1]);

  it('reads lookalike.languages from config.json first', async () => {
    const support = await packLanguages({ id: 'p', name: 'p', dir: packDir(english), config: { lookalike: { languages: ['en', 'ru'] } } });
    expect(support).toEqual({ multilingual: false, scripts: ['latin', 'cyrillic'], source: 'config' });
  });

  it('takes "multilingual" in the id or name, and a vocabulary over 100k, as multilingual', async () => {
    expect((await packLanguages({ id: 'siglip-base-multilingual', name: 'x', dir: packDir(english), config: {} })).multilingual).toBe(true);
    const big = await packLanguages({ id: 'p', name: 'p', dir: packDir(english), config: { text_config: { vocab_size: 250_000 } } });
    expect(big).toMatchObject({ multilingual: true, source: 'tokenizer' });
  });

  it('counts a script as read when a real share of the vocabulary is in it', async () => {
    const bilingual = await packLanguages({ id: 'p', name: 'p', dir: packDir([...english, ...russian]), config: {} });
    expect(bilingual.scripts.sort()).toEqual(['cyrillic', 'latin']);
    const stray = await packLanguages({ id: 'p', name: 'p', dir: packDir([...english, ['▁да', -1]]), config: {} });
    expect(stray.scripts).toEqual(['latin']);
  });

  it('decodes byte-level vocabularies before counting', async () => {
    const bpe = Object.fromEntries([...Array.from({ length: 50 }, (_, i) => `word${i}</w>`), ...Array.from({ length: 50 }, (_, i) => `ÑģÐ¸Ð½Ð¸Ðµ${i}</w>`)].map((t, i) => [t, i]));
    const support = await packLanguages({ id: 'p', name: 'p', dir: packDir(bpe, { type: 'ByteLevel' }), config: {} });
    expect(support.scripts.sort()).toEqual(['cyrillic', 'latin']);
  });

  it('warns on titles in a script the pack does not read, never for a multilingual pack', () => {
    const en = { multilingual: false, scripts: ['latin' as const], source: 'config' as const };
    expect(needsLanguageWarning(en, 'Синяя кружка')).toBe(true);
    expect(needsLanguageWarning(en, 'Blue mug')).toBe(false);
    expect(needsLanguageWarning({ ...en, multilingual: true, scripts: [] }, 'Синяя кружка')).toBe(false);
  });
});

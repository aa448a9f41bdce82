import fs from 'node:fs/promises';
import path from 'node:path';
import type { OnnxEmbedder } from '../../engine/embedder.js';

/** Writing systems Lookalike tells apart; a text's script stands in for its language. */
export type Script = 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'hebrew' | 'cjk' | 'hangul' | 'thai' | 'devanagari' | 'other';

const SCRIPT_TESTS: Array<[Script, RegExp]> = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['cjk', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['thai', /\p{Script=Thai}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
];

function scriptOf(ch: string): Script {
  for (const [script, re] of SCRIPT_TESTS) if (re.test(ch)) return script;
  return 'other';
}

/**
 * The script most letters of a text are written in (null when it has no letters). Brand names in
 * Latin letters inside a Russian title do not outvote the Cyrillic words.
 */
export function dominantScript(text: string): Script | null {
  const counts = new Map<Script, number>();
  for (const ch of text) {
    if (!/\p{L}/u.test(ch)) continue;
    const s = scriptOf(ch);
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best: Script | null = null;
  let bestCount = 0;
  for (const [s, n] of counts) {
    if (n > bestCount) {
      best = s;
      bestCount = n;
    }
  }
  return best;
}

/** ISO 639-1 codes a pack may declare, by the script their titles are written in. */
const LANGUAGE_SCRIPTS: Record<string, Script> = {
  en: 'latin', de: 'latin', fr: 'latin', es: 'latin', it: 'latin', pt: 'latin', nl: 'latin', pl: 'latin', tr: 'latin', sv: 'latin',
  ru: 'cyrillic', uk: 'cyrillic', be: 'cyrillic', bg: 'cyrillic', sr: 'cyrillic', kk: 'cyrillic',
  el: 'greek', ar: 'arabic', fa: 'arabic', he: 'hebrew', zh: 'cjk', ja: 'cjk', ko: 'hangul', th: 'thai', hi: 'devanagari',
};

export interface LanguageSupport {
  /** True when the pack reads many languages; then no title gets a language warning. */
  multilingual: boolean;
  /** Scripts the pack was trained on (for a multilingual pack: all). */
  scripts: Script[];
  /** How this was decided, for the UI and the docs. */
  source: 'config' | 'name' | 'tokenizer';
}

/** What the language decision needs from a pack (engine's PackInfo has these fields). */
export interface PackLanguageInput {
  id: string;
  name: string;
  dir: string;
  config: Record<string, unknown>;
}

/** Share of the letter-bearing vocabulary a script needs before we count the pack as reading it. */
const MIN_SCRIPT_SHARE = 0.05;
/** Text vocabularies this large are the multilingual ones (mSigLIP, XLM-R: 250k; English CLIP: 49k, SigLIP: 32k). */
const MULTILINGUAL_VOCAB = 100_000;

/**
 * Which languages a pack understands, in order of trust:
 * 1. `config.json` → `lookalike.languages` (ISO codes) or `lookalike.multilingual`;
 * 2. "multilingual"/"xlm"/"i18n" in the pack id or name;
 * 3. the tokenizer: a text vocabulary over 100k entries is multilingual; otherwise a script counts
 *    as read when at least 5% of the vocabulary pieces with letters are in it (a model can only
 *    have learnt words its tokenizer has pieces for; an English vocabulary has a few stray
 *    Cyrillic pieces, a bilingual one a large share). Byte-level BPE pieces are decoded first.
 */
export async function packLanguages(pack: PackLanguageInput): Promise<LanguageSupport> {
  const lookalike = (pack.config.lookalike ?? {}) as Record<string, unknown>;
  if (lookalike.multilingual === true) return { multilingual: true, scripts: [], source: 'config' };
  if (Array.isArray(lookalike.languages) && lookalike.languages.length > 0) {
    const scripts = new Set<Script>();
    for (const code of lookalike.languages) if (typeof code === 'string') scripts.add(LANGUAGE_SCRIPTS[code.toLowerCase().slice(0, 2)] ?? 'other');
    return { multilingual: false, scripts: [...scripts], source: 'config' };
  }
  if (/multilingual|xlm|i18n/i.test(`${pack.id} ${pack.name}`)) return { multilingual: true, scripts: [], source: 'name' };
  const vocab = await tokenizerVocab(pack.dir);
  const textConfig = (pack.config.text_config ?? {}) as Record<string, unknown>;
  const vocabSize = typeof textConfig.vocab_size === 'number' ? textConfig.vocab_size : vocab.length;
  if (vocabSize > MULTILINGUAL_VOCAB) return { multilingual: true, scripts: [], source: 'tokenizer' };
  const counts = new Map<Script, number>();
  let withLetters = 0;
  for (const token of vocab) {
    const s = dominantScript(token);
    if (!s) continue;
    withLetters++;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const scripts = [...counts].filter(([, n]) => n >= MIN_SCRIPT_SHARE * withLetters).map(([s]) => s);
  return { multilingual: false, scripts: scripts.length ? scripts : ['latin'], source: 'tokenizer' };
}

/**
 * GPT-2's byte-to-character table, inverted: byte-level BPE writes each UTF-8 byte as one printable
 * character (printable Latin-1 bytes as themselves, the others as U+0100 onwards).
 */
const BYTE_OF_CHAR: Map<string, number> = (() => {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const map = new Map<string, number>();
  let extra = 0;
  for (let b = 0; b < 256; b++) map.set(String.fromCodePoint(printable(b) ? b : 256 + extra++), b);
  return map;
})();

/** The text a byte-level BPE piece stands for ("Ð¼Ñĥ" -> "му"); cut UTF-8 sequences become U+FFFD. */
export function decodeByteLevel(piece: string): string {
  const bytes: number[] = [];
  for (const ch of piece.replace(/<\/w>$/, '')) {
    const b = BYTE_OF_CHAR.get(ch);
    if (b === undefined) return piece;
    bytes.push(b);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** Vocabulary pieces of a Hugging Face tokenizer.json (WordPiece/BPE map or Unigram list), as text. */
async function tokenizerVocab(dir: string): Promise<string[]> {
  const raw = await fs.readFile(path.join(dir, 'tokenizer.json'), 'utf8').catch(() => null);
  if (!raw) return [];
  try {
    const json = JSON.parse(raw) as { model?: { vocab?: unknown }; pre_tokenizer?: unknown; decoder?: unknown };
    const vocab = json.model?.vocab;
    const pieces = Array.isArray(vocab)
      ? vocab.map((e) => (Array.isArray(e) ? String(e[0]) : String(e)))
      : vocab && typeof vocab === 'object'
        ? Object.keys(vocab)
        : [];
    const byteLevel = JSON.stringify([json.pre_tokenizer, json.decoder]).includes('"ByteLevel"');
    return byteLevel ? pieces.map(decodeByteLevel) : pieces;
  } catch {
    // A corrupt tokenizer fails the pack load with a clear error elsewhere; here it just reads nothing.
  }
  return [];
}

/** True when a title is written in a script the pack was not trained on (it may then score poorly). */
export function needsLanguageWarning(support: LanguageSupport, text: string): boolean {
  if (support.multilingual) return false;
  const script = dominantScript(text);
  return script !== null && !support.scripts.includes(script);
}

const languageCache = new WeakMap<OnnxEmbedder, Promise<LanguageSupport>>();

/** Which scripts a loaded pack reads (decided once per loaded pack). */
export function languagesOf(e: OnnxEmbedder): Promise<LanguageSupport> {
  let cached = languageCache.get(e);
  if (!cached) {
    cached = packLanguages(e.pack);
    languageCache.set(e, cached);
  }
  return cached;
}

"""Tokenizers for the demo packs, in Hugging Face `tokenizer.json` format, plus a pure-Python
encoder for each that reproduces the ids the JSON defines (the `tokenizers` library is not
available here; the algorithms follow tokenizers / @huggingface/tokenizers):

* SigLIP-style: SentencePiece Unigram, Metaspace, `</s>` appended, padded to 64 with `</s>`.
* CLIP-style: byte-level BPE with `</w>` suffix, trained here on the catalog corpus.
"""
import json
import math
import re
import string
import unicodedata
from collections import Counter

# --------------------------------------------------------------------------- SigLIP (Unigram)
SIGLIP_PAD, SIGLIP_EOS, SIGLIP_UNK = "<pad>", "</s>", "<unk>"
SIGLIP_MAX_LEN = 64
META = "\u2581"  # ▁
# Fallback characters so any catalog-like text tokenizes without <unk>.
FALLBACK_CHARS = (string.ascii_lowercase + string.digits + string.punctuation +
                  "абвгдеёжзийклмнопрстуфхцчшщъыьэюя" + "éèêàçñöüäß№«»—–")
_PUNCT_TABLE = str.maketrans("", "", string.punctuation)


def siglip_canonicalize(text):
    """App-side cleanup done before the tokenizer, as in SiglipTokenizer.canonicalize_text:
    drop ASCII punctuation, collapse whitespace, trim. (Lowercasing is in the normalizer.)"""
    return re.sub(r"\s+", " ", text.translate(_PUNCT_TABLE)).strip()


def build_unigram_vocab(corpus):
    """Whole-word pieces (▁word) scored by log-frequency, then single-character fallback pieces.

    Character pieces score far below any word piece, so a known word always becomes one
    piece and Viterbi never meets a tie between two segmentations."""
    counts = Counter()
    for text in corpus:
        for word in siglip_canonicalize(text).lower().split(" "):
            if word:
                counts[META + word] += 1
    total = sum(counts.values())
    vocab = [[SIGLIP_PAD, 0.0], [SIGLIP_EOS, 0.0], [SIGLIP_UNK, 0.0]]
    for piece, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        vocab.append([piece, round(math.log(n / total), 6)])
    floor = min(s for _, s in vocab) - 6.0
    for i, ch in enumerate(META + FALLBACK_CHARS):
        vocab.append([ch, round(floor - 0.001 * i, 6)])
    return vocab


def siglip_tokenizer_json(vocab):
    added = [{"id": i, "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, (tok, _) in enumerate(vocab[:3])]
    metaspace = {"type": "Metaspace", "replacement": META, "prepend_scheme": "always", "split": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Lowercase"},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "},
        ]},
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": SIGLIP_EOS, "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": SIGLIP_EOS, "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": SIGLIP_EOS, "type_id": 0}}],
            "special_tokens": {SIGLIP_EOS: {"id": SIGLIP_EOS, "ids": [1], "tokens": [SIGLIP_EOS]}},
        },
        "decoder": dict(metaspace),
        "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab, "byte_fallback": False},
    }


class UnigramEncoder:
    """Viterbi segmentation identical to tokenizers' Unigram (unknown chars -> <unk>, fused)."""

    def __init__(self, vocab, unk_id=2):
        self.ids = {piece: i for i, (piece, _) in enumerate(vocab)}
        self.scores = [s for _, s in vocab]
        self.unk_id = unk_id
        self.unk_score = min(self.scores) - 10.0
        self.max_len = max(len(p) for p, _ in vocab)

    def _viterbi(self, text):
        n = len(text)
        best = [(-math.inf, None, None)] * (n + 1)  # score, start, token id
        best[0] = (0.0, None, None)
        for end in range(1, n + 1):
            for start in range(max(0, end - self.max_len), end):
                if best[start][0] == -math.inf:
                    continue
                piece = text[start:end]
                tid = self.ids.get(piece)
                if tid is None and end - start == 1:
                    tid, score = self.unk_id, self.unk_score
                elif tid is None:
                    continue
                else:
                    score = self.unk_score if tid == self.unk_id else self.scores[tid]
                total = best[start][0] + score
                if total > best[end][0]:
                    best[end] = (total, start, tid)
        out, pos = [], n
        while pos > 0:
            _, start, tid = best[pos]
            out.append(tid)
            pos = start
        out.reverse()
        fused = []
        for tid in out:
            if not (tid == self.unk_id and fused and fused[-1] == self.unk_id):
                fused.append(tid)
        return fused

    def tokenize(self, text):
        """Normalizer + Metaspace + Unigram, no special tokens."""
        text = re.sub(" {2,}", " ", text.lower()).replace(" ", META)
        if not text.startswith(META):
            text = META + text
        return self._viterbi(text) if text else []

    def encode(self, text, max_length=SIGLIP_MAX_LEN):
        """What the app feeds SigLIP: canonicalize, tokenize, keep room for </s>, pad with </s>."""
        ids = self.tokenize(siglip_canonicalize(text))[: max_length - 1] + [self.ids[SIGLIP_EOS]]
        return ids + [self.ids[SIGLIP_EOS]] * (max_length - len(ids))


# --------------------------------------------------------------------------- CLIP (byte-level BPE)
CLIP_BOS, CLIP_EOS = "<|startoftext|>", "<|endoftext|>"
CLIP_MAX_LEN = 77
EOW = "</w>"
CLIP_SPLIT_REGEX = r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"
_CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")


def bytes_to_unicode():
    """GPT-2 / CLIP byte -> printable unicode character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_ENCODER = bytes_to_unicode()


def _cat(ch):
    c = unicodedata.category(ch)
    return "L" if c[0] == "L" else "N" if c[0] == "N" else "S" if ch.isspace() else "O"


def clip_normalize(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).lower()


def clip_split(text):
    """Equivalent of CLIP_SPLIT_REGEX (Python's `re` has no \\p{L}); returns the matches."""
    out, i, n = [], 0, len(text)
    while i < n:
        for special in (CLIP_BOS, CLIP_EOS) + _CONTRACTIONS:
            if text.startswith(special, i):
                out.append(special)
                i += len(special)
                break
        else:
            kind = _cat(text[i])
            if kind == "S":
                i += 1
                continue
            j = i + 1
            if kind != "N":  # letters+ and other+ are greedy runs; digits are single
                while j < n and _cat(text[j]) == kind:
                    j += 1
            out.append(text[i:j])
            i = j
    return out


def _byte_word(word):
    return [BYTE_ENCODER[b] for b in word.encode("utf-8")]


def train_bpe(corpus, max_merges=3000, min_count=2):
    """Classic BPE training on byte-level words with an end-of-word suffix.
    Deterministic: most frequent pair first, ties broken by the pair's text."""
    word_counts = Counter()
    for text in corpus:
        for w in clip_split(clip_normalize(text)):
            word_counts[w] += 1
    words = {}
    for w, n in word_counts.items():
        symbols = _byte_word(w)
        symbols[-1] += EOW
        words[tuple(symbols)] = words.get(tuple(symbols), 0) + n
    merges = []
    while len(merges) < max_merges:
        pairs = Counter()
        for symbols, n in words.items():
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] += n
        if not pairs:
            break
        pair, count = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if count < min_count:
            break
        merges.append(pair)
        merged = {}
        for symbols, n in words.items():
            out, i = [], 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
                    out.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    return merges


def build_bpe_vocab(merges):
    """CLIP layout: 256 byte chars, the same with </w>, merge results, then BOS and EOS last."""
    chars = list(BYTE_ENCODER.values())
    tokens = chars + [c + EOW for c in chars]
    seen = set(tokens)
    for a, b in merges:
        if a + b not in seen:
            tokens.append(a + b)
            seen.add(a + b)
    tokens += [CLIP_BOS, CLIP_EOS]
    return {t: i for i, t in enumerate(tokens)}


def clip_tokenizer_json(vocab, merges):
    bos, eos = vocab[CLIP_BOS], vocab[CLIP_EOS]
    added = [{"id": vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": t == CLIP_BOS, "special": True} for t in (CLIP_BOS, CLIP_EOS)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"},
            {"type": "Replace", "pattern": {"Regex": r"\s+"}, "content": " "},
            {"type": "Lowercase"},
        ]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": CLIP_SPLIT_REGEX}, "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
        ]},
        "post_processor": {"type": "RobertaProcessing", "sep": [CLIP_EOS, eos], "cls": [CLIP_BOS, bos],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": CLIP_EOS, "continuing_subword_prefix": "",
                  "end_of_word_suffix": EOW, "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [[a, b] for a, b in merges]},
    }


class BPEEncoder:
    """Rank-ordered merging (lowest rank first, leftmost on ties), like tokenizers' BPE."""

    def __init__(self, vocab, merges):
        self.vocab = vocab
        self.ranks = {pair: i for i, pair in enumerate(merges)}
        self.bos, self.eos = vocab[CLIP_BOS], vocab[CLIP_EOS]
        self.cache = {}

    def _bpe(self, word):
        if word in self.cache:
            return self.cache[word]
        symbols = _byte_word(word)
        symbols[-1] += EOW
        while len(symbols) > 1:
            ranked = [(self.ranks.get(p, math.inf), i) for i, p in enumerate(zip(symbols, symbols[1:]))]
            rank, i = min(ranked)
            if rank == math.inf:
                break
            symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
        ids = [self.vocab.get(s, self.eos) for s in symbols]  # unk is <|endoftext|>, as in CLIP
        self.cache[word] = ids
        return ids

    def tokenize(self, text):
        ids = []
        for word in clip_split(clip_normalize(text)):
            ids.extend(self._bpe(word))
        return ids

    def encode(self, text, max_length=CLIP_MAX_LEN):
        """BOS + content (truncated so EOS survives) + EOS; no padding."""
        return [self.bos] + self.tokenize(text)[: max_length - 2] + [self.eos]


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")

"""Train the two demo dual encoders (SigLIP-style sigmoid loss, CLIP-style softmax loss) on
freshly generated catalog images, and evaluate them on a held-out generated split.

Used by build.py; `python3 train.py` alone trains and evaluates without exporting."""
import io
import math
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

import catalog as C
import demo_tokenizers as T
import hf_preprocess as P
from model import IMAGE_SIZE, DualEncoder

TRAIN_SEED, EVAL_SEED, TOKENIZER_SEED = 20240611, 4242, 777
STYLES = ("siglip", "clip")
# Training recipe per model (train_model keywords). The SigLIP-style model needs more steps, a
# faster-moving logit scale/bias (so that its sigmoid becomes a usable probability), greyscale
# views and captions of other categories as negatives; see train_model.
RECIPES = {
    "siglip": {"steps": 2000, "scale_bias_lr": 10.0, "greyscale": 0.06, "hard_negatives": True},
    "clip": {"steps": 800},
}


# --------------------------------------------------------------------------- tokenizers
def tokenizer_corpus(n=6000, seed=TOKENIZER_SEED):
    """Titles and descriptions over random attributes, both languages: the word inventory
    the demo catalog and the training titles use."""
    rng = random.Random(seed)
    corpus = []
    for _ in range(n):
        attrs = C.sample_attrs(rng)
        for lang in ("en", "ru"):
            corpus.append(C.make_title(attrs, lang, rng))
            corpus.append(C.make_description(attrs, lang, rng))
    return corpus


def build_tokenizers():
    corpus = tokenizer_corpus()
    unigram_vocab = T.build_unigram_vocab(corpus)
    merges = T.train_bpe(corpus)
    bpe_vocab = T.build_bpe_vocab(merges)
    return {
        "siglip": {"vocab": unigram_vocab, "encoder": T.UnigramEncoder(unigram_vocab), "size": len(unigram_vocab),
                   "max_len": T.SIGLIP_MAX_LEN, "json": T.siglip_tokenizer_json(unigram_vocab)},
        "clip": {"vocab": bpe_vocab, "merges": merges, "encoder": T.BPEEncoder(bpe_vocab, merges),
                 "size": len(bpe_vocab), "max_len": T.CLIP_MAX_LEN,
                 "json": T.clip_tokenizer_json(bpe_vocab, merges)},
    }


def encode_batch(tok, style, texts):
    """Token id tensor as the app builds it. CLIP rows are padded with <|endoftext|>; the
    causal mask and argmax pooling make that padding irrelevant."""
    rows = [tok["encoder"].encode(t) for t in texts]
    width = max(map(len, rows))
    pad = tok["encoder"].eos if style == "clip" else None
    return torch.tensor([r + [pad] * (width - len(r)) if pad is not None else r for r in rows])


# --------------------------------------------------------------------------- augmentation
def augment(img, rng):
    """Edits a near-duplicate may carry, so embeddings learn to ignore them. Hue is never
    touched: colour is a product attribute."""
    w, h = img.size
    area = rng.uniform(0.7, 1.0)
    aspect = math.exp(rng.uniform(math.log(0.85), math.log(1.18)))
    cw = min(w, int(round(w * math.sqrt(area * aspect))))
    ch = min(h, int(round(h * math.sqrt(area / aspect))))
    x0, y0 = rng.randint(0, w - cw), rng.randint(0, h - ch)
    img = img.crop((x0, y0, x0 + cw, y0 + ch))
    if rng.random() < 0.5:
        img = ImageOps.mirror(img)
    if rng.random() < 0.25:
        img = ImageOps.expand(img, border=rng.randint(3, max(4, img.width // 8)), fill=(255, 255, 255))
    if rng.random() < 0.8:
        img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.8, 1.2))
        img = ImageEnhance.Contrast(img).enhance(rng.uniform(0.8, 1.25))
    if rng.random() < 0.03:
        img = ImageOps.grayscale(img).convert("RGB")
    if rng.random() < 0.2:
        ImageDraw.Draw(img).text((rng.randint(0, img.width // 2), rng.randint(0, img.height - 12)),
                                 rng.choice(["SALE", "-20%", "shop", "NEW"]),
                                 fill=rng.choice([(255, 255, 255), (0, 0, 0)]), font=C._watermark_font())
    if rng.random() < 0.5:
        img = C.jpeg_roundtrip(img, rng.randint(30, 90))
    return img


# --------------------------------------------------------------------------- data
def attribute_key(attrs):
    """Visible identity of a product: category, colour, pattern."""
    return (C.CATEGORY_KEYS.index(attrs["category"]) * 100 + C.COLOUR_KEYS.index(attrs["colour"]) * 10 +
            C.PATTERN_KEYS.index(attrs["pattern"]))


def to_uint8(images, style):
    resize = P.siglip_resize if style == "siglip" else P.clip_resize_crop
    return np.stack([np.asarray(resize(im, IMAGE_SIZE)) for im in images])


def training_set(tokenizers, n_items=5000, views=2, titles=4, render_size=96, seed=TRAIN_SEED):
    """Pre-generates augmented views and several titles (half English, half Russian) per item;
    both models train on exactly this data. Also one English and one Russian hard-negative
    caption per item (same colour, pattern and material, another category; from its own random
    stream, so the shared data does not change) for the models whose recipe uses them."""
    rng = random.Random(seed)
    images, keys, texts, items = [], [], [], []
    for _ in range(n_items):
        attrs = C.sample_attrs(rng)
        items.append(attrs)
        base = C.render_product(attrs, render_size)
        item_texts = [C.make_title(attrs, "en" if t % 2 == 0 else "ru", rng) for t in range(titles)]
        for _ in range(views):
            images.append(augment(base, rng))
            keys.append(attribute_key(attrs))
            texts.append(item_texts)
    hard_rng = random.Random(seed + 1)
    hard_texts, hard_keys = [], []
    for attrs in items:
        for lang in ("en", "ru"):
            other = hard_rng.choice([c for c in C.CATEGORY_KEYS if c != attrs["category"]])
            hard_texts.append(C.make_title(attrs, lang, hard_rng, category=other))
            hard_keys.append(attribute_key(dict(attrs, category=other)))
    data = {"keys": torch.tensor(keys), "views": views, "hard_keys": torch.tensor(hard_keys).reshape(n_items, 2)}
    for style in STYLES:
        data[style + "_pixels"] = torch.from_numpy(to_uint8(images, style))
        flat = [t for row in texts for t in row]
        data[style + "_ids"] = encode_batch(tokenizers[style], style, flat).reshape(len(texts), titles, -1)
        if RECIPES[style].get("hard_negatives"):
            data[style + "_hard_ids"] = encode_batch(tokenizers[style], style, hard_texts).reshape(n_items, 2, -1)
    return data


def normalise_pixels(uint8_nhwc, style):
    mean, std = (P.SIGLIP_MEAN, P.SIGLIP_STD) if style == "siglip" else (P.CLIP_MEAN, P.CLIP_STD)
    x = uint8_nhwc.permute(0, 3, 1, 2).float() * P.RESCALE
    return (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)


# --------------------------------------------------------------------------- training
LUMA = torch.tensor([0.299, 0.587, 0.114])  # PIL's "L" conversion weights


def greyscale_(pixels_nhwc, mask):
    """Turns the masked uint8 views grey in place (like ImageOps.grayscale, after the resize)."""
    if mask.any():
        grey = (pixels_nhwc[mask].float() * LUMA).sum(-1, keepdim=True).round().clamp(0, 255).to(torch.uint8)
        pixels_nhwc[mask] = grey.expand(-1, -1, -1, 3)


def positives_for(image_keys, text_keys, grey):
    """positives[i, j]: text j describes what image i shows. A greyscale view shows no colour, so
    any caption of its category and pattern fits it (colour words are then neither right nor wrong)."""
    pos = image_keys[:, None] == text_keys[None, :]
    same_shape = ((image_keys[:, None] // 100) == (text_keys[None, :] // 100)) & \
                 ((image_keys[:, None] % 10) == (text_keys[None, :] % 10))
    return (pos | (grey[:, None] & same_shape)).float()


def default_device():
    return "cuda" if torch.cuda.is_available() else "cpu"


def train_model(style, data, tokenizer, steps=1000, batch=128, lr=2e-3, seed=0, scale_bias_lr=1.0, greyscale=0.0,
                hard_negatives=False, device=None, log=print):
    """scale_bias_lr multiplies the learning rate of logit_scale/logit_bias (never decayed);
    greyscale is the share of views turned grey on the fly; hard_negatives adds one caption of
    another category (same colour and pattern) per image to the batch's texts."""
    device = device or default_device()
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = DualEncoder(style, tokenizer["size"], tokenizer["max_len"])
    temperature = ("logit_scale", "logit_bias")
    is_decayed = lambda n, p: p.ndim >= 2 and "pos" not in n and "probe" not in n  # noqa: E731
    named = [(n, p) for n, p in model.named_parameters() if n not in temperature]
    groups = [{"params": [p for n, p in named if is_decayed(n, p)], "weight_decay": 0.05},
              {"params": [p for n, p in named if not is_decayed(n, p)], "weight_decay": 0.0},
              {"params": [p for n, p in model.named_parameters() if n in temperature], "weight_decay": 0.0,
               "lr": lr * scale_bias_lr}]
    opt = torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.98))
    model.to(device)
    warmup = max(1, steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / steps))))
    pixels, ids, keys = data[style + "_pixels"], data[style + "_ids"], data["keys"]
    start, running = time.time(), 0.0
    model.train()
    for step in range(1, steps + 1):
        idx = torch.randint(0, len(keys), (batch,), generator=gen)
        which = torch.randint(0, ids.shape[1], (batch,), generator=gen)
        views, text_ids, text_keys = pixels[idx], ids[idx, which], keys[idx]
        grey = torch.zeros(batch, dtype=torch.bool)
        if greyscale > 0:
            grey = torch.rand(batch, generator=gen) < greyscale
            greyscale_(views, grey)
        if hard_negatives:
            pick = torch.randint(0, 2, (batch,), generator=gen)
            item = idx // data["views"]
            text_ids = torch.cat([text_ids, data[style + "_hard_ids"][item, pick]])
            text_keys = torch.cat([text_keys, data["hard_keys"][item, pick]])
        img, txt = model.embed(normalise_pixels(views, style).to(device), text_ids.to(device))
        loss = model.loss(img, txt, positives_for(keys[idx], text_keys, grey).to(device))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        model.clamp_()
        running += loss.item()
        if step % 100 == 0 or step == steps:
            log(f"  [{style}] step {step}/{steps} loss {running / (100 if step % 100 == 0 else step % 100):.4f} "
                f"scale {model.logit_scale.exp().item():.2f} bias {model.logit_bias.item():.2f} "
                f"{time.time() - start:.0f}s")
            running = 0.0
    model.eval()
    return model.cpu(), time.time() - start


# --------------------------------------------------------------------------- embedding helpers
@torch.no_grad()
def embed_images(model, style, images, normalise=True):
    pix = P.siglip_pixel_values if style == "siglip" else P.clip_pixel_values
    x = torch.from_numpy(np.stack([pix(im, IMAGE_SIZE) for im in images]))
    out = torch.cat([model.vision(x[i:i + 256])[1] for i in range(0, len(x), 256)])
    return F.normalize(out, dim=-1) if normalise else out


@torch.no_grad()
def embed_texts(model, style, tokenizer, texts, normalise=True):
    out = torch.cat([model.text(encode_batch(tokenizer, style, texts[i:i + 256]))[1]
                     for i in range(0, len(texts), 256)])
    return F.normalize(out, dim=-1) if normalise else out


# --------------------------------------------------------------------------- evaluation
def eval_set(n=500, size=192, seed=EVAL_SEED):
    """Held-out items rendered like the demo catalog (different seed from training)."""
    rng = random.Random(seed)
    items = []
    for _ in range(n):
        attrs = C.sample_attrs(rng)
        items.append({"attrs": attrs, "image": C.render_product(attrs, size),
                      "title_en": C.make_title(attrs, "en", rng), "title_ru": C.make_title(attrs, "ru", rng),
                      "wrong_title": C.make_title(attrs, rng.choice(["en", "en", "ru"]), rng, category=rng.choice(
                          [c for c in C.CATEGORY_KEYS if c != attrs["category"]]))})
    return items


def recall(text_emb, img_emb, query_attrs, gallery_attrs, k, fields):
    sims = text_emb @ img_emb.t()
    top = sims.topk(k, dim=1).indices
    hits = 0
    for q, row in enumerate(top.tolist()):
        hits += any(all(gallery_attrs[g][f] == query_attrs[q][f] for f in fields) for g in row)
    return hits / len(query_attrs)


def roc_auc(pos, neg):
    """Probability that a random positive outscores a random negative (ties count half)."""
    pos, neg = np.asarray(pos), np.asarray(neg)
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def summary(values):
    v = np.asarray(values, dtype=np.float64)
    return {"n": int(v.size), "mean": round(float(v.mean()), 4), "p5": round(float(np.percentile(v, 5)), 4),
            "p50": round(float(np.percentile(v, 50)), 4), "p95": round(float(np.percentile(v, 95)), 4),
            "min": round(float(v.min()), 4)}


def _decode(img, fmt, params):
    return Image.open(io.BytesIO(C.encode_image(img, fmt, params)))


def duplicate_pairs(items, n=120, seed=99):
    """(kind, image A, image B) pairs: originals vs each edit type, vs hard negatives, vs others."""
    rng = random.Random(seed)
    pairs = []
    subset = items[:n]
    for it in subset:
        orig = it["image"]
        for edit, fn in C.EDITS.items():
            edited, params, fmt = fn(orig, rng)
            decoded = _decode(edited, fmt, params)
            if edit == "exif_rotate":
                pairs.append(("exif_rotate (tag ignored)", orig, decoded.convert("RGB")))
                pairs.append(("exif_rotate (tag applied)", orig, ImageOps.exif_transpose(decoded).convert("RGB")))
            else:
                pairs.append((edit, orig, decoded))
        attrs = it["attrs"]
        recolour = dict(attrs, colour=rng.choice([c for c in C.COLOUR_KEYS if c != attrs["colour"]]))
        pairs.append(("hard negative: same design, other colour", orig, C.render_product(recolour, orig.width)))
        layout = C.sample_layout(rng)
        layout.update(background=attrs["background"], bg_tone=attrs["bg_tone"], variant=attrs["variant"])
        pairs.append(("hard negative: same product redrawn (position/scale)", orig,
                      C.render_product(dict(attrs, **layout), orig.width)))
    for i, it in enumerate(subset):
        other = items[(i * 7 + 13) % len(items)]
        if other is not it:
            pairs.append(("different product (random pair)", it["image"], other["image"]))
    return pairs


def evaluate(model, style, tokenizer, items):
    attrs = [it["attrs"] for it in items]
    img = embed_images(model, style, [it["image"] for it in items])
    report = {"gallery_size": len(items)}
    for lang in ("en", "ru"):
        txt = embed_texts(model, style, tokenizer, [it["title_" + lang] for it in items])
        report[f"recall@5_{lang}"] = recall(txt, img, attrs, attrs, 5, ("category", "colour"))
        report[f"recall@1_{lang}"] = recall(txt, img, attrs, attrs, 1, ("category", "colour"))
        report[f"recall@5_strict_{lang}"] = recall(txt, img, attrs, attrs, 5, ("category", "colour", "pattern"))
    for k in ("recall@5", "recall@1", "recall@5_strict"):
        report[k] = (report[k + "_en"] + report[k + "_ru"]) / 2

    right = embed_texts(model, style, tokenizer, [it["title_en"] if i % 3 else it["title_ru"]
                                                  for i, it in enumerate(items)])
    wrong = embed_texts(model, style, tokenizer, [it["wrong_title"] for it in items])
    cos_right, cos_wrong = (img * right).sum(1), (img * wrong).sum(1)
    scale, bias = model.logit_scale.exp().item(), model.logit_bias.item()
    p_right = torch.sigmoid(scale * cos_right + bias).numpy()
    p_wrong = torch.sigmoid(scale * cos_wrong + bias).numpy()
    report["mismatch"] = {
        "auc_cosine": roc_auc(cos_right.numpy(), cos_wrong.numpy()),
        "cosine_correct": summary(cos_right.numpy()), "cosine_mismatched": summary(cos_wrong.numpy()),
    }
    if style == "siglip":
        report["mismatch"].update({
            "auc_sigmoid": roc_auc(p_right, p_wrong),
            "p_correct": summary(p_right), "p_mismatched": summary(p_wrong),
            "accuracy_at_p0.5": float(((p_right >= 0.5).sum() + (p_wrong < 0.5).sum()) / (2 * len(items))),
        })

    pairs = duplicate_pairs(items)
    a = embed_images(model, style, [p[1] for p in pairs])
    b = embed_images(model, style, [p[2] for p in pairs])
    cos = (a * b).sum(1).numpy()
    by_kind = {}
    for (kind, _, _), c in zip(pairs, cos):
        by_kind.setdefault(kind, []).append(c)
    report["image_image_cosine"] = {kind: summary(v) for kind, v in by_kind.items()}
    report["logit_scale"], report["logit_bias"] = scale, bias
    return report


def print_report(style, r, log=print):
    log(f"== {style}: held-out gallery of {r['gallery_size']} generated images")
    log(f"  text->image Recall@5 (same category+colour): {r['recall@5']:.3f} "
        f"(en {r['recall@5_en']:.3f}, ru {r['recall@5_ru']:.3f}); Recall@1 {r['recall@1']:.3f}; "
        f"Recall@5 category+colour+pattern {r['recall@5_strict']:.3f}")
    m = r["mismatch"]
    if "auc_sigmoid" in m:
        log(f"  title mismatch ROC AUC of sigmoid(scale*cos+bias): {m['auc_sigmoid']:.4f} "
            f"(median p correct {m['p_correct']['p50']:.3f}, mismatched {m['p_mismatched']['p50']:.4f})")
    log(f"  title mismatch ROC AUC of cosine: {m['auc_cosine']:.4f}")
    log("  image-image cosine (mean / p5 / p50 / p95):")
    for kind, s in r["image_image_cosine"].items():
        log(f"    {kind:52s} {s['mean']:.3f} / {s['p5']:.3f} / {s['p50']:.3f} / {s['p95']:.3f}")


def main():
    torch.set_num_threads(2)
    tokenizers = build_tokenizers()
    t0 = time.time()
    data = training_set(tokenizers)
    print(f"training data: {len(data['keys'])} views in {time.time() - t0:.0f}s")
    items = eval_set()
    for style in STYLES:
        model, secs = train_model(style, data, tokenizers[style], **RECIPES[style])
        print(f"{style} trained in {secs:.0f}s")
        print_report(style, evaluate(model, style, tokenizers[style], items))


if __name__ == "__main__":
    main()

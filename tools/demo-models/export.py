"""Export the trained demo models as Hugging Face / Transformers.js style packs and write the
parity fixtures. Called by build.py; `python3 export.py [--work DIR]` re-exports from the
checkpoints of the last build without retraining."""
import argparse
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)

import demo_tokenizers as T  # noqa: E402
import hf_preprocess as P  # noqa: E402
import train  # noqa: E402
from model import IMAGE_SIZE, WIDTH, DualEncoder  # noqa: E402

OPSET = 17
PACKS = {"siglip": "demo-siglip", "clip": "demo-clip"}
NAMES = {"siglip": "Demo SigLIP (tiny, trained on synthetic products)",
         "clip": "Demo CLIP (tiny, trained on synthetic products)"}
# Parity inputs: one image already 64x64 (no resize), non-square crops (resize; CLIP also crops),
# an RGBA PNG, and texts covering Russian, punctuation/case and over-long input.
PARITY_TEXTS = [
    "Red striped ceramic mug",
    "Синяя кожаная сумка в горошек",
    "NEW!!! Blue T-Shirt (size XL), 100% cotton...",
    "Nordvik green checked wool hat",
    " ".join(["Black polka dot leather sneakers, size 42, fast shipping!"] * 12),
]


# --------------------------------------------------------------------------- ONNX graphs
class SiglipVision(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        return self.m.vision(pixel_values)  # last_hidden_state, pooler_output (not normalised)


class SiglipText(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m.text(input_ids)


class SiglipCombined(nn.Module):
    """Like SiglipModel: embeddings normalised inside, logits = exp(scale) * cos + bias."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, pixel_values):
        img = F.normalize(self.m.vision(pixel_values)[1], dim=-1)
        txt = F.normalize(self.m.text(input_ids)[1], dim=-1)
        logits_per_text = txt @ img.t() * self.m.logit_scale.exp() + self.m.logit_bias
        return logits_per_text.t(), logits_per_text, txt, img


class ClipVision(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        return self.m.vision(pixel_values)[1]  # image_embeds (not normalised)


class ClipText(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m.text(input_ids)[1]  # text_embeds (not normalised)


class ClipCombined(nn.Module):
    """Like CLIPModel: takes attention_mask too; logits = exp(scale) * cos, no bias."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, pixel_values):
        img = F.normalize(self.m.vision(pixel_values)[1], dim=-1)
        txt = F.normalize(self.m.text(input_ids, attention_mask)[1], dim=-1)
        logits_per_text = txt @ img.t() * self.m.logit_scale.exp()
        return logits_per_text.t(), logits_per_text, txt, img


def graphs(style, model):
    """(file name, module, example inputs, input names, output names, dynamic axes)."""
    pix = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)
    seq = T.SIGLIP_MAX_LEN if style == "siglip" else 9
    ids = torch.ones(3, seq, dtype=torch.long)
    ids[:, -1] = model.text.embed.num_embeddings - 1
    b, tb, ib, s = "batch_size", "text_batch_size", "image_batch_size", "sequence_length"
    if style == "siglip":
        return [
            ("vision_model.onnx", SiglipVision(model), (pix,), ["pixel_values"], ["last_hidden_state", "pooler_output"],
             {"pixel_values": {0: b}, "last_hidden_state": {0: b}, "pooler_output": {0: b}}),
            ("text_model.onnx", SiglipText(model), (ids,), ["input_ids"], ["last_hidden_state", "pooler_output"],
             {"input_ids": {0: b, 1: s}, "last_hidden_state": {0: b, 1: s}, "pooler_output": {0: b}}),
            ("model.onnx", SiglipCombined(model), (ids, pix), ["input_ids", "pixel_values"],
             ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
             {"input_ids": {0: tb, 1: s}, "pixel_values": {0: ib}, "logits_per_image": {0: ib, 1: tb},
              "logits_per_text": {0: tb, 1: ib}, "text_embeds": {0: tb}, "image_embeds": {0: ib}}),
        ]
    mask = torch.ones_like(ids)
    return [
        ("vision_model.onnx", ClipVision(model), (pix,), ["pixel_values"], ["image_embeds"],
         {"pixel_values": {0: b}, "image_embeds": {0: b}}),
        ("text_model.onnx", ClipText(model), (ids,), ["input_ids"], ["text_embeds"],
         {"input_ids": {0: b, 1: s}, "text_embeds": {0: b}}),
        ("model.onnx", ClipCombined(model), (ids, mask, pix), ["input_ids", "attention_mask", "pixel_values"],
         ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
         {"input_ids": {0: tb, 1: s}, "attention_mask": {0: tb, 1: s}, "pixel_values": {0: ib},
          "logits_per_image": {0: ib, 1: tb}, "logits_per_text": {0: tb, 1: ib}, "text_embeds": {0: tb},
          "image_embeds": {0: ib}}),
    ]


def export_onnx(style, model, onnx_dir):
    os.makedirs(onnx_dir, exist_ok=True)
    for name, module, args, inputs, outputs, axes in graphs(style, model):
        path = os.path.join(onnx_dir, name)
        torch.onnx.export(module.eval(), args, path, input_names=inputs, output_names=outputs,
                          dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True)
        onnx.checker.check_model(onnx.load(path))


# --------------------------------------------------------------------------- pack metadata
def lookalike_block(style, report):
    m = report["metrics"][style]
    return {"name": NAMES[style], "demo": True, "embedding_dim": WIDTH, "image_size": IMAGE_SIZE,
            "trained_on": "synthetic product images from tools/demo-models/catalog.py",
            "rebuild": "python3 tools/demo-models/build.py",
            "heldout_text_to_image_recall_at_5": round(m["recall@5"], 4),
            # log-space, as in the weights (the engine's config fallback exponentiates it)
            "logit_scale": math.log(m["logit_scale"]), "logit_bias": m["logit_bias"]}


def siglip_files(tok, report):
    vocab_size = len(tok["vocab"])
    text_cfg = {"model_type": "siglip_text_model", "hidden_size": WIDTH, "intermediate_size": 2 * WIDTH,
                "num_hidden_layers": 2, "num_attention_heads": 4, "max_position_embeddings": T.SIGLIP_MAX_LEN,
                "vocab_size": vocab_size, "pad_token_id": 1, "eos_token_id": 1, "hidden_act": "gelu"}
    vision_cfg = {"model_type": "siglip_vision_model", "hidden_size": WIDTH, "image_size": IMAGE_SIZE,
                  "num_channels": 3, "backbone": "cnn (4 stride-2 stages) + attention-pooling head"}
    config = {"architectures": ["SiglipModel"], "model_type": "siglip", "text_config": text_cfg,
              "vision_config": vision_cfg, "initializer_factor": 1.0, "torch_dtype": "float32",
              "lookalike": lookalike_block("siglip", report)}
    preprocessor = {"do_normalize": True, "do_rescale": True, "do_resize": True,
                    "image_mean": list(P.SIGLIP_MEAN), "image_std": list(P.SIGLIP_STD),
                    "image_processor_type": "SiglipImageProcessor", "processor_class": "SiglipProcessor",
                    "resample": 3, "rescale_factor": P.RESCALE, "size": {"height": IMAGE_SIZE, "width": IMAGE_SIZE}}
    special = {"eos_token": T.SIGLIP_EOS, "pad_token": T.SIGLIP_EOS, "unk_token": T.SIGLIP_UNK}
    added = {str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False, "single_word": False,
                      "special": True} for i, t in enumerate((T.SIGLIP_PAD, T.SIGLIP_EOS, T.SIGLIP_UNK))}
    tok_config = {"added_tokens_decoder": added, "additional_special_tokens": [], "clean_up_tokenization_spaces": True,
                  "do_lower_case": True, "eos_token": T.SIGLIP_EOS, "model_input_names": ["input_ids"],
                  "model_max_length": T.SIGLIP_MAX_LEN, "pad_token": T.SIGLIP_EOS, "processor_class": "SiglipProcessor",
                  "sp_model_kwargs": {}, "tokenizer_class": "SiglipTokenizer", "unk_token": T.SIGLIP_UNK}
    return {"config.json": config, "preprocessor_config.json": preprocessor, "tokenizer.json": tok["json"],
            "tokenizer_config.json": tok_config, "special_tokens_map.json": special}


def clip_files(tok, report):
    vocab = tok["vocab"]
    bos, eos = vocab[T.CLIP_BOS], vocab[T.CLIP_EOS]
    text_cfg = {"model_type": "clip_text_model", "hidden_size": WIDTH, "intermediate_size": 2 * WIDTH,
                "num_hidden_layers": 2, "num_attention_heads": 4, "max_position_embeddings": T.CLIP_MAX_LEN,
                "vocab_size": len(vocab), "bos_token_id": bos, "eos_token_id": eos, "pad_token_id": eos,
                "projection_dim": WIDTH, "hidden_act": "gelu"}
    vision_cfg = {"model_type": "clip_vision_model", "hidden_size": WIDTH, "image_size": IMAGE_SIZE,
                  "num_channels": 3, "projection_dim": WIDTH,
                  "backbone": "cnn (4 stride-2 stages) + attention-pooling head"}
    config = {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": WIDTH,
              "logit_scale_init_value": 2.6592, "text_config": text_cfg, "vision_config": vision_cfg,
              "initializer_factor": 1.0, "torch_dtype": "float32", "lookalike": lookalike_block("clip", report)}
    preprocessor = {"crop_size": {"height": IMAGE_SIZE, "width": IMAGE_SIZE}, "do_center_crop": True,
                    "do_convert_rgb": True, "do_normalize": True, "do_rescale": True, "do_resize": True,
                    "image_mean": list(P.CLIP_MEAN), "image_std": list(P.CLIP_STD),
                    "image_processor_type": "CLIPImageProcessor", "processor_class": "CLIPProcessor",
                    "resample": 3, "rescale_factor": P.RESCALE, "size": {"shortest_edge": IMAGE_SIZE}}
    special = {"bos_token": {"content": T.CLIP_BOS, "lstrip": False, "normalized": True, "rstrip": False,
                             "single_word": False},
               "eos_token": {"content": T.CLIP_EOS, "lstrip": False, "normalized": False, "rstrip": False,
                             "single_word": False},
               "pad_token": T.CLIP_EOS, "unk_token": T.CLIP_EOS}
    tok_config = {"add_prefix_space": False, "bos_token": T.CLIP_BOS, "clean_up_tokenization_spaces": True,
                  "do_lower_case": True, "eos_token": T.CLIP_EOS, "errors": "replace",
                  "model_max_length": T.CLIP_MAX_LEN, "pad_token": T.CLIP_EOS, "processor_class": "CLIPProcessor",
                  "tokenizer_class": "CLIPTokenizer", "unk_token": T.CLIP_EOS}
    merges_txt = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in tok["merges"])
    return {"config.json": config, "preprocessor_config.json": preprocessor, "tokenizer.json": tok["json"],
            "tokenizer_config.json": tok_config, "special_tokens_map.json": special, "vocab.json": vocab,
            "merges.txt": merges_txt}


# --------------------------------------------------------------------------- parity fixtures
def parity_images():
    """Paths (relative to repo root) of the fixture images, picked from the demo catalog."""
    truth = json.load(open(os.path.join(ROOT, "resources", "demo-catalog", "truth.json"), encoding="utf-8"))
    img_dir = os.path.join("resources", "demo-catalog", "images")
    dups = truth["near_duplicates"]
    exact = next(d for d in dups if d["edit"] == "resize" and d["params"]["size"] == IMAGE_SIZE)
    crops = [d for d in dups if d["edit"] == "crop"]
    wide = next(d for d in crops if d["params"]["box"][2] - d["params"]["box"][0] > d["params"]["box"][3] - d["params"]["box"][1])
    tall = next((d for d in crops if d["params"]["box"][2] - d["params"]["box"][0] < d["params"]["box"][3] - d["params"]["box"][1]), None)
    picks = [("input-size JPEG, no resize", exact["image"]),
             ("catalog original 192x192 JPEG", "l0001.jpg"),
             ("non-square (wider than tall) crop", wide["image"])]
    if tall:
        picks.append(("non-square (taller than wide) crop", tall["image"]))
    picks.append(("RGBA PNG, binary alpha over white pixels", "parity-rgba.png"))
    return [(why, os.path.join(img_dir, name)) for why, name in picks]


def write_rgba_png(path, seed=5):
    """A PNG with a real alpha channel: the product opaque, the background fully transparent.
    Transparent pixels are white, so compositing on white and dropping alpha agree."""
    import catalog as C
    import random
    attrs = C.sample_attrs(random.Random(seed), category="vase")
    attrs["background"] = "white"
    rgb = C.render_product(attrs, 150)
    alpha = Image.fromarray(((np.asarray(rgb).min(axis=2) < 250) * 255).astype(np.uint8))
    rgba = rgb.convert("RGBA")
    rgba.putalpha(alpha)
    pixels = np.asarray(rgba).copy()
    pixels[pixels[..., 3] == 0, :3] = 255
    Image.fromarray(pixels, "RGBA").resize((150, 120), Image.NEAREST).save(path, optimize=True)


def _round(values, nd=7):
    return [round(float(v), nd) for v in values]


@torch.no_grad()
def parity_fixture(style, model, tok, work):
    pix_fn = P.siglip_pixel_values if style == "siglip" else P.clip_pixel_values
    images, full = [], {"images": [], "texts": []}
    for why, rel in parity_images():
        img = Image.open(os.path.join(ROOT, rel))
        pv = pix_fn(img, IMAGE_SIZE)
        emb = model.vision(torch.from_numpy(pv[None]))[1][0]
        images.append({"path": rel, "why": why, "mode": img.mode, "size": list(img.size),
                       "pixel_values_shape": [1, 3, IMAGE_SIZE, IMAGE_SIZE],
                       "pixel_values_channel_mean": _round(pv.reshape(3, -1).mean(1)),
                       "pixel_values_first8": _round(pv.reshape(-1)[:8]),
                       "embedding": _round(emb), "embedding_normalized": _round(F.normalize(emb, dim=0))})
        full["images"].append({"path": rel, "pixel_values": pv.reshape(-1).tolist()})
    texts = []
    for text in PARITY_TEXTS:
        ids = tok["encoder"].encode(text)
        emb = model.text(torch.tensor([ids]))[1][0]
        entry = {"text": text, "input_ids": ids, "embedding_normalized": _round(F.normalize(emb, dim=0))}
        if style == "siglip":
            entry["canonicalized"] = T.siglip_canonicalize(text).lower()
        texts.append(entry)
    fixture = {
        "pack": f"resources/models/{PACKS[style]}",
        "generated_by": "tools/demo-models/export.py (PyTorch fp32)",
        "image_size": IMAGE_SIZE,
        "preprocessing": ("squash to 64x64, PIL bicubic; x/255; (x-0.5)/0.5" if style == "siglip" else
                          "shortest edge to 64 (long side int()-truncated), PIL bicubic; centre crop 64x64 at "
                          "floor((dim-64)/2); x/255; OpenAI CLIP mean/std"),
        "text_rules": ("drop ASCII punctuation, collapse whitespace, trim, lowercase; tokenize; keep at most 63 "
                       "tokens; append </s> (1); pad to 64 with 1" if style == "siglip" else
                       "NFC, collapse whitespace, lowercase; BPE; keep at most 75 tokens; "
                       "<|startoftext|> ... <|endoftext|>; no padding"),
        "logit_scale": model.logit_scale.exp().item(),
        "logit_bias": model.logit_bias.item(),
        "images": images,
        "texts": texts,
    }
    out = os.path.join(ROOT, "test", "fixtures", "parity", f"{PACKS[style]}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    T.write_json(out, fixture)
    T.write_json(os.path.join(work, f"parity-full-{style}.json"), full)


# --------------------------------------------------------------------------- driver
def load_model(style, tok, work):
    model = DualEncoder(style, tok["size"], tok["max_len"])
    model.load_state_dict(torch.load(os.path.join(work, f"{style}.pt")))
    return model.eval()


def export_all(work, tokenizers, report, styles=train.STYLES):
    rgba = os.path.join(ROOT, "resources", "demo-catalog", "images", "parity-rgba.png")
    write_rgba_png(rgba)
    for style in styles:
        tok = tokenizers[style]
        model = load_model(style, tok, work)
        pack = os.path.join(ROOT, "resources", "models", PACKS[style])
        files = (siglip_files if style == "siglip" else clip_files)(tok, report)
        os.makedirs(pack, exist_ok=True)
        for name, content in files.items():
            path = os.path.join(pack, name)
            if isinstance(content, str):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(content)
            else:
                T.write_json(path, content)
        export_onnx(style, model, os.path.join(pack, "onnx"))
        parity_fixture(style, model, tok, work)
        for dirpath, _, names in sorted(os.walk(pack)):
            for name in sorted(names):
                path = os.path.join(dirpath, name)
                print(f"  {os.path.relpath(path, ROOT):60s} {os.path.getsize(path):>10,d} B")


def main():
    ap = argparse.ArgumentParser(description="Re-export the demo packs from the last build's checkpoints.")
    ap.add_argument("--work", default="/tmp/lookalike-demo-build")
    ap.add_argument("--only", choices=train.STYLES, help="re-export one pack (and its fixture) only")
    args = ap.parse_args()
    torch.set_num_threads(2)
    with open(os.path.join(args.work, "metrics.json")) as f:
        report = json.load(f)
    export_all(args.work, train.build_tokenizers(), report, styles=(args.only,) if args.only else train.STYLES)


if __name__ == "__main__":
    main()

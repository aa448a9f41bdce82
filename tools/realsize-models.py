#!/usr/bin/python3
"""Builds RANDOM-weight model packs with the exact tower shapes of SigLIP base-patch16-224 and
CLIP ViT-B/32, exported in the Transformers.js pack layout with the real packs' ONNX input and
output names. They give real-size timings (`lookalike bench --models-dir DIR`) and check the
engine against the real I/O contract without downloading gigabytes. Their embeddings mean nothing.

Usage: /usr/bin/python3 tools/realsize-models.py [OUT_DIR]      (default: a new temp folder)

Each tower is written in fp32 (`<tower>.onnx`) and with dynamic 8-bit weights
(`<tower>_quantized.onnx`, the engine's "quantized" variant), so the bench times both side by side.

Tokenizer files are copied from the bundled demo packs. Their ids are far below the real
vocabularies (32000 / 49408), so the embedding tables keep the real size and the demo ids index
their first rows; CLIP's argmax pooling still lands on <|endoftext|>, the demo's largest id.
No combined onnx/model.onnx is written (it would double the size): the score constants are in
config.json (`lookalike.logit_scale` / `logit_bias`), the engine's documented fallback.
"""
import inspect
import json
import math
import os
import shutil
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEMO = os.path.join(ROOT, "resources", "models")
OPSET = 14


class Layer(nn.Module):
    """Pre-LN transformer encoder layer as in HF SiglipEncoderLayer / CLIPEncoderLayer."""

    def __init__(self, width, heads, mlp, act):
        super().__init__()
        self.heads, self.act = heads, act
        self.ln1 = nn.LayerNorm(width)
        self.q, self.k, self.v, self.o = (nn.Linear(width, width) for _ in range(4))
        self.ln2 = nn.LayerNorm(width)
        self.fc1, self.fc2 = nn.Linear(width, mlp), nn.Linear(mlp, width)

    def forward(self, x, mask=None):
        b, n, w = x.shape
        h = self.ln1(x)
        split = lambda t: t.reshape(b, n, self.heads, w // self.heads).transpose(1, 2)
        scores = split(self.q(h)) @ split(self.k(h)).transpose(-1, -2) / math.sqrt(w // self.heads)
        if mask is not None:
            scores = scores + mask
        x = x + self.o((scores.softmax(-1) @ split(self.v(h))).transpose(1, 2).reshape(b, n, w))
        h = self.fc1(self.ln2(x))
        h = F.gelu(h, approximate="tanh") if self.act == "gelu_tanh" else h * torch.sigmoid(1.702 * h)
        return x + self.fc2(h)


class SiglipVision(nn.Module):
    """ViT-B/16 at 224: 196 patches, 12 layers of width 768, post-LN, MAP head (no projection)."""

    def __init__(self, width=768, layers=12, heads=12, mlp=3072, image=224, patch=16):
        super().__init__()
        self.patch = nn.Conv2d(3, width, patch, patch)
        self.pos = nn.Parameter(torch.randn(1, (image // patch) ** 2, width) * 0.02)
        self.layers = nn.ModuleList(Layer(width, heads, mlp, "gelu_tanh") for _ in range(layers))
        self.post_ln = nn.LayerNorm(width)
        self.probe = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.head_ln = nn.LayerNorm(width)
        self.head_fc1, self.head_fc2 = nn.Linear(width, mlp), nn.Linear(mlp, width)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2) + self.pos
        for layer in self.layers:
            x = layer(x)
        x = self.post_ln(x)
        probe = self.probe.expand(x.shape[0], -1, -1)
        pooled = self.attn(probe, x, x, need_weights=False)[0]
        pooled = pooled + self.head_fc2(F.gelu(self.head_fc1(self.head_ln(pooled)), approximate="tanh"))
        return x, pooled[:, 0]


class SiglipText(nn.Module):
    """12 layers of width 768, 64 positions, no mask, last position pooled, then a linear head."""

    def __init__(self, vocab=32000, width=768, layers=12, heads=12, mlp=3072, positions=64):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.pos = nn.Parameter(torch.randn(1, positions, width) * 0.02)
        self.layers = nn.ModuleList(Layer(width, heads, mlp, "gelu_tanh") for _ in range(layers))
        self.final_ln = nn.LayerNorm(width)
        self.head = nn.Linear(width, width)

    def forward(self, input_ids):
        x = self.embed(input_ids) + self.pos[:, : input_ids.shape[1]]
        for layer in self.layers:
            x = layer(x)
        x = self.final_ln(x)
        return x, self.head(x[:, -1])


class ClipVision(nn.Module):
    """ViT-B/32 at 224: CLS + 49 patches, pre-LN, 12 layers of 768, post-LN on CLS, projection to 512."""

    def __init__(self, width=768, layers=12, heads=12, mlp=3072, image=224, patch=32, proj=512):
        super().__init__()
        self.patch = nn.Conv2d(3, width, patch, patch, bias=False)
        self.cls = nn.Parameter(torch.randn(width) * 0.02)
        self.pos = nn.Parameter(torch.randn(1, (image // patch) ** 2 + 1, width) * 0.02)
        self.pre_ln = nn.LayerNorm(width)
        self.layers = nn.ModuleList(Layer(width, heads, mlp, "quick_gelu") for _ in range(layers))
        self.post_ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, proj, bias=False)

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], 1, -1), x], 1) + self.pos
        x = self.pre_ln(x)
        for layer in self.layers:
            x = layer(x)
        return self.proj(self.post_ln(x[:, 0]))


class ClipText(nn.Module):
    """12 causal layers of width 512 (8 heads), 77 positions, pooled at argmax(input_ids), projection 512."""

    def __init__(self, vocab=49408, width=512, layers=12, heads=8, mlp=2048, positions=77, proj=512):
        super().__init__()
        self.embed = nn.Embedding(vocab, width)
        self.pos = nn.Parameter(torch.randn(1, positions, width) * 0.01)
        self.layers = nn.ModuleList(Layer(width, heads, mlp, "quick_gelu") for _ in range(layers))
        self.final_ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, proj, bias=False)

    def forward(self, input_ids):
        n = input_ids.shape[1]
        x = self.embed(input_ids) + self.pos[:, :n]
        mask = torch.full((n, n), float("-inf")).triu(1)[None, None]
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final_ln(x)
        pooled = x[torch.arange(x.shape[0]), input_ids.argmax(-1)]
        return self.proj(pooled)


def export(module, args, path, inputs, outputs, dynamic):
    module.eval()
    with torch.no_grad():
        # Newer torch defaults to the dynamo exporter; the TorchScript one matches the real packs' exports.
        legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs,
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True, **legacy)
    print(f"  {os.path.relpath(path)}: {os.path.getsize(path) / 1e6:.0f} MB", flush=True)


def copy_tokenizer(demo, out):
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt"):
        src = os.path.join(DEMO, demo, name)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(out, name))


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def build_siglip(out_root):
    out = os.path.join(out_root, "realsize-siglip-base-patch16-224")
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    print("SigLIP base-patch16-224 shapes (random weights):", flush=True)
    export(SiglipVision(), (torch.randn(1, 3, 224, 224),), os.path.join(out, "onnx", "vision_model.onnx"),
           ["pixel_values"], ["last_hidden_state", "pooler_output"],
           {"pixel_values": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}, "pooler_output": {0: "batch_size"}})
    export(SiglipText(), (torch.ones(1, 64, dtype=torch.long),), os.path.join(out, "onnx", "text_model.onnx"),
           ["input_ids"], ["last_hidden_state", "pooler_output"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
            "pooler_output": {0: "batch_size"}})
    write_json(os.path.join(out, "config.json"), {
        "architectures": ["SiglipModel"], "model_type": "siglip",
        "text_config": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12,
                        "max_position_embeddings": 64, "vocab_size": 32000},
        "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12,
                          "image_size": 224, "patch_size": 16},
        "lookalike": {"name": "Real-size SigLIP base (RANDOM weights, timing only)", "demo": True, "timing_only": True,
                      "logit_scale": math.log(117.33), "logit_bias": -12.93},
    })
    write_json(os.path.join(out, "preprocessor_config.json"), {
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5] * 3, "image_std": [0.5] * 3,
        "image_processor_type": "SiglipImageProcessor", "resample": 3, "rescale_factor": 1 / 255,
        "size": {"height": 224, "width": 224}})
    copy_tokenizer("demo-siglip", out)


def build_clip(out_root):
    out = os.path.join(out_root, "realsize-clip-vit-base-patch32")
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    print("CLIP ViT-B/32 shapes (random weights):", flush=True)
    export(ClipVision(), (torch.randn(1, 3, 224, 224),), os.path.join(out, "onnx", "vision_model.onnx"),
           ["pixel_values"], ["image_embeds"], {"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}})
    ids = torch.tensor([[1, 5, 9, 1076]], dtype=torch.long)
    export(ClipText(), (ids,), os.path.join(out, "onnx", "text_model.onnx"),
           ["input_ids"], ["text_embeds"], {"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"}})
    write_json(os.path.join(out, "config.json"), {
        "architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": 512,
        "text_config": {"hidden_size": 512, "intermediate_size": 2048, "num_hidden_layers": 12, "num_attention_heads": 8,
                        "max_position_embeddings": 77, "vocab_size": 49408},
        "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_attention_heads": 12,
                          "image_size": 224, "patch_size": 32},
        "lookalike": {"name": "Real-size CLIP ViT-B/32 (RANDOM weights, timing only)", "demo": True, "timing_only": True,
                      "logit_scale": math.log(100.0)},
    })
    write_json(os.path.join(out, "preprocessor_config.json"), {
        "crop_size": {"height": 224, "width": 224}, "do_center_crop": True, "do_convert_rgb": True, "do_normalize": True,
        "do_rescale": True, "do_resize": True, "image_mean": [0.48145466, 0.4578275, 0.40821073],
        "image_std": [0.26862954, 0.26130258, 0.27577711], "image_processor_type": "CLIPImageProcessor", "resample": 3,
        "rescale_factor": 1 / 255, "size": {"shortest_edge": 224}})
    copy_tokenizer("demo-clip", out)


def quantize(out_root):
    """`_quantized` variants (dynamic 8-bit weights): onnxruntime's quantize_dynamic when the Python
    module is installed, else tools/onnx_int8.py, which writes the same integer-ops graph for MatMul
    and Gather (see its docstring for what it leaves out)."""
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:
        quantize_dynamic = None
        print("int8 (_quantized) variants, with tools/onnx_int8.py (no Python onnxruntime here):", flush=True)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import onnx_int8

    for pack in ("realsize-siglip-base-patch16-224", "realsize-clip-vit-base-patch32"):
        for tower in ("vision_model", "text_model"):
            src = os.path.join(out_root, pack, "onnx", f"{tower}.onnx")
            if quantize_dynamic is None:
                onnx_int8.quantize_file(src, "int8")
                continue
            dst = onnx_int8.quantized_path(src)
            quantize_dynamic(src, dst, weight_type=QuantType.QInt8)
            print(f"  {os.path.relpath(dst)}: {os.path.getsize(dst) / 1e6:.0f} MB (onnxruntime quantize_dynamic)", flush=True)


def main():
    out_root = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="lookalike-realsize-")
    os.makedirs(out_root, exist_ok=True)
    build_siglip(out_root)
    build_clip(out_root)
    quantize(out_root)
    print(f"\nPacks written to {out_root}\nTime them with: LOOKALIKE_REALSIZE_DIR={out_root} node bin/lookalike.js bench", flush=True)


if __name__ == "__main__":
    main()

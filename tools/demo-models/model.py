"""Tiny dual encoders. Both packs use the same towers; they differ only where real SigLIP and
CLIP differ: text masking/pooling, max length, and the loss (sigmoid vs softmax)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGE_SIZE = 64
WIDTH = 128  # text width = vision hidden size = embedding size


class Linear(nn.Linear):
    """nn.Linear computed as a 1x1 convolution while training.

    Debian's torch build links the reference BLAS (matmul ~15x slower) but oneDNN
    convolutions; the ONNX export uses the plain Gemm/MatMul path. Same weights, same maths."""

    def forward(self, x):
        if torch.onnx.is_in_onnx_export():
            return super().forward(x)
        shape = x.shape
        y = F.conv1d(x.reshape(1, -1, shape[-1]).transpose(1, 2), self.weight[:, :, None], self.bias)
        return y.transpose(1, 2).reshape(*shape[:-1], -1)


def matmul_nt(x, y):
    """x @ y^T over leading batch dims ([..., M, K] x [..., N, K] -> [..., M, N]); a grouped
    1x1 convolution while training for the same reason as `Linear`."""
    if torch.onnx.is_in_onnx_export():
        return x @ y.transpose(-1, -2)
    *lead, m, k = x.shape
    n = y.shape[-2]
    g = math.prod(lead)
    out = F.conv1d(x.reshape(g, m, k).transpose(1, 2).reshape(1, g * k, m), y.reshape(g * n, k, 1), groups=g)
    return out.reshape(g, n, m).transpose(1, 2).reshape(*lead, m, n)


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class VisionTower(nn.Module):
    """Small CNN, 64x64 -> 4x4 grid of WIDTH-d tokens, attention-pooled with a learned probe
    (like SigLIP's MAP head) and projected. Returns (tokens [B,16,W], pooled embedding [B,W])."""

    def __init__(self, width=WIDTH):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn(3, 32, 2),                      # 32x32
            conv_bn(32, 48, 2), conv_bn(48, 48, 1),  # 16x16
            conv_bn(48, 96, 2), conv_bn(96, 96, 1),  # 8x8
            conv_bn(96, width, 2), conv_bn(width, width, 1),  # 4x4
        )
        self.pos = nn.Parameter(torch.zeros(1, 16, width))
        self.norm = nn.LayerNorm(width)
        self.probe = nn.Parameter(torch.randn(1, 1, width) * 0.02)
        self.key = Linear(width, width)
        self.value = Linear(width, width)
        self.mlp = nn.Sequential(nn.LayerNorm(width), Linear(width, 2 * width), nn.GELU(), Linear(2 * width, width))
        self.head = Linear(width, width)

    def forward(self, pixel_values):
        x = self.features(pixel_values)
        tokens = self.norm(x.flatten(2).transpose(1, 2) + self.pos)
        attn = torch.softmax(self.key(tokens) @ self.probe.transpose(1, 2) / math.sqrt(tokens.shape[-1]), dim=1)
        pooled = (attn * self.value(tokens)).sum(1)
        pooled = pooled + self.mlp(pooled)
        return tokens, self.head(pooled)


class Block(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = Linear(width, 3 * width)
        self.out = Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(Linear(width, mlp), nn.GELU(), Linear(mlp, width))

    def forward(self, x, bias=None):
        b, n, w = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        scores = matmul_nt(q, k) / math.sqrt(w // self.heads)
        if bias is not None:
            scores = scores + bias
        attended = matmul_nt(torch.softmax(scores, -1), v.transpose(-1, -2))
        x = x + self.out(attended.transpose(1, 2).reshape(b, n, w))
        return x + self.mlp(self.ln2(x))


class TextTower(nn.Module):
    """2-layer pre-LN transformer. style='siglip': no mask, pool the last position (inputs are
    always padded to 64 with </s>). style='clip': causal mask, pool at argmax(input_ids) (the
    first <|endoftext|>, the largest id)."""

    def __init__(self, vocab_size, max_len, style, width=WIDTH, layers=2, heads=4, mlp=2 * WIDTH):
        super().__init__()
        self.style = style
        self.embed = nn.Embedding(vocab_size, width)
        self.pos = nn.Parameter(torch.randn(1, max_len, width) * 0.01)
        self.blocks = nn.ModuleList(Block(width, heads, mlp) for _ in range(layers))
        self.final_ln = nn.LayerNorm(width)
        self.head = Linear(width, width, bias=(style == "siglip"))  # SigLIP head / CLIP text_projection

    def forward(self, input_ids, attention_mask=None):
        n = input_ids.shape[1]
        x = self.embed(input_ids) + self.pos[:, :n]
        bias = None
        if self.style == "clip":
            causal = torch.full((n, n), float("-inf"), device=x.device).triu(1)
            bias = causal[None, None]
            if attention_mask is not None:  # only masks keys after EOS, which causality already hides
                bias = bias + (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -1e9
        for block in self.blocks:
            x = block(x, bias)
        x = self.final_ln(x)
        if self.style == "siglip":
            pooled = x[:, -1, :]
        else:
            idx = input_ids.argmax(-1)
            pooled = x.gather(1, idx[:, None, None].expand(-1, 1, x.shape[-1])).squeeze(1)
        return x, self.head(pooled)


class DualEncoder(nn.Module):
    def __init__(self, style, vocab_size, max_len):
        super().__init__()
        self.style = style
        self.vision = VisionTower()
        self.text = TextTower(vocab_size, max_len, style)
        if style == "siglip":  # paper init: t' = log 10, b = -10
            self.logit_scale = nn.Parameter(torch.tensor(math.log(10.0)))
            self.logit_bias = nn.Parameter(torch.tensor(-10.0))
        else:  # CLIP init: 1/0.07
            self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
            self.register_buffer("logit_bias", torch.tensor(0.0))

    def embed(self, pixel_values, input_ids):
        img = F.normalize(self.vision(pixel_values)[1], dim=-1)
        txt = F.normalize(self.text(input_ids)[1], dim=-1)
        return img, txt

    def loss(self, img, txt, positives):
        """positives[i, j] = image i and text j describe the same visible product (category,
        colour, pattern). Several captions in a batch can fit one image; counting them as
        negatives would punish correct answers, so they are treated as positives."""
        logits = self.logit_scale.exp() * img @ txt.t() + self.logit_bias
        if self.style == "siglip":
            labels = 2.0 * positives - 1.0
            return -F.logsigmoid(labels * logits).sum() / img.shape[0]
        targets_i = positives / positives.sum(1, keepdim=True)
        targets_t = positives.t() / positives.t().sum(1, keepdim=True)
        return 0.5 * (torch.sum(-targets_i * F.log_softmax(logits, 1), 1).mean() +
                      torch.sum(-targets_t * F.log_softmax(logits.t(), 1), 1).mean())

    def clamp_(self):
        with torch.no_grad():
            self.logit_scale.clamp_(max=math.log(100.0))

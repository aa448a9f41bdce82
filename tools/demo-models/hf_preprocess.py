"""Image preprocessing exactly as the Hugging Face image processors do it with PIL.

SigLIP: squash to height x width (bicubic), x/255, (x-0.5)/0.5.
CLIP:   shortest edge -> size keeping aspect (long side int()-truncated), bicubic,
        centre crop with offset floor((dim-crop)/2), x/255, OpenAI mean/std.
Both convert to RGB first; an alpha channel is composited on white (transformers'
convert_to_rgb). The demo catalog's only RGBA image has binary alpha over white pixels,
so simply dropping alpha gives the same numbers.
"""
import numpy as np
from PIL import Image

SIGLIP_MEAN = SIGLIP_STD = (0.5, 0.5, 0.5)
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
RESCALE = 0.00392156862745098  # 1/255 as written in preprocessor_config.json


def to_rgb(img):
    if img.mode == "RGB":
        return img
    rgba = img.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def siglip_resize(img, size):
    return to_rgb(img).resize((size, size), Image.BICUBIC)


def clip_resize_crop(img, size):
    img = to_rgb(img)
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    new_w, new_h = (size, new_long) if w <= h else (new_long, size)
    img = img.resize((new_w, new_h), Image.BICUBIC)
    left, top = (new_w - size) // 2, (new_h - size) // 2
    return img.crop((left, top, left + size, top + size))


def normalize(rgb_img, mean, std):
    """uint8 HWC -> float32 CHW, rescale then normalise (float64 rescale, as transformers)."""
    x = (np.asarray(rgb_img, dtype=np.float64) * RESCALE).astype(np.float32)
    x = (x - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return x.transpose(2, 0, 1).copy()


def siglip_pixel_values(img, size):
    return normalize(siglip_resize(img, size), SIGLIP_MEAN, SIGLIP_STD)


def clip_pixel_values(img, size):
    return normalize(clip_resize_crop(img, size), CLIP_MEAN, CLIP_STD)

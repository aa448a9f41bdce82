#!/usr/bin/python3
"""Writes the CMYK JPEG fixtures and their Pillow references (test/fixtures/cmyk/).

Hugging Face image processors open images with Pillow and call `.convert("RGB")`. For a CMYK JPEG
Pillow always assumes Adobe polarity (inverted ink, `CMYK;I`) and converts without any colour
profile: R = (255 - C)(255 - K) / 255, likewise G and B. That is the reference a profile-less file
is held to. A file with an embedded ICC profile is held to a conversion with that profile
(Pillow's ImageCms / littleCMS, to sRGB, perceptual intent). The images are synthetic.

Usage: /usr/bin/python3 tools/cmyk-fixtures.py    (needs python3-pil, python3-numpy, node + sharp)
"""
import io
import os
import subprocess
import tempfile

import numpy as np
from PIL import Image, ImageCms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test", "fixtures", "cmyk")


def synthetic_photo(w=256, h=192, seed=7):
    """Smooth gradients, saturated discs and a dark band: every ink channel and K get used."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.stack([x / w, y / h, 1 - x / w * 0.7], axis=2) * 200 + 30
    for _ in range(14):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(12, 50)
        colour = rng.uniform(0, 255, 3)
        mask = ((x - cx) ** 2 + (y - cy) ** 2) < r * r
        img[mask] = colour
    img[h // 2 - 8 : h // 2 + 8, :] *= 0.25
    img += rng.normal(0, 4, img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def rgb_to_cmyk_ucr(rgb):
    """Full under-colour removal (K = 1 - max(R, G, B)), so K carries the dark parts."""
    a = np.asarray(rgb).astype(np.float32) / 255
    k = 1 - a.max(axis=2)
    d = np.maximum(1 - k, 1e-6)
    cmy = [(1 - a[..., i] - k) / d for i in range(3)]
    return Image.fromarray(np.round(np.stack([*cmy, k], axis=2) * 255).astype(np.uint8), "CMYK")


def main():
    os.makedirs(OUT, exist_ok=True)
    photo = synthetic_photo()
    # The same photo saved as RGB and as profile-less CMYK by the same tool (Pillow).
    photo.save(os.path.join(OUT, "photo-rgb.jpg"), quality=92)
    rgb_to_cmyk_ucr(photo).save(os.path.join(OUT, "photo-cmyk.jpg"), quality=92)  # Adobe APP14, no ICC
    Image.open(os.path.join(OUT, "photo-cmyk.jpg")).convert("RGB").save(os.path.join(OUT, "photo-cmyk.pil.png"))

    # A CMYK JPEG with an embedded profile: libvips' built-in CMYK profile, written by sharp. The
    # profile is ~1 MB, so the JPEG is not committed: the test writes it again the same way (sharp's
    # output is deterministic) and compares with the littleCMS conversion kept here.
    src = os.path.join(OUT, "photo-rgb.jpg")
    with tempfile.TemporaryDirectory() as tmp:
        icc_jpg = os.path.join(tmp, "photo-cmyk-icc.jpg")
        script = (
            "require('sharp')(process.argv[1]).toColourspace('cmyk').withIccProfile('cmyk')"
            ".jpeg({quality: 92}).toFile(process.argv[2]).catch(e => { console.error(e); process.exit(1); })"
        )
        subprocess.run(["node", "-e", script, src, icc_jpg], check=True, cwd=ROOT)
        im = Image.open(icc_jpg)
        assert im.mode == "CMYK" and im.info.get("icc_profile"), "sharp did not embed a CMYK profile"
        profile = ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"]))
        out = ImageCms.profileToProfile(im, profile, ImageCms.createProfile("sRGB"), renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB")
        out.info.pop("icc_profile", None)
        out.save(os.path.join(OUT, "photo-cmyk-icc.lcms.png"))

if __name__ == "__main__":
    main()

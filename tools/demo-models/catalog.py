"""Deterministic synthetic product catalog for the Lookalike demo.

Library part (reused by train.py and by later benchmarks):
  * `sample_attrs(rng)`            -> product attributes (category, colour, pattern, ...)
  * `render_product(attrs, size)`  -> PIL RGB image of the product
  * `make_title(attrs, lang, rng)` -> realistic English / Russian listing title
  * `EDITS[name](img, rng)`        -> near-duplicate edit (returns image, params, save format)

CLI part (`python3 catalog.py [--out DIR] [--seed N]`) writes the offline demo
catalog: images/, listings.csv and truth.json with planted duplicates, hard
negatives, image/title mismatches and Russian titles.
"""
import argparse
import csv
import io
import json
import os
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

# --------------------------------------------------------------------------- vocabulary
# Russian adjectives agree with the noun: m = masculine, f = feminine, pl = plural.
CATEGORIES = {
    # key: (English noun, Russian noun, gender, [(material EN, material RU stem)], price range)
    "tshirt": ("t-shirt", "футболка", "f", [("cotton", "хлопков"), ("linen", "льнян")], (9, 35)),
    "sneakers": ("sneakers", "кроссовки", "pl", [("leather", "кожан"), ("textile", "текстильн")], (39, 150)),
    "handbag": ("handbag", "сумка", "f", [("leather", "кожан"), ("suede", "замшев")], (29, 220)),
    "mug": ("mug", "кружка", "f", [("ceramic", "керамическ"), ("porcelain", "фарфоров")], (5, 25)),
    "lamp": ("table lamp", "настольная лампа", "f", [("metal", "металлическ"), ("ceramic", "керамическ")], (19, 120)),
    "hat": ("hat", "шляпа", "f", [("wool", "шерстян"), ("straw", "соломенн")], (12, 60)),
    "backpack": ("backpack", "рюкзак", "m", [("nylon", "нейлонов"), ("canvas", "брезентов")], (25, 140)),
    "bottle": ("water bottle", "бутылка для воды", "f", [("glass", "стеклянн"), ("plastic", "пластиков")], (6, 30)),
    "vase": ("vase", "ваза", "f", [("glass", "стеклянн"), ("ceramic", "керамическ")], (15, 90)),
    "chair": ("chair", "стул", "m", [("wooden", "деревянн"), ("plastic", "пластиков")], (35, 260)),
}
CATEGORY_KEYS = list(CATEGORIES)

# key: (RGB, English, Russian stem, stem type). Stem type picks the ending:
# "hard" -> -ый/-ая/-ые, "soft" -> -ий/-яя/-ие, "stressed" -> -ой/-ая/-ые.
COLOURS = {
    "red": ((204, 32, 38), "red", "красн", "hard"),
    "orange": ((240, 128, 24), "orange", "оранжев", "hard"),
    "yellow": ((246, 206, 40), "yellow", "жёлт", "hard"),
    "green": ((46, 150, 62), "green", "зелён", "hard"),
    "turquoise": ((32, 184, 178), "turquoise", "бирюзов", "hard"),
    "blue": ((34, 74, 196), "blue", "син", "soft"),
    "purple": ((126, 52, 170), "purple", "фиолетов", "hard"),
    "pink": ((240, 128, 178), "pink", "розов", "hard"),
    "brown": ((120, 72, 36), "brown", "коричнев", "hard"),
    "black": ((30, 30, 32), "black", "чёрн", "hard"),
    "white": ((246, 246, 244), "white", "бел", "hard"),
    "grey": ((138, 140, 146), "grey", "сер", "hard"),
}
COLOUR_KEYS = list(COLOURS)

ENDINGS = {
    "hard": {"m": "ый", "f": "ая", "pl": "ые"},
    "soft": {"m": "ий", "f": "яя", "pl": "ие"},
}
# Materials: all "hard" except the -ск- stems which take -ий/-ая/-ие.
MATERIAL_ENDINGS = {"m": "ый", "f": "ая", "pl": "ые"}
SK_ENDINGS = {"m": "ий", "f": "ая", "pl": "ие"}

# key: (English adjective, Russian phrase placed after the noun)
PATTERNS = {
    "solid": ("plain", "однотонн"),  # Russian "однотонный" is an adjective, handled apart
    "striped": ("striped", "в полоску"),
    "dotted": ("polka dot", "в горошек"),
    "checked": ("checked", "в клетку"),
}
PATTERN_KEYS = list(PATTERNS)

BRANDS = ["Nordvik", "Lumo", "Urbanika", "Kasper", "Vesta", "Orbit", "Mirra", "Tundra",
          "Aurelia", "Polar", "Zento", "Bravo"]
SELLERS = ["shop_nordic", "best_deals_24", "home_and_co", "urban_style", "mega_market",
           "vintage_corner", "dom_tovary", "style_msk", "sport_zone", "gift_box",
           "eco_living", "trend_shop", "kvartira_plus", "outlet_center", "city_goods",
           "retro_lab", "daily_basics", "prime_store"]
SIZES = {
    "tshirt": (["size S", "size M", "size L", "size XL"], ["размер S", "размер M", "размер L", "размер XL"]),
    "sneakers": ([f"size {n}" for n in range(38, 46)], [f"размер {n}" for n in range(38, 46)]),
    "mug": ([f"{n} ml" for n in (250, 300, 350, 400)], [f"{n} мл" for n in (250, 300, 350, 400)]),
    "bottle": ([f"{n} ml" for n in (500, 750, 1000)], [f"{n} мл" for n in (500, 750, 1000)]),
    "vase": ([f"{n} cm" for n in (20, 25, 30, 40)], [f"{n} см" for n in (20, 25, 30, 40)]),
    "backpack": ([f"{n} l" for n in (15, 20, 25, 30)], [f"{n} л" for n in (15, 20, 25, 30)]),
}
NEW_RU = {"m": "Новый", "f": "Новая", "pl": "Новые"}
BACKGROUNDS = ["white", "light_grey", "gradient", "textured"]


# --------------------------------------------------------------------------- attributes
def sample_attrs(rng, category=None, colour=None):
    """Random visible attributes plus drawing parameters (position, scale, background)."""
    category = category or rng.choice(CATEGORY_KEYS)
    attrs = {
        "category": category,
        "colour": colour or rng.choice(COLOUR_KEYS),
        "pattern": rng.choice(PATTERN_KEYS),
        "material": rng.randrange(len(CATEGORIES[category][3])),
        "brand": rng.choice(BRANDS),
    }
    attrs.update(sample_layout(rng))
    return attrs


def sample_layout(rng):
    """Drawing parameters that change the picture but not the product."""
    return {
        "background": rng.choice(BACKGROUNDS),
        "bg_tone": rng.randint(0, 2**16),
        "scale": round(rng.uniform(0.6, 0.92), 3),
        "dx": round(rng.uniform(-0.12, 0.12), 3),
        "dy": round(rng.uniform(-0.1, 0.1), 3),
        "variant": rng.randint(0, 2**16),  # small shape/pattern variations
    }


# --------------------------------------------------------------------------- titles
def _ru_adj(stem, gender, kind="hard"):
    if stem.endswith("ск"):
        return stem + SK_ENDINGS[gender]
    return stem + ENDINGS[kind][gender]


def _cap(text):
    return text[:1].upper() + text[1:]


def title_parts(attrs, lang, rng, category=None):
    """Core phrase of a title: colour, pattern, material and noun in the right order/agreement."""
    cat = CATEGORIES[category or attrs["category"]]
    en_noun, ru_noun, gender, materials, _ = cat
    material = materials[attrs["material"] % len(materials)]
    _, col_en, col_ru, col_kind = COLOURS[attrs["colour"]]
    pat_en, pat_ru = PATTERNS[attrs["pattern"]]
    with_material = rng.random() < 0.7
    if lang == "en":
        words = [col_en]
        if attrs["pattern"] != "solid" or rng.random() < 0.3:
            words.append(pat_en)
        if with_material:
            words.append(material[0])
        words.append(en_noun)
        return " ".join(words)
    colour_word = _ru_adj(col_ru, gender, col_kind)
    if rng.random() < 0.3:  # many people type е instead of ё
        colour_word = colour_word.replace("ё", "е")
    words = [colour_word]
    if attrs["pattern"] == "solid" and rng.random() < 0.3:
        words.append(_ru_adj(pat_ru, gender))
    if with_material:
        words.append(_ru_adj(material[1], gender))
    words.append(ru_noun)
    if attrs["pattern"] != "solid":
        words.append(pat_ru)
    return " ".join(words)


def make_title(attrs, lang, rng, category=None):
    """Full listing title with brand / 'new' / size filler, e.g. 'Nordvik Red striped ceramic mug, 350 ml'."""
    cat_key = category or attrs["category"]
    gender = CATEGORIES[cat_key][2]
    core = title_parts(attrs, lang, rng, category=cat_key)
    prefix = []
    if rng.random() < 0.25:
        prefix.append("New" if lang == "en" else NEW_RU[gender])
    title = " ".join(prefix + [core])
    if rng.random() < 0.6:
        title = f"{attrs['brand']} {title}" if lang == "en" and rng.random() < 0.5 else f"{title} {attrs['brand']}"
    sizes = SIZES.get(cat_key)
    if sizes and rng.random() < 0.5:
        title += ", " + rng.choice(sizes[0 if lang == "en" else 1])
    return _cap(title)


def make_description(attrs, lang, rng, category=None):
    cat_key = category or attrs["category"]
    core = title_parts(attrs, lang, rng, category=cat_key)
    if lang == "en":
        extra = rng.choice(["Fast shipping.", "Brand new, never used.", "Great gift idea.", "In stock."])
        return f"{_cap(core)} by {attrs['brand']}. {extra}"
    extra = rng.choice(["Быстрая доставка.", "Новый товар, не использовался.", "Отличный подарок.", "В наличии."])
    return f"{_cap(core)}, бренд {attrs['brand']}. {extra}"


# --------------------------------------------------------------------------- rendering
def _shade(rgb, f):
    """Darken (f < 1) or lighten (f > 1, towards white) a colour."""
    if f <= 1:
        return tuple(int(c * f) for c in rgb)
    return tuple(int(c + (255 - c) * (f - 1)) for c in rgb)


def _pattern_colour(rgb):
    # light colours get a darker pattern, dark colours a white one
    return _shade(rgb, 0.55) if sum(rgb) > 420 else (245, 245, 245)


def _background(attrs, size):
    rng = random.Random(attrs["bg_tone"])
    kind = attrs["background"]
    if kind == "white":
        return Image.new("RGB", (size, size), (255, 255, 255))
    if kind == "light_grey":
        v = rng.randint(222, 238)
        return Image.new("RGB", (size, size), (v, v, v + 2))
    if kind == "gradient":
        top = tuple(rng.randint(200, 250) for _ in range(3))
        bottom = tuple(rng.randint(200, 250) for _ in range(3))
        grad = Image.linear_gradient("L").resize((size, size))
        return Image.composite(Image.new("RGB", (size, size), bottom), Image.new("RGB", (size, size), top), grad)
    # textured: fine noise over a light tone, slightly blurred (fabric / paper look)
    base = rng.randint(205, 235)
    noise = Image.effect_noise((size, size), 18).point(lambda p: max(0, min(255, base - 128 + p)))
    noise = noise.filter(ImageFilter.GaussianBlur(0.8))
    return Image.merge("RGB", (noise, noise, noise.point(lambda p: min(255, p + 6))))


def _pattern_layer(attrs, rgb, size):
    """Full-canvas fill of the product colour with its pattern."""
    layer = Image.new("RGB", (size, size), rgb)
    draw = ImageDraw.Draw(layer)
    pc = _pattern_colour(rgb)
    rng = random.Random(attrs["variant"])
    step = max(6, int(size * rng.uniform(0.07, 0.1)))
    pattern = attrs["pattern"]
    if pattern == "striped":
        width = max(2, step // 2)
        if rng.random() < 0.5:
            for y in range(0, size, step):
                draw.rectangle([0, y, size, y + width - 1], fill=pc)
        else:  # diagonal stripes
            for x in range(-size, size, step):
                draw.line([(x, size), (x + size, 0)], fill=pc, width=width)
    elif pattern == "dotted":
        r = max(2, step // 4)
        for yi, y in enumerate(range(0, size + step, step)):
            off = step // 2 if yi % 2 else 0
            for x in range(off, size + step, step):
                draw.ellipse([x - r, y - r, x + r, y + r], fill=pc)
    elif pattern == "checked":
        for yi, y in enumerate(range(0, size, step)):
            for xi, x in enumerate(range(0, size, step)):
                if (xi + yi) % 2 == 0:
                    draw.rectangle([x, y, x + step - 1, y + step - 1], fill=pc)
    return layer


def _poly(pts, box):
    """Map unit-square points into the product's bounding box."""
    x0, y0, w, h = box
    return [(x0 + px * w, y0 + py * h) for px, py in pts]


def _rect(x0, y0, x1, y1, box):
    bx, by, w, h = box
    return [bx + x0 * w, by + y0 * h, bx + x1 * w, by + y1 * h]


# Each shape draws the product silhouette into `body` (the coloured, patterned part)
# and neutral details (soles, legs, caps...) into `detail` with its own colour.
def _shape_tshirt(body, detail, box):
    body.polygon(_poly([(0.3, 0.05), (0.42, 0.1), (0.5, 0.14), (0.58, 0.1), (0.7, 0.05), (1.0, 0.25),
                        (0.88, 0.42), (0.78, 0.36), (0.78, 0.98), (0.22, 0.98), (0.22, 0.36),
                        (0.12, 0.42), (0.0, 0.25)], box), fill=255)
    detail.append(("arc", _rect(0.4, -0.02, 0.6, 0.16, box), (0, 180)))


def _shape_sneakers(body, detail, box):
    body.polygon(_poly([(0.02, 0.45), (0.25, 0.42), (0.45, 0.25), (0.62, 0.22), (0.7, 0.35),
                        (0.95, 0.55), (0.98, 0.75), (0.02, 0.75)], box), fill=255)
    detail.append(("rect", _rect(0.0, 0.72, 1.0, 0.86, box)))
    for i in range(3):
        x = 0.42 + i * 0.07
        detail.append(("line", _poly([(x, 0.32 + i * 0.03), (x + 0.08, 0.42 + i * 0.03)], box)))


def _shape_handbag(body, detail, box):
    body.polygon(_poly([(0.12, 0.38), (0.88, 0.38), (1.0, 0.98), (0.0, 0.98)], box), fill=255)
    detail.append(("arc", _rect(0.25, 0.0, 0.75, 0.75, box), (180, 360)))
    detail.append(("rect", _rect(0.44, 0.5, 0.56, 0.58, box)))


def _shape_mug(body, detail, box):
    body.rounded_rectangle(_rect(0.05, 0.1, 0.72, 0.98, box), radius=max(2, int(box[2] * 0.06)), fill=255)
    x0, y0, x1, y1 = _rect(0.6, 0.28, 1.0, 0.78, box)
    width = max(3, int(box[2] * 0.09))
    body.ellipse([x0, y0, x1, y1], outline=255, width=width)


def _shape_lamp(body, detail, box):
    body.polygon(_poly([(0.3, 0.02), (0.7, 0.02), (0.92, 0.45), (0.08, 0.45)], box), fill=255)
    detail.append(("rect", _rect(0.47, 0.45, 0.53, 0.9, box)))
    detail.append(("ellipse", _rect(0.25, 0.86, 0.75, 0.98, box)))


def _shape_hat(body, detail, box):
    body.ellipse(_rect(0.0, 0.55, 1.0, 0.85, box), fill=255)
    body.rounded_rectangle(_rect(0.25, 0.2, 0.75, 0.72, box), radius=max(2, int(box[2] * 0.12)), fill=255)
    detail.append(("rect", _rect(0.25, 0.56, 0.75, 0.64, box)))


def _shape_backpack(body, detail, box):
    body.rounded_rectangle(_rect(0.15, 0.12, 0.85, 0.98, box), radius=max(3, int(box[2] * 0.18)), fill=255)
    detail.append(("arc", _rect(0.38, 0.0, 0.62, 0.24, box), (180, 360)))
    detail.append(("outline", _rect(0.28, 0.58, 0.72, 0.9, box)))
    detail.append(("line", _poly([(0.3, 0.58), (0.7, 0.58)], box)))


def _shape_bottle(body, detail, box):
    body.rounded_rectangle(_rect(0.3, 0.3, 0.7, 0.98, box), radius=max(2, int(box[2] * 0.08)), fill=255)
    body.polygon(_poly([(0.42, 0.12), (0.58, 0.12), (0.7, 0.34), (0.3, 0.34)], box), fill=255)
    detail.append(("rect", _rect(0.4, 0.02, 0.6, 0.13, box)))


def _shape_vase(body, detail, box):
    body.ellipse(_rect(0.12, 0.35, 0.88, 0.98, box), fill=255)
    body.polygon(_poly([(0.36, 0.05), (0.64, 0.05), (0.6, 0.45), (0.4, 0.45)], box), fill=255)
    body.ellipse(_rect(0.3, 0.0, 0.7, 0.1, box), fill=255)


def _shape_chair(body, detail, box):
    body.rectangle(_rect(0.2, 0.0, 0.8, 0.5, box), fill=255)  # backrest
    body.polygon(_poly([(0.15, 0.52), (0.85, 0.52), (0.95, 0.64), (0.05, 0.64)], box), fill=255)  # seat
    for x in (0.1, 0.82):
        detail.append(("rect", _rect(x, 0.64, x + 0.08, 1.0, box)))


SHAPES = {
    "tshirt": _shape_tshirt, "sneakers": _shape_sneakers, "handbag": _shape_handbag, "mug": _shape_mug,
    "lamp": _shape_lamp, "hat": _shape_hat, "backpack": _shape_backpack, "bottle": _shape_bottle,
    "vase": _shape_vase, "chair": _shape_chair,
}
DETAIL_COLOURS = {"sneakers": (240, 240, 240), "lamp": (90, 90, 96), "chair": (110, 80, 50),
                  "bottle": (60, 60, 64)}


def render_product(attrs, size=192, supersample=2):
    """Render one product photo (RGB, size x size) from attributes; deterministic."""
    big = size * supersample
    canvas = _background(attrs, big)
    rgb = COLOURS[attrs["colour"]][0]
    side = attrs["scale"] * big
    cx = big / 2 + attrs["dx"] * big
    cy = big / 2 + attrs["dy"] * big
    box = (cx - side / 2, cy - side / 2, side, side)

    mask = Image.new("L", (big, big), 0)
    details = []
    SHAPES[attrs["category"]](ImageDraw.Draw(mask), details, box)

    # soft drop shadow under the product
    shadow = mask.filter(ImageFilter.GaussianBlur(big * 0.02)).point(lambda p: p * 0.35)
    shadow = shadow.transform(shadow.size, Image.AFFINE, (1, 0, -big * 0.015, 0, 1, -big * 0.02))
    canvas.paste((90, 90, 90), mask=shadow)

    canvas.paste(_pattern_layer(attrs, rgb, big), mask=mask)
    # outline keeps white products visible on white backgrounds
    edge = mask.filter(ImageFilter.FIND_EDGES).point(lambda p: 255 if p > 40 else 0)
    canvas.paste(_shade(rgb, 0.6) if sum(rgb) < 700 else (150, 150, 150), mask=edge)

    draw = ImageDraw.Draw(canvas)
    dcol = DETAIL_COLOURS.get(attrs["category"], _shade(rgb, 0.5) if sum(rgb) > 200 else (200, 200, 200))
    lw = max(2, int(side * 0.035))
    for kind, geom, *rest in details:
        if kind == "rect":
            draw.rectangle(geom, fill=dcol, outline=(70, 70, 70))
        elif kind == "ellipse":
            draw.ellipse(geom, fill=dcol)
        elif kind == "outline":
            draw.rounded_rectangle(geom, radius=lw * 2, outline=dcol, width=lw)
        elif kind == "line":
            draw.line(geom, fill=dcol, width=lw)
        elif kind == "arc":
            draw.arc(geom, rest[0][0], rest[0][1], fill=dcol, width=lw)
    return canvas.resize((size, size), Image.LANCZOS)


# --------------------------------------------------------------------------- near-duplicate edits
# Every edit: (img, rng) -> (edited image, params dict, save format). The format says how the
# copy must be written ("JPEG", "PNG", "WEBP"); EXIF rotation also returns exif bytes in params.
def _watermark_font():
    return ImageFont.load_default()  # bundled bitmap font: deterministic everywhere


def edit_resize(img, rng):
    side = rng.choice([64, 96, 128, 160, 256])
    return img.resize((side, side), Image.BICUBIC), {"size": side}, "JPEG"


def edit_recompress(img, rng):
    q = rng.choice([35, 45, 55])
    return img, {"quality": q}, "JPEG"


def edit_png(img, rng):
    return img, {}, "PNG"


def edit_webp(img, rng):
    return img, {"quality": 80}, "WEBP"


def edit_crop(img, rng):
    w, h = img.size
    frac = rng.uniform(0.08, 0.2)  # total area-side removed, split unevenly between sides
    cut_w = int(w * frac) if rng.random() < 0.7 else 0
    cut_h = int(h * frac) if cut_w == 0 or rng.random() < 0.4 else 0
    left = rng.randint(0, cut_w)
    top = rng.randint(0, cut_h)
    box = (left, top, w - (cut_w - left), h - (cut_h - top))
    return img.crop(box), {"box": list(box)}, "JPEG"


def edit_pad(img, rng):
    border = rng.randint(8, 28)
    colour = rng.choice([(255, 255, 255), (250, 250, 250)])
    return ImageOps.expand(img, border=border, fill=colour), {"border": border}, "JPEG"


def edit_watermark(img, rng):
    out = img.copy()
    draw = ImageDraw.Draw(out)
    text = rng.choice(["SALE", "(c) shop", "HIT!", "SKIDKA", "www.shop.ru", "-30%"])
    x, y = rng.randint(4, img.width // 2), rng.randint(4, img.height - 16)
    draw.text((x + 1, y + 1), text, fill=(0, 0, 0), font=_watermark_font())
    draw.text((x, y), text, fill=(255, 255, 255), font=_watermark_font())
    return out, {"text": text, "xy": [x, y]}, "JPEG"


def edit_brightness_contrast(img, rng):
    b = round(rng.choice([rng.uniform(0.75, 0.9), rng.uniform(1.1, 1.25)]), 3)
    c = round(rng.uniform(0.8, 1.25), 3)
    out = ImageEnhance.Contrast(ImageEnhance.Brightness(img).enhance(b)).enhance(c)
    return out, {"brightness": b, "contrast": c}, "JPEG"


def edit_greyscale(img, rng):
    return ImageOps.grayscale(img).convert("RGB"), {}, "JPEG"


# EXIF orientation -> rotation that must be applied to the stored pixels so that a viewer
# honouring the tag (e.g. ImageOps.exif_transpose) shows the original upright picture.
EXIF_ROTATIONS = {6: Image.ROTATE_90, 8: Image.ROTATE_270, 3: Image.ROTATE_180}


def edit_exif_rotate(img, rng):
    orientation = rng.choice(list(EXIF_ROTATIONS))
    stored = img.transpose(EXIF_ROTATIONS[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    return stored, {"orientation": orientation, "exif": exif.tobytes()}, "JPEG"


def edit_mirror(img, rng):
    return ImageOps.mirror(img), {}, "JPEG"


EDITS = {
    "resize": edit_resize, "recompress": edit_recompress, "png": edit_png, "webp": edit_webp,
    "crop": edit_crop, "pad": edit_pad, "watermark": edit_watermark,
    "brightness_contrast": edit_brightness_contrast, "greyscale": edit_greyscale,
    "exif_rotate": edit_exif_rotate, "mirror": edit_mirror,
}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def encode_image(img, fmt, params=None, quality=85):
    """Encode like the catalog writer does; returns bytes."""
    params = params or {}
    buf = io.BytesIO()
    if fmt == "JPEG":
        kwargs = {"quality": params.get("quality", quality)}
        if "exif" in params:
            kwargs["exif"] = params["exif"]
        img.convert("RGB").save(buf, "JPEG", **kwargs)
    elif fmt == "WEBP":
        img.save(buf, "WEBP", quality=params.get("quality", 80), method=4)
    else:
        img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def jpeg_roundtrip(img, quality):
    return Image.open(io.BytesIO(encode_image(img, "JPEG", quality=quality))).convert("RGB")


# --------------------------------------------------------------------------- catalog writer
class CatalogBuilder:
    """Accumulates listings, writes their images and ground truth."""

    def __init__(self, out_dir, rng, image_size):
        self.out_dir = out_dir
        self.rng = rng
        self.size = image_size
        self.listings = []
        self.attrs = {}
        os.makedirs(os.path.join(out_dir, "images"), exist_ok=True)

    def add(self, attrs, img, fmt="JPEG", params=None, seller=None, lang=None, title_category=None):
        rng = self.rng
        idx = len(self.listings) + 1
        lid = f"L{idx:04d}"
        lang = lang or ("ru" if rng.random() < 0.15 else "en")
        name = f"{lid.lower()}{EXTENSIONS[fmt]}"
        with open(os.path.join(self.out_dir, "images", name), "wb") as f:
            f.write(encode_image(img, fmt, params))
        lo, hi = CATEGORIES[attrs["category"]][4]
        listing = {
            "id": lid,
            "sku": f"{attrs['category'][:3].upper()}-{rng.randint(10000, 99999)}",
            "title": make_title(attrs, lang, rng, category=title_category),
            "description": make_description(attrs, lang, rng, category=title_category),
            "category": title_category or attrs["category"],  # sellers categorise by their own title
            "price": f"{rng.uniform(lo, hi):.2f}",
            "seller": seller or rng.choice(SELLERS),
            "image": name,
        }
        self.listings.append(listing)
        self.attrs[lid] = {k: attrs[k] for k in ("category", "colour", "pattern", "material", "brand",
                                                  "background", "scale", "dx", "dy")}
        self.attrs[lid]["language"] = lang
        return listing


def build_catalog(out_dir, seed=1234, n_originals=440, image_size=192, copies_per_edit=6,
                  n_recolour=20, n_redraw=20, mismatch_rate=0.08):
    rng = random.Random(seed)
    cat = CatalogBuilder(out_dir, rng, image_size)
    originals = []
    for _ in range(n_originals):
        attrs = sample_attrs(rng)
        cat.add(attrs, render_product(attrs, image_size))
        originals.append((cat.listings[-1], attrs))

    truth_dups, truth_hard = [], []
    # near-duplicates: each edit type applied to distinct originals, re-uploaded by another seller
    pool = rng.sample(originals, copies_per_edit * len(EDITS))
    made_64 = False
    for i, (orig, attrs) in enumerate(pool):
        edit = list(EDITS)[i // copies_per_edit]
        base = render_product(attrs, image_size)
        if edit == "resize" and not made_64:  # guarantee one copy already at model input size
            img, params, fmt = base.resize((64, 64), Image.BICUBIC), {"size": 64}, "JPEG"
            made_64 = True
        else:
            img, params, fmt = EDITS[edit](base, rng)
        seller = rng.choice([s for s in SELLERS if s != orig["seller"]])
        copy = cat.add(attrs, img, fmt, params, seller=seller)
        recorded = {k: v for k, v in params.items() if k != "exif"}
        truth_dups.append({"id": copy["id"], "original": orig["id"], "edit": edit, "params": recorded,
                           "image": copy["image"]})

    # hard negatives: same design in another colour / same product redrawn elsewhere
    for kind, count in (("recolour", n_recolour), ("redraw", n_redraw)):
        for orig, attrs in rng.sample(originals, count):
            new = dict(attrs)
            if kind == "recolour":
                new["colour"] = rng.choice([c for c in COLOUR_KEYS if c != attrs["colour"]])
            else:
                layout = sample_layout(rng)
                layout.update({"background": attrs["background"], "bg_tone": attrs["bg_tone"],
                               "variant": attrs["variant"]})
                new.update(layout)
            listing = cat.add(new, render_product(new, image_size))
            truth_hard.append({"id": listing["id"], "of": orig["id"], "kind": kind})

    # mismatches: the listing's title (and category field) describe another category
    n_mismatch = round(mismatch_rate * len(cat.listings))
    used = {d["id"] for d in truth_dups} | {d["original"] for d in truth_dups} | \
           {h["id"] for h in truth_hard} | {h["of"] for h in truth_hard}
    candidates = [(o, a) for o, a in originals if o["id"] not in used]
    mismatches = []
    for orig, attrs in rng.sample(candidates, n_mismatch):
        wrong = rng.choice([c for c in CATEGORY_KEYS if c != attrs["category"]])
        lang = cat.attrs[orig["id"]]["language"]
        orig["title"] = make_title(attrs, lang, rng, category=wrong)
        orig["description"] = make_description(attrs, lang, rng, category=wrong)
        orig["category"] = wrong
        cat.attrs[orig["id"]]["title_category"] = wrong
        mismatches.append({"id": orig["id"], "image_category": attrs["category"], "title_category": wrong})

    write_outputs(cat, out_dir, seed, image_size, truth_dups, truth_hard, mismatches)
    return cat


def write_outputs(cat, out_dir, seed, image_size, dups, hard, mismatches):
    fields = ["id", "sku", "title", "description", "category", "price", "seller", "image"]
    with open(os.path.join(out_dir, "listings.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(cat.listings)
    groups = {}
    for d in dups:
        groups.setdefault(d["original"], []).append(d["id"])
    truth = {
        "generator": "tools/demo-models/catalog.py",
        "seed": seed,
        "image_size": image_size,
        "counts": {"listings": len(cat.listings), "near_duplicates": len(dups), "hard_negatives": len(hard),
                   "mismatched": len(mismatches),
                   "russian_titles": sum(a["language"] == "ru" for a in cat.attrs.values())},
        "near_duplicates": dups,
        "duplicate_groups": [{"original": o, "copies": c} for o, c in groups.items()],
        "hard_negatives": hard,
        "mismatched": [m["id"] for m in mismatches],
        "mismatch_details": mismatches,
        "russian_titles": [lid for lid, a in cat.attrs.items() if a["language"] == "ru"],
        "attributes": cat.attrs,
    }
    with open(os.path.join(out_dir, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(here, "..", "..", "resources", "demo-catalog"))
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    cat = build_catalog(os.path.normpath(args.out), seed=args.seed)
    print(f"wrote {len(cat.listings)} listings to {os.path.normpath(args.out)}")


if __name__ == "__main__":
    main()

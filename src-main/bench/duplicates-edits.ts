import sharp, { type Sharp } from 'sharp';

/**
 * The edits a copy of a photo goes through on a marketplace (resize, recompress, crop, watermark,
 * ...), applied with sharp: the duplicates-quality corpus and the duplicate tests make their
 * copies with them.
 */
export const EDITS = ['resize', 'recompress', 'png', 'webp', 'crop', 'crop_offset', 'pad', 'watermark', 'brightness_contrast', 'greyscale', 'exif_rotate', 'mirror'] as const;
export type Edit = (typeof EDITS)[number];

/** A tiny deterministic PRNG (mulberry32) so the corpus is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The edits of the issue, with the parameter ranges of tools/demo-models/catalog.py, scaled to the image. */
export async function applyEdit(input: Buffer, edit: Edit, rand: () => number): Promise<{ bytes: Buffer; ext: string }> {
  const img = sharp(input).rotate();
  const { width = 0, height = 0 } = await sharp(input).rotate().metadata().then((m) => m.autoOrient ?? m);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const jpeg = async (s: Sharp, quality = 85) => ({ bytes: await s.jpeg({ quality }).toBuffer(), ext: '.jpg' });
  switch (edit) {
    case 'resize': {
      const side = pick([64, 96, 128, 160, 256]);
      return jpeg(img.resize(side, side, { fit: 'inside' }));
    }
    case 'recompress':
      return jpeg(img, pick([35, 45, 55]));
    case 'png':
      return { bytes: await img.png().toBuffer(), ext: '.png' };
    case 'webp':
      return { bytes: await img.webp({ quality: 80 }).toBuffer(), ext: '.webp' };
    case 'crop': {
      const frac = 0.08 + rand() * 0.12;
      const cutW = rand() < 0.7 ? Math.floor(width * frac) : 0;
      const cutH = cutW === 0 || rand() < 0.4 ? Math.floor(height * frac) : 0;
      const left = Math.floor(rand() * (cutW + 1));
      const top = Math.floor(rand() * (cutH + 1));
      return jpeg(img.extract({ left, top, width: width - cutW, height: height - cutH }));
    }
    case 'crop_offset': {
      // About 80 % of each axis kept, the window anywhere inside (the held-out set's weakest edit).
      const kw = 0.78 + rand() * 0.06;
      const kh = 0.78 + rand() * 0.06;
      const w = Math.round(width * kw);
      const h = Math.round(height * kh);
      return jpeg(img.extract({ left: Math.floor(rand() * (width - w + 1)), top: Math.floor(rand() * (height - h + 1)), width: w, height: h }));
    }
    case 'pad': {
      const border = Math.round(Math.max(width, height) * (0.04 + rand() * 0.1));
      const v = pick([255, 250]);
      return jpeg(img.extend({ top: border, bottom: border, left: border, right: border, background: { r: v, g: v, b: v } }));
    }
    case 'watermark': {
      const text = pick(['SALE', '(c) shop', 'HIT!', 'SKIDKA', 'www.shop.ru', '-30%']);
      const size = Math.max(10, Math.round(height * 0.08));
      const x = Math.round(4 + rand() * width * 0.45);
      const y = Math.round(size + rand() * (height - 2 * size));
      const svg = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><text x="${x}" y="${y}" font-family="sans-serif" font-weight="bold" font-size="${size}" fill="white" fill-opacity="0.85" stroke="black" stroke-width="1">${text.replace(/&/g, '&amp;')}</text></svg>`;
      return jpeg(img.composite([{ input: Buffer.from(svg), left: 0, top: 0 }]));
    }
    case 'brightness_contrast': {
      const b = rand() < 0.5 ? 0.75 + rand() * 0.15 : 1.1 + rand() * 0.15;
      const c = 0.8 + rand() * 0.45;
      // Contrast around mid-grey after a brightness scale, like PIL's ImageEnhance.
      return jpeg(img.linear(b, 0).linear(c, 128 * (1 - c)));
    }
    case 'greyscale':
      return jpeg(img.greyscale());
    case 'exif_rotate': {
      // Pixels stored turned, with the EXIF tag that turns them back upright in a viewer.
      const [orientation, turn] = pick([[6, 270], [8, 90], [3, 180]] as const);
      return jpeg(img.rotate(turn).withMetadata({ orientation }));
    }
    case 'mirror':
      return jpeg(img.flop());
  }
}

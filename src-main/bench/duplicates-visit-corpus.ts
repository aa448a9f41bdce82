/**
 * The catalog of the first-visit benchmark (duplicates-visit.ts): `n` product photos as a
 * merchandiser's folder holds them, written to a folder with a listings file. Originals are the
 * demo catalog's photos, then product and table-top renders (duplicates-renders.ts); about 30 %
 * of the files are a marketplace edit of an earlier original (duplicates-edits.ts) and 2 % the
 * same file again under another name, so the Duplicates page has real groups to show.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { resourcesDir } from '../shared/paths.js';
import { EDITS, applyEdit, rng } from './duplicates-edits.js';
import { productSvg, randomProduct, randomScene, sceneSvg } from './duplicates-renders.js';

/** Longest side of a rendered original: about a marketplace thumbnail, cheap to decode. */
const RENDER_SIDE = 320;
const COPY_SHARE = 0.3;
const SAME_FILE_SHARE = 0.02;
/** Files written at once (sharp encodes on its own threads). */
const BATCH = 8;

export interface VisitCorpus {
  dir: string;
  listings: string;
  images: number;
  originals: number;
  edited: number;
  sameFile: number;
}

/** Writes the corpus into `dir` (images/ and listings.csv: one listing per file, 40 sellers). */
export async function buildVisitCorpus(dir: string, n: number, seed = 11, signal?: AbortSignal): Promise<VisitCorpus> {
  const rand = rng(seed);
  const images = path.join(dir, 'images');
  fs.mkdirSync(images, { recursive: true });
  const demoDir = path.join(resourcesDir, 'demo-catalog', 'images');
  const demo = fs.existsSync(demoDir) ? fs.readdirSync(demoDir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort() : [];
  const originals: Buffer[] = [];
  const rows: string[] = ['id,title,category,price,seller,image'];
  const counts = { originals: 0, edited: 0, sameFile: 0 };
  const original = async (): Promise<Buffer> => {
    const k = originals.length;
    if (k < demo.length) return fs.readFileSync(path.join(demoDir, demo[k]!));
    const svg = rand() < 0.7 ? productSvg(randomProduct(rand), 0) : sceneSvg(randomScene(rand), 0, 0);
    return sharp(Buffer.from(svg)).resize(RENDER_SIDE, RENDER_SIDE, { fit: 'inside' }).jpeg({ quality: 88 }).toBuffer();
  };
  for (let start = 0; start < n; start += BATCH) {
    signal?.throwIfAborted();
    // Decide every file of the batch first (the PRNG order fixes the corpus), then encode them together.
    const plans: Array<() => Promise<{ bytes: Buffer; ext: string }>> = [];
    for (let i = start; i < Math.min(n, start + BATCH); i++) {
      const r = rand();
      if (originals.length > 0 && r < SAME_FILE_SHARE) {
        const bytes = originals[Math.floor(rand() * originals.length)]!;
        counts.sameFile++;
        plans.push(async () => ({ bytes, ext: '.jpg' }));
      } else if (originals.length > 0 && r < SAME_FILE_SHARE + COPY_SHARE) {
        const base = originals[Math.floor(rand() * originals.length)]!;
        const edit = EDITS[Math.floor(rand() * EDITS.length)]!;
        const editRand = rng(Math.floor(rand() * 2 ** 31));
        counts.edited++;
        plans.push(() => applyEdit(base, edit, editRand));
      } else {
        const bytes = await original();
        originals.push(bytes);
        counts.originals++;
        plans.push(async () => ({ bytes, ext: '.jpg' }));
      }
    }
    const out = await Promise.all(plans.map((p) => p()));
    out.forEach(({ bytes, ext }, k) => {
      const id = start + k + 1;
      const file = `photo-${String(id).padStart(6, '0')}${ext}`;
      fs.writeFileSync(path.join(images, file), bytes);
      rows.push(`P${id},Product photo ${id},item,${(5 + (id % 90)).toFixed(2)},seller_${id % 40},${file}`);
    });
  }
  const listings = path.join(dir, 'listings.csv');
  fs.writeFileSync(listings, `${rows.join('\n')}\n`);
  return { dir: images, listings, images: n, ...counts };
}

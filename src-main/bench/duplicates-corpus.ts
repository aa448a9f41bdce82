/**
 * The duplicates-quality corpus: demo catalog originals with their planted copies, real photos
 * from Debian's wallpaper packages and product/scene renders, each with every edit and with hard
 * negatives (pairs that must not share a near group), written to a folder with its truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { oklab } from '../engine/image-hash.js';
import { resourcesDir } from '../shared/paths.js';
import { EDITS, type Edit, applyEdit, rng } from './duplicates-edits.js';
import { productSvg, randomProduct, randomScene, recolourRegions, sceneSvg, H, W } from './duplicates-renders.js';

/** Kinds of hard negative (pairs that must not share a near group). */
export const HARD_KINDS = ['demo', 'framed_elsewhere', 'light_dark', 'recolour_hue', 'recolour_region', 'second_shot'] as const;
export type HardKind = (typeof HARD_KINDS)[number];

export interface CorpusImage {
  file: string;
  source: 'synthetic' | 'real' | 'render';
  /** Photo identity: images with the same photo id are the same photo. */
  photo: string;
  edit: Edit | null;
}

const DEMO = path.join(resourcesDir, 'demo-catalog');

function readCsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
  const cols = header!.split(',');
  // The demo listings quote free text but never the id or image columns, which are all we need.
  return lines.map((l) => {
    const cells = l.split(',');
    return { id: cells[0]!, image: cells[cells.length - 1]!, [cols[0]!]: cells[0]! };
  });
}

interface TruthFile {
  near_duplicates: Array<{ id: string; original: string; edit: Edit }>;
  hard_negatives: Array<{ id: string; of: string; kind: string }>;
}

export interface CorpusOptions {
  /** Demo originals used as distractors / originals (all 440 when omitted). */
  syntheticOriginals?: number;
  /** Demo originals that get every sharp edit on top of the planted copies. */
  syntheticEdited?: number;
  /** Real photographs (0: none); each gets every edit. */
  realPhotos?: number;
  /** Longest side of the real photos after downscaling. */
  realSide?: number;
  /** Product-like renders (every edit, a region-recoloured copy and a second shot each) and two-viewpoint scenes. */
  renderProducts?: number;
  renderScenes?: number;
  seed?: number;
}

/** Writes the corpus into `dir` and returns what each file is. */
export async function buildCorpus(dir: string, options: CorpusOptions = {}): Promise<{ images: CorpusImage[]; hardNegatives: HardNegative[]; notes: string[] }> {
  const rand = rng(options.seed ?? 7);
  const images: CorpusImage[] = [];
  const hardNegatives: HardNegative[] = [];
  const notes: string[] = [];
  fs.mkdirSync(dir, { recursive: true });

  // Synthetic: demo catalog originals, planted copies and hard negatives, kept byte for byte.
  const truth = JSON.parse(fs.readFileSync(path.join(DEMO, 'truth.json'), 'utf8')) as TruthFile;
  const fileOf = new Map(readCsv(path.join(DEMO, 'listings.csv')).map((r) => [r.id!, r.image!]));
  const planted = new Map(truth.near_duplicates.map((d) => [d.id, d]));
  const hard = new Map(truth.hard_negatives.map((h) => [h.id, h]));
  const originals = [...fileOf.keys()].filter((id) => !planted.has(id) && !hard.has(id));
  const keepOriginals = new Set(originals.slice(0, options.syntheticOriginals ?? originals.length));
  for (const d of truth.near_duplicates) keepOriginals.add(d.original);
  for (const h of truth.hard_negatives) keepOriginals.add(h.of);
  const copy = (id: string, as: string) => fs.copyFileSync(path.join(DEMO, 'images', fileOf.get(id)!), path.join(dir, as));
  for (const id of keepOriginals) {
    const file = `syn-${fileOf.get(id)}`;
    copy(id, file);
    images.push({ file, source: 'synthetic', photo: `syn:${id}`, edit: null });
  }
  for (const d of truth.near_duplicates) {
    const file = `syn-${fileOf.get(d.id)}`;
    copy(d.id, file);
    images.push({ file, source: 'synthetic', photo: `syn:${d.original}`, edit: d.edit });
  }
  for (const h of truth.hard_negatives) {
    const file = `syn-${fileOf.get(h.id)}`;
    copy(h.id, file);
    images.push({ file, source: 'synthetic', photo: `syn:${h.id}`, edit: null });
    hardNegatives.push([file, `syn-${fileOf.get(h.of)}`, 'demo']);
  }
  const used = new Set([...truth.near_duplicates.map((d) => d.original), ...truth.hard_negatives.map((h) => h.of)]);
  const extra = [...keepOriginals].filter((id) => !used.has(id)).slice(0, options.syntheticEdited ?? 24);
  for (const id of extra) {
    const bytes = fs.readFileSync(path.join(DEMO, 'images', fileOf.get(id)!));
    for (const edit of EDITS) {
      const out = await applyEdit(bytes, edit, rand);
      const file = `syn-${id.toLowerCase()}-${edit}${out.ext}`;
      fs.writeFileSync(path.join(dir, file), out.bytes);
      images.push({ file, source: 'synthetic', photo: `syn:${id}`, edit });
    }
    const hue = await hueRotated(bytes, rand);
    if (hue) {
      const file = `syn-${id.toLowerCase()}-hue.jpg`;
      fs.writeFileSync(path.join(dir, file), hue);
      images.push({ file, source: 'synthetic', photo: `syn:${id}:hue`, edit: null });
      hardNegatives.push([file, `syn-${fileOf.get(id)}`, 'recolour_hue']);
    }
  }

  // Real photographs.
  const photos = realPhotoFiles().slice(0, options.realPhotos ?? 40);
  if ((options.realPhotos ?? 40) > 0 && photos.length === 0) notes.push('no wallpaper packages installed: real-photo source skipped (apt-get install plasma-workspace-wallpapers gnome-backgrounds)');
  const side = options.realSide ?? 640;
  for (const p of photos) {
    const name = `real-${p.name}`;
    const base = await sharp(p.file).rotate().resize(side, side, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
    fs.writeFileSync(path.join(dir, `${name}.jpg`), base);
    images.push({ file: `${name}.jpg`, source: 'real', photo: `real:${p.name}`, edit: null });
    for (const edit of EDITS) {
      const out = await applyEdit(base, edit, rand);
      const file = `${name}-${edit}${out.ext}`;
      fs.writeFileSync(path.join(dir, file), out.bytes);
      images.push({ file, source: 'real', photo: `real:${p.name}`, edit });
    }
    // Hard negative: the same scene framed elsewhere (left and right 55% of the photo).
    const { width = 0, height = 0 } = await sharp(base).metadata();
    const w = Math.round(width * 0.55);
    for (const [tag, left] of [['left', 0], ['right', width - w]] as const) {
      const file = `${name}-view-${tag}.jpg`;
      fs.writeFileSync(path.join(dir, file), await sharp(base).extract({ left, top: 0, width: w, height }).jpeg({ quality: 90 }).toBuffer());
      images.push({ file, source: 'real', photo: `real:${p.name}:${tag}`, edit: null });
    }
    hardNegatives.push([`${name}-view-left.jpg`, `${name}-view-right.jpg`, 'framed_elsewhere']);
    // Hard negative: the same photo in another colour (hue rotated by 60-180 degrees either way).
    const hue = await hueRotated(base, rand);
    if (hue) {
      fs.writeFileSync(path.join(dir, `${name}-hue.jpg`), hue);
      images.push({ file: `${name}-hue.jpg`, source: 'real', photo: `real:${p.name}:hue`, edit: null });
      hardNegatives.push([`${name}-hue.jpg`, `${name}.jpg`, 'recolour_hue']);
    }
    if (p.twin) {
      const file = `${name}-twin.jpg`;
      fs.writeFileSync(path.join(dir, file), await sharp(p.twin).rotate().resize(side, side, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer());
      images.push({ file, source: 'real', photo: `real:${p.name}:twin`, edit: null });
      hardNegatives.push([file, `${name}.jpg`, 'light_dark']);
    }
  }

  // Renders: product-like objects (every edit, and a copy with some regions recoloured) and
  // scenes shot twice from nearby viewpoints.
  const products = options.renderProducts ?? 12;
  for (let k = 0; k < products; k++) {
    const product = randomProduct(rand);
    const base = await sharp(Buffer.from(productSvg(product, 0))).jpeg({ quality: 92 }).toBuffer();
    const name = `render-product-${String(k).padStart(2, '0')}`;
    fs.writeFileSync(path.join(dir, `${name}.jpg`), base);
    images.push({ file: `${name}.jpg`, source: 'render', photo: `render:${k}`, edit: null });
    for (const edit of EDITS) {
      const out = await applyEdit(base, edit, rand);
      const file = `${name}-${edit}${out.ext}`;
      fs.writeFileSync(path.join(dir, file), out.bytes);
      images.push({ file, source: 'render', photo: `render:${k}`, edit });
    }
    const recoloured = recolourRegions(product, rand);
    fs.writeFileSync(path.join(dir, `${name}-recoloured.jpg`), await sharp(Buffer.from(productSvg(recoloured, 0))).jpeg({ quality: 92 }).toBuffer());
    images.push({ file: `${name}-recoloured.jpg`, source: 'render', photo: `render:${k}:recoloured`, edit: null });
    hardNegatives.push([`${name}-recoloured.jpg`, `${name}.jpg`, 'recolour_region']);
    // The same product a moment later: turned a little (parts at different depths shift apart), moved on the table.
    const yaw = (rand() < 0.5 ? -1 : 1) * (0.25 + rand() * 0.2);
    const moved = { ...product, cx: product.cx + (rand() - 0.5) * 0.08 * W, cy: product.cy + (rand() - 0.5) * 0.06 * H, size: product.size * (0.95 + rand() * 0.1) };
    fs.writeFileSync(path.join(dir, `${name}-shot2.jpg`), await sharp(Buffer.from(productSvg(moved, yaw))).jpeg({ quality: 92 }).toBuffer());
    images.push({ file: `${name}-shot2.jpg`, source: 'render', photo: `render:${k}:shot2`, edit: null });
    hardNegatives.push([`${name}-shot2.jpg`, `${name}.jpg`, 'second_shot']);
  }
  const scenes = options.renderScenes ?? 16;
  for (let k = 0; k < scenes; k++) {
    const scene = randomScene(rand);
    const name = `render-scene-${String(k).padStart(2, '0')}`;
    const move = (rand() < 0.5 ? -1 : 1) * (0.25 + rand() * 0.25);
    for (const [tag, camera] of [['a', 0], ['b', move]] as const) {
      fs.writeFileSync(path.join(dir, `${name}-${tag}.jpg`), await sharp(Buffer.from(sceneSvg(scene, camera, tag === 'b' ? 0.04 * rand() : 0))).jpeg({ quality: 90 }).toBuffer());
      images.push({ file: `${name}-${tag}.jpg`, source: 'render', photo: `scene:${k}:${tag}`, edit: null });
    }
    hardNegatives.push([`${name}-a.jpg`, `${name}-b.jpg`, 'second_shot']);
  }
  return { images, hardNegatives, notes };
}

export type HardNegative = [string, string, HardKind];

/**
 * The photo with its hue rotated by 60-180 degrees, either way (a colour variant of the same
 * picture); null when the photo has too little colour for that to make another colour (a grey or
 * nearly grey picture turned by any hue is still the same picture).
 */
async function hueRotated(bytes: Buffer, rand: () => number): Promise<Buffer | null> {
  const hue = Math.round((rand() < 0.5 ? -1 : 1) * (60 + rand() * 120));
  const { data } = await sharp(bytes).rotate().resize(64, 64, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const lab = [0, 0, 0];
  let coloured = 0;
  for (let i = 0; i < data.length; i += 3) {
    oklab(data[i] as number, data[i + 1] as number, data[i + 2] as number, lab);
    if (Math.hypot(lab[1] as number, lab[2] as number) > 0.04) coloured++;
  }
  if (coloured < 0.2 * (data.length / 3)) return null;
  return sharp(bytes).rotate().modulate({ hue: (hue + 360) % 360 }).jpeg({ quality: 90 }).toBuffer();
}

/** One raster per wallpaper (the 16:9 or largest size), plus the other colour variant of gnome's -l/-d pairs. */
export function realPhotoFiles(): Array<{ name: string; file: string; twin?: string }> {
  const out: Array<{ name: string; file: string; twin?: string }> = [];
  const plasma = '/usr/share/wallpapers';
  for (const name of safeList(plasma).sort()) {
    const dir = path.join(plasma, name, 'contents', 'images');
    const files = safeList(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f));
    const pick = files.find((f) => f.startsWith('1920x1080')) ?? files.sort().at(-1);
    if (pick) out.push({ name: name.toLowerCase(), file: path.join(dir, pick) });
  }
  const gnome = '/usr/share/backgrounds/gnome';
  for (const f of safeList(gnome).sort()) {
    const m = /^(.*)-l\.(jpe?g|png|webp)$/i.exec(f);
    if (!m) continue;
    const dark = safeList(gnome).find((g) => g.startsWith(`${m[1]}-d.`));
    out.push({ name: `gnome-${m[1]}`, file: path.join(gnome, f), ...(dark ? { twin: path.join(gnome, dark) } : {}) });
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

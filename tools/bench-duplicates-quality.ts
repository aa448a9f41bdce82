/**
 * Near-duplicate quality benchmark: pairwise precision and recall of the near tier, per edit
 * type and per source, with the shipped demo models.
 *
 *   node --import tsx tools/bench-duplicates-quality.ts [--model demo-siglip] [--quick] [--seed N] [--out FILE]
 *
 * Corpus (written to a temp folder, imported with `lookalike index`, grouped with the real code):
 *  - synthetic: the demo catalog (resources/demo-catalog) with its planted copies (edits made by
 *    tools/demo-models/catalog.py) and hard negatives (same design in another colour, same
 *    product redrawn), plus the edits below applied with sharp to more of its originals;
 *  - real: free photographs from Debian wallpaper packages (plasma-workspace-wallpapers,
 *    gnome-backgrounds), downscaled, each with every edit below; hard negatives are two far-apart
 *    crops of the same photo and the light/dark variants of a design. Skipped when not installed.
 * Pairs: (original, edited copy) must share a group (recall); every pair sharing a group must be
 * the same photo (precision). Mirrored copies count only with --mirror on, and are left out of
 * both figures with it off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { runCli } from '../src-main/cli/run.js';
import { Services } from '../src-main/services.js';
import type { FindOutput } from '../src-main/api/schemas/duplicates.js';
import { type NearRule, DEFAULT_NEAR } from '../src-main/features/duplicates/tiers.js';
import { oklab } from '../src-main/features/duplicates/image-hash.js';

export const EDITS = ['resize', 'recompress', 'png', 'webp', 'crop', 'crop_offset', 'pad', 'watermark', 'brightness_contrast', 'greyscale', 'exif_rotate', 'mirror'] as const;

/** Kinds of hard negative (pairs that must not share a near group). */
export const HARD_KINDS = ['demo', 'framed_elsewhere', 'light_dark', 'recolour_hue', 'recolour_region', 'second_shot'] as const;
export type HardKind = (typeof HARD_KINDS)[number];
export type Edit = (typeof EDITS)[number];

export interface CorpusImage {
  file: string;
  source: 'synthetic' | 'real' | 'render';
  /** Photo identity: images with the same photo id are the same photo. */
  photo: string;
  edit: Edit | null;
}

const DEMO = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'resources', 'demo-catalog');

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

interface ProductPart {
  /** Polygon points around (0, 0), in units of the product's size. */
  points: Array<[number, number]>;
  hue: number;
  sat: number;
  light: number;
  /** Depth in front of the product's axis (units of size): parts shift apart when it turns. */
  depth: number;
}

interface Product {
  parts: ProductPart[];
  background: string;
  cx: number;
  cy: number;
  size: number;
  label: string;
}

const W = 480;
const H = 480;

function blob(rand: () => number, cx: number, cy: number, rx: number, ry: number, n = 9): Array<[number, number]> {
  return Array.from({ length: n }, (_, i) => {
    const a = (i / n) * 2 * Math.PI;
    const r = 0.8 + rand() * 0.35;
    return [cx + Math.cos(a) * rx * r, cy + Math.sin(a) * ry * r] as [number, number];
  });
}

/** A product-like object: a body, a base, a handle or strap and an accent, each its own flat colour, on a light studio background. */
export function randomProduct(rand: () => number): Product {
  const hue = () => Math.floor(rand() * 360);
  const part = (points: Array<[number, number]>, depth: number): ProductPart => ({ points, hue: hue(), sat: 45 + rand() * 45, light: 35 + rand() * 30, depth });
  return {
    parts: [
      part(blob(rand, 0, 0, 0.42 + rand() * 0.12, 0.3 + rand() * 0.15), 0),
      part(blob(rand, 0, 0.34, 0.46, 0.07, 7), 0.15),
      part(blob(rand, (rand() - 0.5) * 0.3, -0.38, 0.14, 0.1, 7), -0.2),
      part(blob(rand, (rand() - 0.5) * 0.4, (rand() - 0.5) * 0.2, 0.1, 0.08, 6), 0.3),
    ],
    background: ['#ffffff', '#f4f4f4', '#efe9e1', '#eef2f6'][Math.floor(rand() * 4)]!,
    cx: W * (0.45 + rand() * 0.1),
    cy: H * (0.47 + rand() * 0.06),
    size: W * (0.55 + rand() * 0.2),
    label: ['NEW', 'ORIGINAL', 'PRO', 'LITE', ''][Math.floor(rand() * 5)]!,
  };
}

/** The product with its body and one more part repainted in a hue at least 70 degrees away. */
function recolourRegions(p: Product, rand: () => number): Product {
  const parts = p.parts.map((x) => ({ ...x }));
  const other = 1 + Math.floor(rand() * (parts.length - 1));
  for (const i of [0, other]) {
    const x = parts[i]!;
    x.hue = (x.hue + 70 + rand() * 220) % 360;
  }
  return { ...p, parts };
}

/** SVG of the product turned by `yaw` radians about its vertical axis (0: as listed). */
export function productSvg(p: Product, yaw: number): string {
  const poly = (part: ProductPart) =>
    part.points
      .map(([x, y]) => {
        const px = p.cx + (x * Math.cos(yaw) + part.depth * Math.sin(yaw)) * p.size;
        return `${px.toFixed(1)},${(p.cy + y * p.size).toFixed(1)}`;
      })
      .join(' ');
  const shadowX = p.cx + Math.sin(yaw) * p.size * 0.3;
  const parts = p.parts.map((part) => `<polygon points="${poly(part)}" fill="hsl(${part.hue.toFixed(0)},${part.sat.toFixed(0)}%,${part.light.toFixed(0)}%)"/>`).join('');
  const label = p.label ? `<text x="${(p.cx + Math.sin(yaw) * p.size * 0.1).toFixed(1)}" y="${(p.cy + 0.05 * p.size).toFixed(1)}" text-anchor="middle" font-family="sans-serif" font-weight="bold" font-size="${(p.size * 0.09).toFixed(0)}" fill="#ffffff" fill-opacity="0.9">${p.label}</text>` : '';
  return `<svg width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><rect width="${W}" height="${H}" fill="${p.background}"/><ellipse cx="${shadowX.toFixed(1)}" cy="${(p.cy + p.size * 0.42).toFixed(1)}" rx="${(p.size * 0.45).toFixed(1)}" ry="${(p.size * 0.05).toFixed(1)}" fill="#000" fill-opacity="0.18"/>${parts}${label}</svg>`;
}

interface SceneObject {
  x: number;
  y: number;
  z: number;
  w: number;
  h: number;
  shape: 'rect' | 'ellipse';
  fill: string;
}

interface Scene {
  sky: string;
  ground: string;
  horizon: number;
  objects: SceneObject[];
}

/** A table-top scene: a wall and a floor, and objects at depths 1.5-5 (nearer ones bigger and lower). */
export function randomScene(rand: () => number): Scene {
  const colour = () => `hsl(${Math.floor(rand() * 360)},${Math.floor(30 + rand() * 50)}%,${Math.floor(30 + rand() * 40)}%)`;
  const objects: SceneObject[] = Array.from({ length: 5 + Math.floor(rand() * 3) }, () => ({
    x: (rand() - 0.5) * 3,
    y: 0.2 + rand() * 0.6,
    z: 1.5 + rand() * 3.5,
    w: 0.5 + rand() * 0.9,
    h: 0.7 + rand() * 1.3,
    shape: rand() < 0.5 ? 'rect' : 'ellipse',
    fill: colour(),
  }));
  objects.sort((a, b) => b.z - a.z);
  return { sky: colour(), ground: colour(), horizon: 0.35 + rand() * 0.2, objects };
}

/** The scene seen from a camera moved sideways by `camera` (scene units) and forward by `forward`. */
export function sceneSvg(s: Scene, camera: number, forward: number): string {
  const f = W * 0.55;
  const shapes = s.objects
    .map((o) => {
      const z = o.z - forward;
      const cx = W / 2 + ((o.x - camera) / z) * f;
      const bottom = H * s.horizon + (o.y / z) * f * 1.2;
      const w = (o.w / z) * f;
      const h = (o.h / z) * f;
      return o.shape === 'rect'
        ? `<rect x="${(cx - w / 2).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${o.fill}"/>`
        : `<ellipse cx="${cx.toFixed(1)}" cy="${(bottom - h / 2).toFixed(1)}" rx="${(w / 2).toFixed(1)}" ry="${(h / 2).toFixed(1)}" fill="${o.fill}"/>`;
    })
    .join('');
  return `<svg width="${W}" height="${(H * 0.75).toFixed(0)}" xmlns="http://www.w3.org/2000/svg"><rect width="${W}" height="${H}" fill="${s.sky}"/><rect y="${(H * s.horizon).toFixed(1)}" width="${W}" height="${H}" fill="${s.ground}"/>${shapes}</svg>`;
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

export interface Scores {
  precision: number;
  recall: number;
  truePairs: number;
  groupedPairs: number;
  perEdit: Record<string, { recall: number; found: number; total: number }>;
  perSource: Record<string, { precision: number; recall: number }>;
  hardNegativesGrouped: number;
  hardNegatives: number;
  /** Per kind of hard negative: pairs grouped as near of all such pairs. */
  perHardKind: Record<string, { grouped: number; total: number }>;
}

/** Pairwise precision/recall of the groups against the corpus truth. */
export function score(groups: FindOutput['groups'], corpus: { images: CorpusImage[]; hardNegatives: HardNegative[] }, mirror: boolean): Scores {
  const byFile = new Map(corpus.images.map((im) => [im.file, im]));
  const groupOf = new Map<string, number>();
  for (const g of groups) for (const im of g.images) for (const p of im.paths) groupOf.set(path.basename(p), g.id);
  const counts = new Map<string, { tp: number; fp: number; found: number; total: number }>();
  const bump = (key: string, field: 'tp' | 'fp' | 'found' | 'total') => {
    const c = counts.get(key) ?? { tp: 0, fp: 0, found: 0, total: 0 };
    c[field]++;
    counts.set(key, c);
  };
  const excluded = (x: CorpusImage, y: CorpusImage) => !mirror && (x.edit === 'mirror' || y.edit === 'mirror');
  // Precision: every pair sharing a group.
  for (const g of groups) {
    const members = g.images.flatMap((im) => im.paths.map((p) => byFile.get(path.basename(p)))).filter((x): x is CorpusImage => !!x);
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const x = members[i]!;
        const y = members[j]!;
        if (x.photo === y.photo && excluded(x, y)) continue;
        const ok = x.photo === y.photo;
        bump('all', ok ? 'tp' : 'fp');
        bump(`source:${x.source}`, ok ? 'tp' : 'fp');
      }
    }
  }
  // Recall: each edited copy against its original.
  const originals = new Map(corpus.images.filter((im) => im.edit === null).map((im) => [im.photo, im]));
  for (const im of corpus.images) {
    if (im.edit === null || (im.edit === 'mirror' && !mirror)) continue;
    const orig = originals.get(im.photo);
    if (!orig) continue;
    const together = groupOf.has(im.file) && groupOf.get(im.file) === groupOf.get(orig.file);
    for (const key of ['all', `edit:${im.edit}`, `source:${im.source}`, `edit:${im.source}:${im.edit}`]) {
      bump(key, 'total');
      if (together) bump(key, 'found');
    }
  }
  const get = (k: string) => counts.get(k) ?? { tp: 0, fp: 0, found: 0, total: 0 };
  const prec = (k: string) => (get(k).tp + get(k).fp === 0 ? 1 : get(k).tp / (get(k).tp + get(k).fp));
  const rec = (k: string) => (get(k).total === 0 ? 1 : get(k).found / get(k).total);
  const perEdit: Scores['perEdit'] = {};
  for (const k of counts.keys()) if (k.startsWith('edit:')) perEdit[k.slice(5)] = { recall: rec(k), found: get(k).found, total: get(k).total };
  const perSource: Scores['perSource'] = {};
  for (const s of ['synthetic', 'real', 'render']) if (get(`source:${s}`).total > 0) perSource[s] = { precision: prec(`source:${s}`), recall: rec(`source:${s}`) };
  const grouped = ([a, b]: HardNegative) => groupOf.has(a) && groupOf.get(a) === groupOf.get(b);
  const hardNegativesGrouped = corpus.hardNegatives.filter(grouped).length;
  const perHardKind: Scores['perHardKind'] = {};
  for (const h of corpus.hardNegatives) {
    const k = (perHardKind[h[2]] ??= { grouped: 0, total: 0 });
    k.total++;
    if (grouped(h)) k.grouped++;
  }
  return {
    precision: prec('all'),
    recall: rec('all'),
    truePairs: get('all').tp,
    groupedPairs: get('all').tp + get('all').fp,
    perEdit,
    perSource,
    hardNegativesGrouped,
    hardNegatives: corpus.hardNegatives.length,
    perHardKind,
  };
}

/** Imports the corpus into a fresh catalog with `lookalike index` and returns Services on it. */
export async function indexCorpus(dir: string, dbPath: string, model: string): Promise<Services> {
  let stderr = '';
  const code = await runCli(['index', dir, '--model', model, '--db', dbPath], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => ((stderr += s), true) },
  });
  if (code !== 0) throw new Error(`lookalike index failed (${code}): ${stderr.trim().split('\n').at(-1)}`);
  return new Services({ dbPath });
}

export async function runQuality(options: CorpusOptions & { model: string; mirror?: boolean; near?: Partial<NearRule>; keep?: boolean }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-dupq-'));
  try {
    const corpus = await buildCorpus(path.join(dir, 'images'), options);
    const services = await indexCorpus(path.join(dir, 'images'), path.join(dir, 'catalog.db'), options.model);
    try {
      const ctx = { progress: () => {}, signal: new AbortController().signal };
      const near = { ...DEFAULT_NEAR, ...options.near };
      const results: Record<string, Scores> = {};
      let revision: string | undefined;
      for (const mirror of options.mirror === undefined ? [false, true] : [options.mirror]) {
        const found = await services.duplicates.find(
          { tier: 'near', threshold: near.cosine, maxHashDistance: near.hash, mirror, model: options.model, offset: 0, limit: 1_000_000, sort: 'size' },
          ctx,
        );
        results[mirror ? 'mirrorOn' : 'mirrorOff'] = score(found.groups, corpus, mirror);
        revision = found.settings.model?.revision;
      }
      return { model: options.model, revision, images: corpus.images.length, notes: corpus.notes, results, corpus, services: options.keep ? services : undefined, dir };
    } finally {
      if (!options.keep) services.close();
    }
  } finally {
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const quick = args.includes('--quick');
  const models = arg('model') ? [arg('model')!] : ['demo-siglip', 'demo-clip'];
  const report: Record<string, unknown> = { generatedAt: new Date().toISOString(), defaults: DEFAULT_NEAR, models: {} };
  for (const model of models) {
    const t0 = Date.now();
    const seed = arg('seed') !== undefined ? Number(arg('seed')) : 7;
    if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${arg('seed')}"`);
    const r = await runQuality({ model, seed, ...(quick ? { syntheticOriginals: 120, syntheticEdited: 8, realPhotos: 12, renderProducts: 6, renderScenes: 8 } : {}) });
    (report.models as Record<string, unknown>)[model] = { revision: r.revision, images: r.images, notes: r.notes, seconds: (Date.now() - t0) / 1000, ...r.results };
    for (const [mode, s] of Object.entries(r.results)) {
      console.error(`\n${model}@${r.revision} (${r.images} images), mirror ${mode === 'mirrorOn' ? 'on' : 'off'}: precision ${pct(s.precision)} (${s.truePairs}/${s.groupedPairs}), recall ${pct(s.recall)}, hard negatives grouped ${s.hardNegativesGrouped}/${s.hardNegatives}`);
      for (const [src, v] of Object.entries(s.perSource)) console.error(`  ${src.padEnd(10)} precision ${pct(v.precision)} recall ${pct(v.recall)}`);
      for (const e of EDITS) {
        const all = s.perEdit[e];
        if (!all) continue;
        const bySrc = ['synthetic', 'real', 'render'].map((src) => s.perEdit[`${src}:${e}`]).map((v) => (v ? `${pct(v.recall)} (${v.found}/${v.total})` : '-'));
        console.error(`  ${e.padEnd(20)} recall ${pct(all.recall).padStart(6)}   synthetic ${bySrc[0]!.padEnd(16)} real ${bySrc[1]!.padEnd(16)} render ${bySrc[2]}`);
      }
      for (const [kind, v] of Object.entries(s.perHardKind)) console.error(`  hard negative ${kind.padEnd(18)} grouped ${v.grouped}/${v.total}`);
    }
  }
  const out = arg('out');
  const text = `${JSON.stringify(report, null, 1)}\n`;
  if (out) fs.writeFileSync(out, text);
  else process.stdout.write(text);
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}

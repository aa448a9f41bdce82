/**
 * Near-duplicate quality benchmark: pairwise precision and recall of the near tier, per edit
 * type and per source, with the shipped demo models.
 *
 *   node --import tsx tools/bench-duplicates-quality.ts [--model demo-siglip] [--quick] [--out FILE]
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

export const EDITS = ['resize', 'recompress', 'png', 'webp', 'crop', 'pad', 'watermark', 'brightness_contrast', 'greyscale', 'exif_rotate', 'mirror'] as const;
export type Edit = (typeof EDITS)[number];

export interface CorpusImage {
  file: string;
  source: 'synthetic' | 'real';
  /** Photo identity: images with the same photo id are the same photo. */
  photo: string;
  edit: Edit | null;
}

const DEMO = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'resources', 'demo-catalog');

/** A tiny deterministic PRNG (mulberry32) so the corpus is the same on every run. */
function rng(seed: number): () => number {
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
  seed?: number;
}

/** Writes the corpus into `dir` and returns what each file is. */
export async function buildCorpus(dir: string, options: CorpusOptions = {}): Promise<{ images: CorpusImage[]; hardNegatives: Array<[string, string]>; notes: string[] }> {
  const rand = rng(options.seed ?? 7);
  const images: CorpusImage[] = [];
  const hardNegatives: Array<[string, string]> = [];
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
    hardNegatives.push([file, `syn-${fileOf.get(h.of)}`]);
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
    hardNegatives.push([`${name}-view-left.jpg`, `${name}-view-right.jpg`]);
    if (p.twin) {
      const file = `${name}-twin.jpg`;
      fs.writeFileSync(path.join(dir, file), await sharp(p.twin).rotate().resize(side, side, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer());
      images.push({ file, source: 'real', photo: `real:${p.name}:twin`, edit: null });
      hardNegatives.push([file, `${name}.jpg`]);
    }
  }
  return { images, hardNegatives, notes };
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
}

/** Pairwise precision/recall of the groups against the corpus truth. */
export function score(groups: FindOutput['groups'], corpus: { images: CorpusImage[]; hardNegatives: Array<[string, string]> }, mirror: boolean): Scores {
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
  for (const s of ['synthetic', 'real']) if (get(`source:${s}`).total > 0) perSource[s] = { precision: prec(`source:${s}`), recall: rec(`source:${s}`) };
  const hardNegativesGrouped = corpus.hardNegatives.filter(([a, b]) => groupOf.has(a) && groupOf.get(a) === groupOf.get(b)).length;
  return {
    precision: prec('all'),
    recall: rec('all'),
    truePairs: get('all').tp,
    groupedPairs: get('all').tp + get('all').fp,
    perEdit,
    perSource,
    hardNegativesGrouped,
    hardNegatives: corpus.hardNegatives.length,
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
    const r = await runQuality({ model, ...(quick ? { syntheticOriginals: 120, syntheticEdited: 8, realPhotos: 12 } : {}) });
    (report.models as Record<string, unknown>)[model] = { revision: r.revision, images: r.images, notes: r.notes, seconds: (Date.now() - t0) / 1000, ...r.results };
    for (const [mode, s] of Object.entries(r.results)) {
      console.error(`\n${model}@${r.revision} (${r.images} images), mirror ${mode === 'mirrorOn' ? 'on' : 'off'}: precision ${pct(s.precision)} (${s.truePairs}/${s.groupedPairs}), recall ${pct(s.recall)}, hard negatives grouped ${s.hardNegativesGrouped}/${s.hardNegatives}`);
      for (const [src, v] of Object.entries(s.perSource)) console.error(`  ${src.padEnd(10)} precision ${pct(v.precision)} recall ${pct(v.recall)}`);
      for (const e of EDITS) {
        const all = s.perEdit[e];
        if (!all) continue;
        const bySrc = ['synthetic', 'real'].map((src) => s.perEdit[`${src}:${e}`]).map((v) => (v ? `${pct(v.recall)} (${v.found}/${v.total})` : '-'));
        console.error(`  ${e.padEnd(20)} recall ${pct(all.recall).padStart(6)}   synthetic ${bySrc[0]!.padEnd(16)} real ${bySrc[1]}`);
      }
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

/**
 * Near-duplicate quality: pairwise precision and recall of the near tier, per edit type and per
 * source, with the shipped defaults. The corpus (duplicates-corpus.ts) is written to a temp folder,
 * imported through the same `catalog.import` handler as `lookalike import` and grouped with the
 * real code. Pairs: (original, edited copy) must share a group (recall); every pair sharing a group
 * must be the same photo (precision). Mirrored copies count only with mirror on, and are left out
 * of both figures with it off.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FindOutput } from '../api/schemas/duplicates.js';
import { handlers } from '../dispatch/handlers.js';
import { invoke } from '../dispatch/invoke.js';
import { type NearRule, DEFAULT_NEAR } from '../features/duplicates/tiers.js';
import { Services } from '../features/services.js';
import { type CorpusImage, type CorpusOptions, type HardNegative, buildCorpus } from './duplicates-corpus.js';
import { EDITS } from './duplicates-edits.js';
import type { BenchContext, BenchSection } from './report.js';

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

/** Imports the corpus folder into the catalog with `model`, as `lookalike import DIR --model ID` does. */
async function importCorpus(services: Services, dir: string, model: string, signal: AbortSignal): Promise<void> {
  await invoke(handlers, 'catalog.import', { paths: [dir], models: [model] }, { services, signal, progress: () => {} });
}

export async function runQuality(options: CorpusOptions & { model: string; mirror?: boolean; near?: Partial<NearRule>; keep?: boolean; signal?: AbortSignal }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-dupq-'));
  try {
    const corpus = await buildCorpus(path.join(dir, 'images'), options);
    const services = new Services({ dbPath: path.join(dir, 'catalog.db') });
    try {
      const ctx = { progress: () => {}, signal: options.signal ?? new AbortController().signal };
      await importCorpus(services, path.join(dir, 'images'), options.model, ctx.signal);
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

/** The corpus of a --quick run: a quarter of the demo originals, fewer real photos and renders. */
const QUICK_CORPUS: CorpusOptions = { syntheticOriginals: 120, syntheticEdited: 8, realPhotos: 12, renderProducts: 6, renderScenes: 8 };

export interface QualityBench {
  /** The near rule measured (the shipped defaults). */
  defaults: NearRule;
  seed: number;
  models: Record<string, { revision: string | undefined; images: number; notes: string[]; seconds: number; mirrorOff?: Scores; mirrorOn?: Scores }>;
}

/** Each model (--model, else both demo models) on the corpus of --seed (default 7), mirror off and on. */
export async function benchQuality(ctx: Pick<BenchContext, 'quick' | 'modelIds' | 'seed' | 'log' | 'signal'>): Promise<QualityBench> {
  const seed = ctx.seed ?? 7;
  const report: QualityBench = { defaults: DEFAULT_NEAR, seed, models: {} };
  for (const model of ctx.modelIds.length ? ctx.modelIds : ['demo-siglip', 'demo-clip']) {
    ctx.log(`duplicates-quality: ${model}, seed ${seed} ...`);
    const t0 = Date.now();
    const r = await runQuality({ model, seed, signal: ctx.signal, ...(ctx.quick ? QUICK_CORPUS : {}) });
    report.models[model] = { revision: r.revision, images: r.images, notes: r.notes, seconds: (Date.now() - t0) / 1000, ...r.results };
  }
  return report;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export const duplicatesQualitySection: BenchSection = {
  name: 'duplicates-quality',
  run: benchQuality,
  table(result) {
    const lines: string[] = [];
    for (const [model, r] of Object.entries((result as QualityBench).models)) {
      for (const [mode, s] of Object.entries({ mirrorOff: r.mirrorOff, mirrorOn: r.mirrorOn })) {
        if (!s) continue;
        lines.push(`${model}@${r.revision} (${r.images} images), mirror ${mode === 'mirrorOn' ? 'on' : 'off'}: precision ${pct(s.precision)} (${s.truePairs}/${s.groupedPairs}), recall ${pct(s.recall)}, hard negatives grouped ${s.hardNegativesGrouped}/${s.hardNegatives}`);
        for (const [src, v] of Object.entries(s.perSource)) lines.push(`  ${src.padEnd(10)} precision ${pct(v.precision)} recall ${pct(v.recall)}`);
        for (const e of EDITS) {
          const all = s.perEdit[e];
          if (!all) continue;
          const bySrc = ['synthetic', 'real', 'render'].map((src) => s.perEdit[`${src}:${e}`]).map((v) => (v ? `${pct(v.recall)} (${v.found}/${v.total})` : '-'));
          lines.push(`  ${e.padEnd(20)} recall ${pct(all.recall).padStart(6)}   synthetic ${bySrc[0]!.padEnd(16)} real ${bySrc[1]!.padEnd(16)} render ${bySrc[2]}`);
        }
        for (const [kind, v] of Object.entries(s.perHardKind)) lines.push(`  hard negative ${kind.padEnd(18)} grouped ${v.grouped}/${v.total}`);
      }
      for (const note of r.notes) lines.push(`  note: ${note}`);
    }
    return lines.join('\n');
  },
};

/**
 * Calibration aid for the near rule: builds the corpus of `lookalike bench --only
 * duplicates-quality` (src-main/bench/duplicates-corpus.ts), imports it, and prints the pair
 * signals (cosine, hashes, whole-frame correlation, crop alignment, colour distance) of every true
 * pair (original, edited copy) and every hard negative, so the capture and colour bars can be read
 * off the two distributions.
 *
 *   node --import tsx tools/duplicates-signals.ts [--model demo-siglip] [--seed N] [--quick] [--out FILE.tsv]
 */
import fs from 'node:fs';
import path from 'node:path';
import { runQuality } from '../src-main/bench/duplicates-quality.js';
import { signalsOf } from '../src-main/features/duplicates/regroup.js';
import { Aligner } from '../src-main/features/duplicates/alignment.js';
import { alignPair, frameOf } from '../src-main/features/duplicates/graph.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const model = arg('model') ?? 'demo-siglip';
  const quick = args.includes('--quick');
  const r = await runQuality({
    model,
    mirror: false,
    keep: true,
    seed: Number(arg('seed') ?? 7),
    ...(quick ? { syntheticOriginals: 60, syntheticEdited: 6, realPhotos: 10, renderProducts: 8, renderScenes: 10 } : {}),
  });
  const services = r.services!;
  try {
    const graph = await services.duplicates.candidateGraph(model, { progress: () => {}, signal: new AbortController().signal });
    const shaOf = new Map<string, string>();
    for (const row of services.catalog.db.prepare('SELECT path, sha256 FROM image_files').all() as Array<{ path: string; sha256: string }>) shaOf.set(path.basename(row.path), row.sha256);
    const node = new Map(graph.shas.map((s, i) => [s, i]));
    const edge = new Map<number, number>();
    const n = graph.shas.length;
    for (let e = 0; e < graph.length; e++) edge.set((graph.a[e] as number) * n + (graph.b[e] as number), e);
    const lines = ['kind\tlabel\ta\tb\tcosine\thash\tcrop\talign\talignColour\tframe\tframeColour\tframeMoved\talignMoved'];
    const aligner = new Aligner();
    const emit = (kind: string, label: string, fa: string, fb: string) => {
      const i = node.get(shaOf.get(fa) ?? '');
      const j = node.get(shaOf.get(fb) ?? '');
      if (i === undefined || j === undefined) return;
      const e = edge.get(Math.min(i, j) * n + Math.max(i, j));
      if (e === undefined) return void lines.push(`${kind}\t${label}\t${fa}\t${fb}\tnot-a-candidate`);
      const s = signalsOf(graph, e);
      const f = (x: number) => (Number.isNaN(x) ? 'NaN' : x.toFixed(3));
      const fo = frameOf(graph.packed, aligner, i, j, false);
      const ao = alignPair(graph.packed, aligner, i, j);
      const fr = fo.moved;
      const ar = ao.moved;
      lines.push([kind, label, fa, fb, f(s.cosine), s.hash, s.crop, f(s.align), f(s.alignColour), f(s.frame), f(s.frameColour), fr, ar].join('\t'));
    };
    const originals = new Map(r.corpus.images.filter((im) => im.edit === null).map((im) => [im.photo, im.file]));
    for (const im of r.corpus.images) if (im.edit && im.edit !== 'mirror' && originals.has(im.photo)) emit('true', `${im.source}:${im.edit}`, originals.get(im.photo)!, im.file);
    for (const [a, b, kind] of r.corpus.hardNegatives) emit('hard', kind, a, b);
    const text = `${lines.join('\n')}\n`;
    const out = arg('out');
    if (out) fs.writeFileSync(out, text);
    else process.stdout.write(text);
  } finally {
    services.close();
    fs.rmSync(r.dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});

/**
 * Calibration aid for the near rule: builds the corpus of `lookalike bench --only
 * duplicates-quality` (src-main/bench/duplicates-corpus.ts), imports it, and prints the pair
 * signals (cosine, hashes, whole-frame correlation, crop alignment, colour distance) of every true
 * pair (original, edited copy) and every hard negative, so the capture and colour bars can be read
 * off the two distributions.
 *
 * With `--all`, every candidate pair of the graph instead (kind `same` when both images are the
 * same photo, else `other`), with the crop alignment searched whatever the gate says: what a rule
 * change would accept among all the pairs the grouping sees, not only the labelled ones.
 *
 *   node --import tsx tools/duplicates-signals.ts [--model demo-siglip] [--seed N] [--quick] [--all] [--out FILE.tsv]
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
    const lines = ['kind\tlabel\ta\tb\tcosine\thash\tcrop\talign\talignColour\tframe\tframeColour\tframeMoved\talignMoved\tcolourless'];
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
      lines.push([kind, label, fa, fb, f(s.cosine), s.hash, s.crop, f(s.align), f(s.alignColour), f(s.frame), f(s.frameColour), fr, ar, s.colourless].join('\t'));
    };
    if (args.includes('--all')) {
      const photoOf = new Map<string, string>();
      for (const im of r.corpus.images) {
        const sha = shaOf.get(im.file);
        if (sha) photoOf.set(sha, `${im.photo}\t${im.file}\t${im.edit ?? 'original'}`);
      }
      lines.length = 0;
      lines.push('kind\tphotoA\tfileA\teditA\tphotoB\tfileB\teditB\tcosine\thash\tcrop\talign\talignColour\talignMoved\tframe\tframeColour\tframeMoved\tcolourless');
      for (let e = 0; e < graph.length; e++) {
        const i = graph.a[e] as number;
        const j = graph.b[e] as number;
        const [pa, pb] = [photoOf.get(graph.shas[i]!), photoOf.get(graph.shas[j]!)];
        if (!pa || !pb) continue;
        const s = signalsOf(graph, e);
        const f = (x: number) => (Number.isNaN(x) ? 'NaN' : x.toFixed(4));
        const ao = alignPair(graph.packed, aligner, i, j);
        const kind = pa.split('\t')[0] === pb.split('\t')[0] ? 'same' : 'other';
        lines.push([kind, pa, pb, f(s.cosine), s.hash, s.crop, f(ao.score), f(ao.colour), ao.moved, f(s.frame), f(s.frameColour), s.frameMoved, s.colourless].join('\t'));
      }
    }
    const originals = new Map(r.corpus.images.filter((im) => im.edit === null).map((im) => [im.photo, im.file]));
    if (!args.includes('--all')) for (const im of r.corpus.images) if (im.edit && im.edit !== 'mirror' && originals.has(im.photo)) emit('true', `${im.source}:${im.edit}`, originals.get(im.photo)!, im.file);
    if (!args.includes('--all')) for (const [a, b, kind] of r.corpus.hardNegatives) emit('hard', kind, a, b);
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

/**
 * What search's copy stacking costs and what it stacks, on a catalog you have (docs/SEARCH.md
 * "Stacked copies"). For each query photo: the time of a stacked search.query at each k (the
 * first call over the images and a second one, the model already loaded), and every stack of
 * more than one image. `--from-thumbnails` works on a copy of the catalog without the duplicate
 * finder's stored hashes, as an older catalog would be, so the stacks come from the thumbnails.
 *
 *   node --import tsx tools/search-stacking.ts --db catalog.db --model demo-siglip [--k 50,500] [--from-thumbnails] PHOTO...
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CallContext } from '../src-main/features/context.js';
import { Services } from '../src-main/features/services.js';
import { invoke } from '../src-main/dispatch/invoke.js';
import { handlers } from '../src-main/dispatch/handlers.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  let db = option('db');
  const model = option('model');
  const ks = (option('k') ?? '50,500').split(',').map(Number);
  const fromThumbnails = args.includes('--from-thumbnails');
  const photos = args.filter((a) => !a.startsWith('--'));
  if (!db || photos.length === 0) throw new Error('usage: --db catalog.db [--model ID] [--k 50,500] [--from-thumbnails] PHOTO...');
  let tmp: string | null = null;
  if (fromThumbnails) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-stacking-'));
    const copy = path.join(tmp, 'catalog.db');
    fs.copyFileSync(db, copy);
    const d = new Database(copy);
    d.exec('DELETE FROM duplicates_hashes');
    d.close();
    db = copy;
  }
  const services = new Services({ dbPath: db });
  const ctx = { services, progress: () => {}, signal: new AbortController().signal } as CallContext;
  const search = (image: string, k: number, stack = true) => invoke(handlers, 'search.query', { image: { path: image }, model, k, stack }, ctx) as Promise<any>;
  try {
    await search(photos[0]!, 1, false); // the model and the index loaded before anything is timed
    let stacked = 0;
    for (const k of ks) {
      for (const photo of photos) {
        const t0 = performance.now();
        const first = await search(photo, k);
        const t1 = performance.now();
        await search(photo, k);
        const t2 = performance.now();
        console.log(`${path.basename(photo)} k=${k}: first ${(t1 - t0).toFixed(0)} ms, again ${(t2 - t1).toFixed(0)} ms, ${first.results.length} results`);
        if (k !== ks[ks.length - 1]) continue;
        for (const r of first.results) {
          if (r.copies.length === 0) continue;
          stacked += r.copies.length;
          console.log(`  ${r.name} <- ${r.copies.map((c: any) => c.name).join(', ')}`);
        }
      }
    }
    console.log(`stacked copies at k=${ks[ks.length - 1]}: ${stacked}`);
  } finally {
    services.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

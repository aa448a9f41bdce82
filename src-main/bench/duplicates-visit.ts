/**
 * The first Duplicates visit on a freshly imported catalog: `n` product photos
 * (duplicates-visit-corpus.ts) imported with the default model as the Catalog page does (a
 * catalog.import job), the duplicates preparation job the backend starts after it, then the
 * page's first call (duplicates.find, near tier, up to 5,000 groups) timed from the call to the
 * groups returned, in the same backend. Also: the same visit after a restart (the kept graph is
 * read from the catalog) and without any preparation (the graph built by the visit, as before).
 * Wall time and CPU time (process.cpuUsage, all threads) of each step: the CPU time depends far
 * less on what else runs on the machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { MethodName, MethodOutput } from '../api/contract.js';
import { handlers } from '../dispatch/handlers.js';
import { invoke } from '../dispatch/invoke.js';
import { Services } from '../features/services.js';
import { buildVisitCorpus } from './duplicates-visit-corpus.js';
import { type BenchContext, type BenchSection, formatTable } from './report.js';

export interface Timed {
  seconds: number;
  cpuSeconds: number;
}

export interface VisitRow {
  images: number;
  model: string;
  corpus: { originals: number; edited: number; sameFile: number };
  import: Timed;
  /** The duplicates.prepare job started when the import job finished: hashes, candidate graph, the first grouping's pair checks. */
  preparation: Timed & { candidatePairs: number };
  /** The page's first duplicates.find after the preparation: from the call to the groups. */
  firstVisit: Timed & { groups: number; graph: string };
  /** The page's other first call (the threshold chart), after the groups. */
  distribution: Timed;
  /** The first visit after a restart of the backend: the kept graph read from the catalog. */
  afterRestart: Timed & { graph: string };
  /** The first visit with nothing prepared (no kept graph, a new backend): the visit builds the graph. */
  unprepared: Timed & { graph: string };
  /** Load average (1 min) before and after, on a machine others may be using. */
  load: [number, number];
}

export interface VisitBench {
  data: string;
  rows: VisitRow[];
}

/** The page's first call on the Duplicates page (src-renderer/pages/duplicates/ImageDuplicates.tsx). */
const FIRST_VISIT = { tier: 'near', sort: 'size', limit: 5000 } as const;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T } & Timed> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, seconds: round((performance.now() - t0) / 1000), cpuSeconds: round((used.user + used.system) / 1e6) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

async function visitOnce(n: number, ctx: BenchContext): Promise<VisitRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-bench-visit-'));
  const dbPath = path.join(dir, 'catalog.db');
  const session = () => {
    const services = new Services({ config: ctx.config, dbPath });
    const call = <M extends MethodName>(method: M, input: unknown) => invoke(handlers, method, input, { services, signal: ctx.signal, progress: () => undefined }) as Promise<MethodOutput<M>>;
    return { services, call };
  };
  const load0 = os.loadavg()[0]!;
  try {
    ctx.log(`duplicates-visit: writing ${n} photos ...`);
    const corpus = await buildVisitCorpus(path.join(dir, 'corpus'), n, 11, ctx.signal);
    let s = session();
    ctx.log(`duplicates-visit: importing ${n} photos ...`);
    const imported = await timed(async () => {
      const job = await s.call('jobs.start', { kind: 'catalog.import', input: { paths: [corpus.dir], listings: corpus.listings } });
      return s.call('jobs.watch', { id: job.id });
    });
    const summary = imported.value.result as MethodOutput<'catalog.import'> | null;
    if (imported.value.state !== 'completed' || !summary) throw new Error(`the import ${imported.value.state}: ${imported.value.error ?? ''}`);
    ctx.log('duplicates-visit: the duplicates preparation job ...');
    const prepared = await timed(async () => {
      const [job] = (await s.call('jobs.list', { kinds: ['duplicates.prepare'], limit: 1 })).jobs;
      if (!job) throw new Error('no duplicates preparation job followed the import');
      return s.call('jobs.watch', { id: job.id });
    });
    const preparation = prepared.value.result as MethodOutput<'duplicates.prepare'> | null;
    if (prepared.value.state !== 'completed' || !preparation) throw new Error(`the duplicates preparation ${prepared.value.state}: ${prepared.value.error ?? ''}`);
    const visit = await timed(() => s.call('duplicates.find', FIRST_VISIT));
    const distribution = await timed(() => s.call('duplicates.distribution', { tier: 'near', bins: 100 }));
    s.services.close();

    ctx.log('duplicates-visit: after a restart ...');
    s = session();
    const restart = await timed(() => s.call('duplicates.find', FIRST_VISIT));
    s.services.catalog.db.prepare('DELETE FROM duplicates_graphs').run();
    s.services.close();

    ctx.log('duplicates-visit: without a preparation ...');
    s = session();
    const unprepared = await timed(() => s.call('duplicates.find', FIRST_VISIT));
    s.services.close();

    const part = ({ seconds, cpuSeconds }: Timed): Timed => ({ seconds, cpuSeconds });
    return {
      images: preparation.images,
      model: Object.keys(summary.embedded).join(', ') || 'none',
      corpus: { originals: corpus.originals, edited: corpus.edited, sameFile: corpus.sameFile },
      import: part(imported),
      preparation: { ...part(prepared), candidatePairs: preparation.candidatePairs },
      firstVisit: { ...part(visit), groups: visit.value.totalGroups, graph: visit.value.stats.graph },
      distribution: part(distribution),
      afterRestart: { ...part(restart), graph: restart.value.stats.graph },
      unprepared: { ...part(unprepared), graph: unprepared.value.stats.graph },
      load: [round(load0), round(os.loadavg()[0]!)],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchDuplicatesVisit(ctx: BenchContext): Promise<VisitBench> {
  const rows: VisitRow[] = [];
  for (const n of ctx.sizes ?? (ctx.quick ? [2000] : [10_000])) rows.push(await visitOnce(n, ctx));
  return {
    data: 'demo catalog photos, then product and scene renders (320 px), 30% edited copies of an earlier photo and 2% the same file again, one listing each; imported with the default model',
    rows,
  };
}

export const duplicatesVisitSection: BenchSection = {
  name: 'duplicates-visit',
  run: benchDuplicatesVisit,
  table(result) {
    const r = result as VisitBench;
    const t = (x: Timed) => `${x.seconds.toFixed(2)} (${x.cpuSeconds.toFixed(2)})`;
    const rows = [['images', 'import s (CPU s)', 'preparation s (CPU s)', 'pairs', 'first visit s (CPU s)', 'groups', 'chart s (CPU s)', 'after restart s (CPU s)', 'unprepared s (CPU s)', 'load']];
    for (const x of r.rows) {
      rows.push([String(x.images), t(x.import), t(x.preparation), String(x.preparation.candidatePairs), t(x.firstVisit), String(x.firstVisit.groups), t(x.distribution), t(x.afterRestart), t(x.unprepared), `${x.load[0]} / ${x.load[1]}`]);
    }
    return [`${r.data}; model ${r.rows.map((x) => x.model).join(', ')}`, formatTable(rows)].join('\n');
  },
};

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodOutput } from '../../src-main/api/contract.js';
import type { JobInfo } from '../../src-main/api/schemas/jobs.js';
import { Services } from '../../src-main/features/services.js';
import type { Progress } from '../../src-main/shared/progress.js';
import { resourcesDir } from '../../src-main/shared/paths.js';
import { writeDemoPhotosWithEdits } from '../helpers/demo-edits.js';
import { inProcessCaller } from '../helpers/in-process.js';

/**
 * The first Duplicates visit reads work done before it: after an import (run as a job) the
 * backend starts the duplicates preparation job (duplicates.prepare: missing hashes, the candidate
 * graph, the first grouping's measurements), which keeps the graph in memory and in the catalog.
 * The first find then builds nothing, a restarted backend reads the kept graph, a later import or
 * a decision is seen at once, and a catalog imported before hashes at import gets its hashes from
 * that job, with progress, when a page lists jobs.
 */
const hasDemo = fs.existsSync(path.join(resourcesDir, 'models', 'demo-siglip'));
let dir: string;
let photos: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-duplicates-prepare-'));
  photos = path.join(dir, 'photos');
  await writeDemoPhotosWithEdits(photos);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function session(dbPath: string) {
  const services = new Services({ dbPath });
  const phases: Progress[] = [];
  const run = inProcessCaller(() => services);
  const call = <M extends MethodName>(method: M, input: unknown, progress: (p: Progress) => void = (p) => phases.push(p)) => run<M>(method, input, progress);
  /** Runs a job the way a page does and waits for it. */
  const job = async (kind: 'catalog.import', input: unknown) => call('jobs.watch', { id: (await call('jobs.start', { kind, input })).id });
  const preparations = async () => (await call('jobs.list', { kinds: ['duplicates.prepare'] })).jobs;
  const watch = (j: JobInfo, progress?: (p: Progress) => void) => call('jobs.watch', { id: j.id }, progress);
  return { services, phases, call, job, preparations, watch };
}

const near = { tier: 'near', limit: 5000 } as const;
const fileGroups = (found: MethodOutput<'duplicates.find'>) => found.groups.map((g) => g.images.flatMap((im) => im.paths.map((p) => path.basename(p))).sort()).sort();

/** The groups of the same catalog grouped from scratch: a copy of it without the kept graph, in a new backend. */
async function fromScratch(dbPath: string): Promise<MethodOutput<'duplicates.find'>> {
  const copy = `${dbPath}-scratch.db`;
  fs.copyFileSync(dbPath, copy);
  const s = session(copy);
  try {
    s.services.catalog.db.prepare('DELETE FROM duplicates_graphs').run();
    const found = await s.call('duplicates.find', near);
    expect(found.stats.graph).toBe('built');
    return found;
  } finally {
    s.services.close();
    fs.rmSync(copy, { force: true });
  }
}

describe.skipIf(!hasDemo)('duplicates prepared before the first visit', () => {
  it('an import job is followed by the preparation job; the first find builds nothing and groups as a build from scratch does', async () => {
    const dbPath = path.join(dir, 'fresh.db');
    const s = session(dbPath);
    try {
      expect(await s.job('catalog.import', { paths: [photos] })).toMatchObject({ state: 'completed', result: { indexed: 7 } });
      const [prep] = await s.preparations();
      expect(prep).toMatchObject({ kind: 'duplicates.prepare', source: 'duplicate hashes and look-alike pairs', resumable: false });
      expect(await s.watch(prep!)).toMatchObject({ state: 'completed', result: { images: 7, hashed: 0, graph: 'built' } });

      s.phases.length = 0;
      const found = await s.call('duplicates.find', near);
      expect(found.stats).toMatchObject({ graph: 'memory', graphMs: 0, images: 7 });
      expect(s.phases.filter((p) => p.phase === 'hashing images' || p.phase === 'finding neighbours')).toEqual([]);
      expect(fileGroups(found)).toContainEqual(['p0001-padded.png', 'p0001-recompressed.jpg', 'p0001.jpg']);
      s.services.close();
      expect(fileGroups(await fromScratch(dbPath))).toEqual(fileGroups(found));

      // A restarted backend reads the kept graph: still nothing built, the same groups.
      const again = session(dbPath);
      try {
        const stored = await again.call('duplicates.find', near);
        expect(stored.stats).toMatchObject({ graph: 'stored', graphMs: 0 });
        expect(stored.groups).toEqual(found.groups);
        // Nothing left to prepare: a page listing jobs starts none.
        expect(await again.preparations()).toHaveLength(1);
      } finally {
        again.services.close();
      }
    } finally {
      s.services.close();
    }
  });

  it('a later import makes the kept graph stale: the next preparation measures only the new pairs, and finds see the new image', async () => {
    const dbPath = path.join(dir, 'later.db');
    const more = path.join(dir, 'more');
    fs.mkdirSync(more);
    const s = session(dbPath);
    try {
      await s.job('catalog.import', { paths: [photos] });
      await s.watch((await s.preparations())[0]!);
      const before = await s.call('duplicates.find', near);

      fs.writeFileSync(path.join(more, 'p0003-small.jpg'), await sharp(path.join(photos, 'p0003.jpg')).resize(120).jpeg({ quality: 70 }).toBuffer());
      await s.job('catalog.import', { paths: [more] });
      const [prep] = await s.preparations();
      const done = await s.watch(prep!);
      expect(done.result).toMatchObject({ images: 8, graph: 'built' });
      expect((done.result as { reusedPairs: number }).reusedPairs).toBeGreaterThan(0);

      const after = await s.call('duplicates.find', near);
      expect(after.stats).toMatchObject({ graph: 'memory', images: 8 });
      expect(fileGroups(after)).toContainEqual(['p0003-small.jpg', 'p0003.jpg']);
      expect(fileGroups(after)).not.toEqual(fileGroups(before));
      s.services.close();
      expect(fileGroups(await fromScratch(dbPath))).toEqual(fileGroups(after));
    } finally {
      s.services.close();
    }
  });

  it('a decision is seen by the next find at once (the kept graph holds no verdicts)', async () => {
    const dbPath = path.join(dir, 'decide.db');
    const s = session(dbPath);
    try {
      await s.job('catalog.import', { paths: [photos] });
      await s.watch((await s.preparations())[0]!);
      const sha = (name: string) => (s.services.catalog.db.prepare('SELECT sha256 FROM image_files WHERE path LIKE ?').pluck().get(`%${name}`) as string);
      await s.call('duplicates.decide', { a: sha('p0001.jpg'), b: sha('p0001-recompressed.jpg'), decision: 'not_duplicate' });
      const found = await s.call('duplicates.find', near);
      expect(found.stats.graph).toBe('memory');
      expect(fileGroups(found).some((g) => g.includes('p0001.jpg') && g.includes('p0001-recompressed.jpg'))).toBe(false);
    } finally {
      s.services.close();
    }
  });

  it('a catalog imported before hashes at import: a page listing jobs starts the preparation, which hashes every image with progress; find works without it too', async () => {
    const dbPath = path.join(dir, 'old.db');
    const imported = session(dbPath);
    let groups: unknown;
    try {
      await imported.call('catalog.import', { paths: [photos] });
      groups = (await imported.call('duplicates.find', near)).groups;
      // As a catalog from before hashes at import: no hash rows, no kept graph.
      imported.services.catalog.db.prepare('DELETE FROM duplicates_hashes').run();
      imported.services.catalog.db.prepare('DELETE FROM duplicates_graphs').run();
    } finally {
      imported.services.close();
    }
    fs.copyFileSync(dbPath, `${dbPath}-nojob.db`);

    const page = session(dbPath);
    try {
      const { jobs } = await page.call('jobs.list', {});
      const prep = jobs.find((j) => j.kind === 'duplicates.prepare');
      expect(prep).toMatchObject({ state: 'running', cancellable: true });
      const seen: Progress[] = [];
      expect(await page.watch(prep!, (p) => seen.push(p))).toMatchObject({ state: 'completed', result: { images: 7, hashed: 7 } });
      expect(seen.filter((p) => p.phase === 'hashing images').at(-1)).toMatchObject({ done: 7, total: 7 });
      expect(page.services.duplicates.store.hashCount()).toBe(7);
      page.phases.length = 0;
      const found = await page.call('duplicates.find', near);
      expect(found.stats.graph).toBe('memory');
      expect(page.phases.some((p) => p.phase === 'hashing images')).toBe(false);
      expect(found.groups).toEqual(groups);
    } finally {
      page.services.close();
    }

    // Without the job (a CLI run, no page): the find hashes them itself, as before.
    const cli = session(`${dbPath}-nojob.db`);
    try {
      const found = await cli.call('duplicates.find', near);
      expect(cli.phases.filter((p) => p.phase === 'hashing images').at(-1)).toMatchObject({ done: 7, total: 7 });
      expect(found.groups).toEqual(groups);
    } finally {
      cli.services.close();
    }
  });

  it('a catalog that refuses the preparation job\'s row still finishes the import job; the first visit does the work', async () => {
    const dbPath = path.join(dir, 'refusing.db');
    const s = session(dbPath);
    try {
      s.services.catalog.db.exec("CREATE TRIGGER refuse_prepare BEFORE INSERT ON jobs WHEN NEW.kind = 'duplicates.prepare' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
      expect(await s.job('catalog.import', { paths: [photos] })).toMatchObject({ state: 'completed', result: { indexed: 7 } });
      expect(await s.preparations()).toEqual([]);
      expect((await s.call('duplicates.find', near)).stats.graph).toBe('built');
    } finally {
      s.services.close();
    }
  });

  it('an import stops a running preparation; the preparation starts again once the import is done', async () => {
    const dbPath = path.join(dir, 'busy.db');
    const s = session(dbPath);
    try {
      // Imported by a direct call (as the CLI does): nothing prepared it.
      await s.call('catalog.import', { paths: [photos] });
      const { jobs } = await s.call('jobs.list', {});
      const first = jobs.find((j) => j.kind === 'duplicates.prepare')!;
      expect(first.state).toBe('running');
      await s.job('catalog.import', { paths: [photos] });
      expect(await s.call('jobs.get', { id: first.id })).toMatchObject({ state: 'cancelled', resumable: false });
      const [next] = await s.preparations();
      expect(next!.id).toBeGreaterThan(first.id);
      expect(await s.watch(next!)).toMatchObject({ state: 'completed' });
    } finally {
      s.services.close();
    }
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../src-main/api/schemas/common.js';
import { resourcesDir } from '../../src-main/shared/paths.js';
import { Services } from '../../src-main/features/services.js';
import { cli } from '../helpers/cli.js';
import { inProcessCaller } from '../helpers/in-process.js';
import { tempDir, writeJpegs } from './catalog-helpers.js';

const hasDemo = fs.existsSync(path.join(resourcesDir, 'models', 'demo-siglip'));

/** Jobs through the one API every front door uses (IPC, HTTP and the CLI dispatch the same way). */
describe.skipIf(!hasDemo)('jobs through the API', () => {
  const root = tempDir('lookalike-jobs-api-');
  const dbPath = path.join(root, 'catalog.db');
  const photos = path.join(root, 'photos');
  let services: Services;
  const call = inProcessCaller(() => services);

  beforeAll(async () => {
    await writeJpegs(photos, 24);
    services = new Services({ dbPath });
  });
  afterAll(() => {
    services.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('jobs.start returns at once; jobs.watch streams progress and returns the summary; the job is listed with its source', async () => {
    const job = await call('jobs.start', { kind: 'catalog.import', input: { paths: [photos] } });
    expect(job).toMatchObject({ kind: 'catalog.import', state: 'running', source: photos, cancellable: true });
    const seen: Progress[] = [];
    const done = await call('jobs.watch', { id: job.id }, (p) => seen.push(p));
    expect(done).toMatchObject({ state: 'completed', result: { indexed: 24, failedCount: 0, pending: 0 } });
    expect(seen.length).toBeGreaterThan(0);
    const { jobs } = await call('jobs.list', { kinds: ['catalog.import'] });
    expect(jobs[0]).toMatchObject({ id: job.id, state: 'completed', source: photos });
    // A direct call (what the CLI makes) is a job too.
    const direct = await call('catalog.import', { paths: [photos] });
    expect(direct.cached).toBe(24);
    expect((await call('jobs.list', { limit: 1 })).jobs[0]).toMatchObject({ kind: 'catalog.import', state: 'completed', result: { cached: 24 } });
  });

  it('refuses a bad input at once instead of starting a job that fails', async () => {
    await expect(call('jobs.start', { kind: 'catalog.import', input: { paths: 'nope' } })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('jobs.get', { id: 999_999 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('duplicate analysis and mismatch scoring run as jobs too', async () => {
    const dupes = await call('jobs.start', { kind: 'duplicates.find', input: { tier: 'near' } });
    const mismatch = await call('jobs.start', { kind: 'mismatch.list', input: {} });
    const [d, m] = await Promise.all([call('jobs.watch', { id: dupes.id }), call('jobs.watch', { id: mismatch.id })]);
    expect(d).toMatchObject({ state: 'completed', source: 'duplicates: near' });
    expect(d.result).toHaveProperty('groups');
    expect(m.state).toBe('completed');
  });

  it('after a restart: a job the dead backend was running is interrupted with Resume, and images it left without vectors are embedded by a repair job', async () => {
    // What a killed backend leaves: a running job row of a dead process, images without their vectors.
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const db = services.catalog.db;
    db.prepare("INSERT INTO jobs (kind, state, source, input, pid, started_at) VALUES ('catalog.import', 'running', ?, ?, ?, ?)").run(photos, JSON.stringify({ paths: [photos] }), dead, Date.now());
    const victims = db.prepare('SELECT sha256, model_id, revision FROM embeddings ORDER BY sha256 LIMIT 5').all() as Array<{ sha256: string; model_id: string; revision: string }>;
    for (const v of victims) {
      db.prepare('DELETE FROM embeddings WHERE sha256 = ? AND model_id = ?').run(v.sha256, v.model_id);
      db.prepare('INSERT INTO pending_embeddings (sha256, model_id, revision, queued_at) VALUES (?, ?, ?, ?)').run(v.sha256, v.model_id, v.revision, Date.now());
    }
    expect((await call('catalog.stats', {})).pendingImages).toBe(5);
    services.close();
    services = new Services({ dbPath });

    // The first page that lists jobs after the restart sees both.
    const { jobs } = await call('jobs.list', {});
    const repair = jobs.find((j) => j.kind === 'catalog.repair');
    const interrupted = jobs.find((j) => j.state === 'interrupted');
    expect(repair).toMatchObject({ state: 'running', source: 'images waiting for vectors (demo-siglip)' });
    expect(interrupted).toMatchObject({ kind: 'catalog.import', resumable: true });
    expect(await call('jobs.watch', { id: repair!.id })).toMatchObject({ state: 'completed', result: { repaired: 5, pending: 0 } });
    const stats = await call('catalog.stats', {});
    expect(stats.pendingImages).toBe(0);
    expect(stats.models[0]?.count).toBe(stats.images);

    const resumed = await call('jobs.resume', { id: interrupted!.id });
    expect(await call('jobs.watch', { id: resumed.id })).toMatchObject({ state: 'completed', result: { cached: 24 } });
    expect(await call('jobs.get', { id: interrupted!.id })).toMatchObject({ resumedBy: resumed.id, resumable: false });
  });

  it('lookalike catalog stats lists pending images and lookalike catalog repair embeds them', async () => {
    const db = services.catalog.db;
    const victims = db.prepare('SELECT sha256, model_id, revision FROM embeddings ORDER BY sha256 DESC LIMIT 2').all() as Array<{ sha256: string; model_id: string; revision: string }>;
    for (const v of victims) {
      db.prepare('DELETE FROM embeddings WHERE sha256 = ? AND model_id = ?').run(v.sha256, v.model_id);
      db.prepare('INSERT INTO pending_embeddings (sha256, model_id, revision, queued_at) VALUES (?, ?, ?, ?)').run(v.sha256, v.model_id, v.revision, Date.now());
    }
    services.close();
    const before = (await cli(['catalog', 'stats', '--db', dbPath])).json();
    expect(before).toMatchObject({ images: 24, pendingImages: 2, pending: [{ modelId: 'demo-siglip', count: 2, failed: 0 }], models: [{ modelId: 'demo-siglip', count: 22 }] });
    const repair = await cli(['catalog', 'repair', '--db', dbPath]);
    expect(repair.code).toBe(0);
    expect(repair.json()).toMatchObject({ repaired: 2, pending: 0 });
    expect((await cli(['catalog', 'stats', '--db', dbPath])).json()).toMatchObject({ pendingImages: 0, models: [{ count: 24 }] });
    services = new Services({ dbPath });
  });
});

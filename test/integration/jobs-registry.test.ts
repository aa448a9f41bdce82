import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src-main/features/context.js';
import type { JobKind } from '../../src-main/api/schemas/jobs.js';
import { JobRegistry } from '../../src-main/features/jobs/registry.js';
import { Services } from '../../src-main/features/services.js';
import { tempDir } from './catalog-helpers.js';

/** A job body the test steps through: it reports progress when told and ends when released. */
function gatedRunner() {
  const gates = new Map<number, { step: (n: number) => void; finish: () => void; fail: (e: Error) => void }>();
  let started = 0;
  const ready: Array<(ctx: CallContext) => void> = [];
  const runner = (_kind: JobKind, _input: unknown, ctx: CallContext) =>
    new Promise<unknown>((resolve, reject) => {
      const n = ++started;
      gates.set(n, {
        step: (done) => ctx.progress({ phase: 'indexing', done, total: 10 }),
        finish: () => resolve({ ok: n }),
        fail: (e) => reject(e),
      });
      ctx.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
      ready.shift()?.(ctx);
    });
  return { runner, gate: (n: number) => gates.get(n)!, nextStart: () => new Promise<CallContext>((r) => ready.push(r)) };
}

describe('job registry', () => {
  const root = tempDir('lookalike-jobs-');
  let services: Services;
  beforeAll(() => {
    services = new Services({ dbPath: path.join(root, 'catalog.db') });
  });
  afterAll(() => {
    services.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists an analysis without its (possibly large) answer, which jobs.get gives; an import keeps its summary in the list', async () => {
    const { runner, gate, nextStart } = gatedRunner();
    const registry = new JobRegistry(services, runner);
    let started = nextStart();
    const analysis = await registry.start('duplicates.find', { tier: 'near' });
    await started;
    gate(1).finish();
    expect((await registry.watch(analysis.id, () => {}, new AbortController().signal)).result).toEqual({ ok: 1 });
    started = nextStart();
    const imported = await registry.start('catalog.import', { paths: ['/x'] });
    await started;
    gate(2).finish();
    await registry.watch(imported.id, () => {}, new AbortController().signal);
    const listed = new Map(registry.list({ kinds: ['duplicates.find', 'catalog.import'] }).map((j) => [j.id, j]));
    expect(listed.get(analysis.id)).toMatchObject({ state: 'completed', result: null, hasResult: true });
    expect(listed.get(imported.id)).toMatchObject({ state: 'completed', result: { ok: 2 }, hasResult: true });
    expect(registry.get(analysis.id)).toMatchObject({ result: { ok: 1 }, hasResult: true });
    await registry.close();
  });

  it('runs a job the caller does not wait for, streams its progress to a watcher and keeps its result', async () => {
    const { runner, gate, nextStart } = gatedRunner();
    const registry = new JobRegistry(services, runner);
    const started = nextStart();
    const job = await registry.start('catalog.import', { paths: ['/photos/shoes'], listings: '/photos/listings.csv' });
    await started;
    expect(job).toMatchObject({ kind: 'catalog.import', state: 'running', source: '/photos/shoes + listings.csv', cancellable: true, resumable: false });

    // A watcher that comes later (a reloaded page) gets the latest progress first, then the rest.
    gate(1).step(3);
    const seen: number[] = [];
    const watchAbort = new AbortController();
    const watching = registry.watch(job.id, (p) => seen.push(p.done), watchAbort.signal);
    gate(1).step(7);
    // A second watcher that leaves (a closed tab) does not stop the job.
    const leaving = new AbortController();
    const left = registry.watch(job.id, () => {}, leaving.signal);
    leaving.abort();
    expect((await left).state).toBe('running');
    gate(1).finish();
    const done = await watching;
    expect(seen).toEqual([3, 7]);
    expect(done).toMatchObject({ state: 'completed', result: { ok: 1 }, progress: { done: 7, total: 10 } });
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.startedAt);
    expect(registry.list().map((j) => [j.id, j.state])).toContainEqual([job.id, 'completed']);
  });

  it('cancels a running job; the cancelled job can be resumed once, as a new job with the same input', async () => {
    const { runner, nextStart } = gatedRunner();
    const registry = new JobRegistry(services, runner);
    const started = nextStart();
    const job = await registry.start('catalog.import', { paths: ['/a'] });
    await started;
    const cancelled = await registry.cancel(job.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', error: 'cancelled', resumable: true, cancellable: false });
    const again = nextStart();
    const resumed = await registry.resume(job.id);
    await again;
    expect(resumed).toMatchObject({ state: 'running', input: { paths: ['/a'] } });
    expect(registry.get(job.id)).toMatchObject({ resumedBy: resumed.id, resumable: false });
    await expect(registry.resume(job.id)).rejects.toThrow(/already resumed/);
    await registry.cancel(resumed.id);
  });

  it('refuses a second import while one runs, and stops a repair for an import (which finishes the same images)', async () => {
    const { runner, nextStart } = gatedRunner();
    const registry = new JobRegistry(services, runner);
    let started = nextStart();
    const repair = await registry.start('catalog.repair', {});
    await started;
    started = nextStart();
    const first = await registry.start('catalog.import', { paths: ['/a'] });
    await started;
    expect(registry.get(repair.id).state).toBe('cancelled');
    await expect(registry.start('catalog.import', { paths: ['/b'] })).rejects.toThrow(/an import is already running \(job \d+: \/a\)/);
    // Other kinds run beside an import.
    started = nextStart();
    const dupes = await registry.start('duplicates.find', { tier: 'near' });
    await started;
    expect(dupes).toMatchObject({ state: 'running', source: 'duplicates: near' });
    await registry.close();
    expect(registry.get(first.id).state).toBe('cancelled');
  });

  it('a failing job keeps its one-line error; a call run inline is listed as a job too', async () => {
    const { runner, gate, nextStart } = gatedRunner();
    const registry = new JobRegistry(services, runner);
    const started = nextStart();
    const job = await registry.start('mismatch.list', { model: 'demo-siglip' });
    await started;
    gate(1).fail(new Error('cannot load model: gone'));
    const failed = await registry.watch(job.id, () => {}, new AbortController().signal);
    expect(failed).toMatchObject({ state: 'failed', error: 'cannot load model: gone', resumable: true, source: 'title mismatch (demo-siglip)' });

    const progress: number[] = [];
    const ctx: CallContext = { services, signal: new AbortController().signal, progress: (p) => progress.push(p.done) };
    const out = await registry.runInline('catalog.loadDemo', {}, ctx, async (inner) => {
      expect(registry.isJobSignal(inner.signal)).toBe(true);
      const listed = registry.list({ kinds: ['catalog.loadDemo'] })[0];
      expect(listed).toMatchObject({ state: 'running', cancellable: true, source: 'demo catalog' });
      inner.progress({ phase: 'indexing', done: 5 });
      return 42;
    });
    expect(out).toBe(42);
    expect(progress).toEqual([5]);
    expect(registry.list({ kinds: ['catalog.loadDemo'] })[0]).toMatchObject({ state: 'completed', result: 42 });
  });

  it('a job whose process died (a crash, a restart) is shown as interrupted, with Resume', () => {
    // The pid of a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    const id = Number(
      services.catalog.db
        .prepare("INSERT INTO jobs (kind, state, source, input, pid, started_at, progress) VALUES ('catalog.import', 'running', '/p', '{\"paths\":[\"/p\"]}', ?, ?, ?)")
        .run(pid, Date.now(), JSON.stringify({ phase: 'indexing', done: 120, total: 400 })).lastInsertRowid,
    );
    const registry = new JobRegistry(services, gatedRunner().runner);
    const job = registry.get(id);
    expect(job).toMatchObject({ state: 'interrupted', resumable: true, cancellable: false, progress: { done: 120, total: 400 } });
    expect(job.error).toMatch(/backend stopped/);
  });
});

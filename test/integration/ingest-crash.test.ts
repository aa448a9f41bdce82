import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../src-main/shared/paths.js';
import { tempDir, writeJpegs } from './catalog-helpers.js';

const COUNT = 400;

function cli(args: string[]) {
  return spawn(process.execPath, [path.join(appRoot, 'bin/lookalike.js'), ...args], { cwd: appRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

function count(db: string, sql: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).pluck().get() as number;
  } finally {
    conn.close();
  }
}

describe('kill -9 in the middle of an import', () => {
  const root = tempDir();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('loses nothing committed, stays consistent and the next run resumes without embedding twice', async () => {
    const photos = path.join(root, 'photos');
    await writeJpegs(photos, COUNT);
    const db = path.join(root, 'catalog.db');

    const first = cli(['import', photos, '--db', db]);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => first.on('exit', (code, signal) => resolve({ code, signal })));
    // Kill once some batches are committed, well before the end.
    let killedAt = -1;
    while (killedAt < 0) {
      await new Promise((r) => setTimeout(r, 25));
      if (first.exitCode !== null) break;
      const done = fs.existsSync(db) ? (() => { try { return count(db, 'SELECT count(*) FROM embeddings'); } catch { return 0; } })() : 0;
      if (done >= 30) {
        first.kill('SIGKILL');
        killedAt = done;
      }
    }
    const { signal } = await exited;
    expect(signal, 'the import finished before it could be killed; the test needs more files').toBe('SIGKILL');

    const conn = new Database(db);
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(conn.pragma('foreign_key_check')).toEqual([]);
    const images = conn.prepare('SELECT count(*) FROM images').pluck().get() as number;
    const embedded = conn.prepare('SELECT count(*) FROM embeddings').pluck().get() as number;
    const files = conn.prepare('SELECT count(*) FROM image_files').pluck().get() as number;
    conn.close();
    console.info(`killed with ${images} images and ${embedded} vectors committed of ${COUNT}`);
    // `catalog stats` lists every stored image without its vector as pending: none is lost from search silently.
    const stats = spawn(process.execPath, [path.join(appRoot, 'bin/lookalike.js'), 'catalog', 'stats', '--db', db], { cwd: appRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let statsOut = '';
    stats.stdout.on('data', (d: Buffer) => (statsOut += d.toString()));
    await new Promise((resolve) => stats.on('exit', resolve));
    const before = JSON.parse(statsOut) as { images: number; pendingImages: number; models: Array<{ count: number }> };
    expect(before.images).toBe(images);
    expect(before.pendingImages).toBe(images - embedded);
    expect((before.models[0]?.count ?? 0) + before.pendingImages).toBe(before.images);
    expect(embedded).toBeGreaterThanOrEqual(killedAt);
    expect(images).toBeLessThan(COUNT);
    expect(files).toBe(images);

    const second = cli(['import', photos, '--db', db]);
    let stdout = '';
    second.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { indexed: number; cached: number; failed: unknown[]; embedded: Record<string, number> };
    expect(summary.failed).toEqual([]);
    // Everything the killed run committed comes back as cached; only the rest is embedded.
    expect(summary.cached).toBe(embedded);
    expect(summary.indexed).toBe(COUNT - embedded);
    expect(Object.values(summary.embedded)).toEqual([COUNT - embedded]);

    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT count(*) FROM images').pluck().get()).toBe(COUNT);
    expect(after.prepare('SELECT count(*) FROM embeddings').pluck().get()).toBe(COUNT);
    expect(after.prepare('SELECT count(DISTINCT sha256) FROM embeddings').pluck().get()).toBe(COUNT);
    expect(after.prepare('SELECT count(*) FROM pending_embeddings').pluck().get()).toBe(0);
    expect(after.prepare('SELECT status FROM ingest_runs ORDER BY id').pluck().all()).toEqual(['interrupted', 'completed']);
    after.close();
  }, 180_000);
});

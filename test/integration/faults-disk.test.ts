import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeError } from '../../src-main/api/errors.js';
import { AppError } from '../../src-main/shared/errors.js';
import { invoke } from '../../src-main/dispatch/invoke.js';
import { handlers } from '../../src-main/dispatch/handlers.js';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { openCatalog } from '../../src-main/features/schema.js';
import { ingest } from '../../src-main/catalog/ingest.js';
import { AnnIndex, annFiles } from '../../src-main/index/ann.js';
import { VectorMatrix } from '../../src-main/index/matrix.js';
import { appRoot } from '../../src-main/shared/paths.js';
import { Services } from '../../src-main/features/services.js';
import { tempDir, testEmbedder, writeJpegs } from './catalog-helpers.js';

/**
 * Storage that refuses writes: a read-only catalog (file, folder) and a full disk. Root ignores
 * file modes, so when the tests run as root (CI) the CLI runs as the unprivileged `nobody`.
 */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Integrity, row counts and bytes of a catalog, read without writing to it. */
function snapshot(db: string) {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const tables = conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    return {
      integrity: conn.pragma('integrity_check', { simple: true }),
      counts: Object.fromEntries(tables.map((t) => [t, conn.prepare(`SELECT count(*) FROM "${t}"`).pluck().get()])),
    };
  } finally {
    conn.close();
  }
}

function chownTree(dir: string, uid: number): void {
  fs.chownSync(dir, uid, uid);
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) fs.chownSync(path.join(dir, entry), uid, uid);
}

describe('a read-only catalog', () => {
  // Made in beforeAll, so that a run filtered to other tests leaves no folder behind.
  let root: string;
  let home: string;
  let photos: string;
  let source: string;
  let before: ReturnType<typeof snapshot>;
  let sourceSha: string;

  /** The CLI in a child process, as `nobody` when this process is root. */
  function lookalike(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [path.join(appRoot, 'bin/lookalike.js'), ...args], {
      cwd: appRoot,
      env: { ...process.env, HOME: home, LOOKALIKE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  /** The CLI's own lines on stderr (onnxruntime may print a native warning while loading a model). */
  function cliLines(stderr: string): string[] {
    expect(stderr).not.toMatch(/SqliteError|at .*\.ts:/);
    return stderr.split('\n').filter((line) => line.startsWith('lookalike '));
  }

  /** A copy of the catalog whose file is 0444 and whose folder has `folderMode`. */
  function readOnlyCopy(name: string, folderMode: number): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    const db = path.join(dir, 'catalog.db');
    fs.copyFileSync(source, db);
    if (asRoot) chownTree(dir, NOBODY);
    fs.chmodSync(db, 0o444);
    fs.chmodSync(dir, folderMode);
    return db;
  }

  beforeAll(async () => {
    root = tempDir('lookalike-readonly-');
    home = path.join(root, 'home');
    photos = path.join(root, 'photos');
    source = path.join(root, 'source', 'catalog.db');
    await writeJpegs(photos, 6);
    const catalog = openCatalog(source);
    await ingest(catalog, { paths: [photos], embedders: [testEmbedder()] });
    catalog.close(); // checkpoints: no -wal or -shm left beside it
    expect(fs.readdirSync(path.dirname(source))).toEqual(['catalog.db']);
    before = snapshot(source);
    sourceSha = sha256(source);
    fs.mkdirSync(home);
    // The other user must be able to reach the repository, the photos and the copies.
    fs.chmodSync(root, 0o755);
    if (asRoot) chownTree(home, NOBODY);
    const probe = await lookalike(['--version']);
    expect(probe.code, `the CLI cannot run as uid ${NOBODY} (can it read ${appRoot} and node_modules?): ${probe.stderr}`).toBe(0);
  });

  afterAll(() => {
    for (const entry of fs.readdirSync(root)) fs.chmodSync(path.join(root, entry), 0o755);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('file and folder read-only: import and stats exit 1 with one line saying why; the file is unchanged', async () => {
    const db = readOnlyCopy('sealed', 0o555);
    const imported = await lookalike(['import', photos, '--db', db]);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toBe('');
    const why = `the catalog database ${db} is read-only (its folder is read-only, and SQLite needs to create catalog.db-shm there even to read it)`;
    expect(cliLines(imported.stderr)).toEqual([
      `lookalike import: ${why}: it could not be opened; make the file and its folder writable, or copy the catalog to a writable folder`,
    ]);
    // A WAL catalog cannot be read without its -shm index either: the same line, not a raw SQLite error.
    const stats = await lookalike(['catalog', 'stats', '--db', db]);
    expect(stats.code).toBe(1);
    expect(cliLines(stats.stderr)).toEqual([
      `lookalike catalog: ${why}: it could not be opened; make the file and its folder writable, or copy the catalog to a writable folder`,
    ]);
    expect(fs.readdirSync(path.dirname(db))).toEqual(['catalog.db']);
    expect(sha256(db)).toBe(sourceSha);
    expect(snapshot(db)).toEqual(before);
  });

  it('file read-only in a writable folder: stats still work; an import exits 1 with one line and changes nothing', async () => {
    const db = readOnlyCopy('locked', 0o755);
    const stats = await lookalike(['catalog', 'stats', '--db', db]);
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ images: 6, tables: before.counts });

    const more = path.join(root, 'more');
    await writeJpegs(more, 2, 100);
    const imported = await lookalike(['import', more, '--db', db]);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toBe('');
    expect(cliLines(imported.stderr)).toEqual([
      `lookalike import: the catalog database ${db} is read-only (no permission to write it): nothing was imported; make the file and its folder writable, or copy the catalog to a writable folder`,
    ]);
    expect(sha256(db)).toBe(sourceSha);
    expect(snapshot(db)).toEqual(before);
  }, 120_000);
});

describe('a full disk', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('lookalike-full-');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const COUNT = 120;

  /** SQLite's page limit fails writes with SQLITE_FULL, exactly as a full disk does. */
  function fillUp(catalog: Catalog, spareKiB: number): void {
    const pageSize = catalog.db.pragma('page_size', { simple: true }) as number;
    const pages = catalog.db.pragma('page_count', { simple: true }) as number;
    catalog.db.pragma(`max_page_count = ${pages + Math.ceil((spareKiB * 1024) / pageSize)}`);
  }

  function freeSpace(catalog: Catalog): void {
    catalog.db.pragma('max_page_count = 1073741823');
  }

  it('stops an import with one clear line, keeps every committed batch intact, and the next run resumes', async () => {
    const photos = path.join(root, 'photos');
    await writeJpegs(photos, COUNT);
    const dbPath = path.join(root, 'catalog.db');
    const catalog = openCatalog(dbPath);
    try {
      const model = testEmbedder();
      fillUp(catalog, 64);
      const failure = await ingest(catalog, { paths: [photos], embedders: [model], commitOps: 8 }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(AppError);
      const { code, message } = serializeError(failure);
      expect(code).toBe('failed');
      const kept = catalog.imageCount();
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(COUNT);
      expect(message).toBe(
        `the disk holding the catalog database ${dbPath} is full (SQLITE_FULL): the import stopped; everything committed before is kept ` +
          `(the catalog holds ${kept} images) and the next run resumes from there; free some space and run it again`,
      );

      const db = catalog.db;
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      // Each committed image has its file row and thumbnail: batches landed whole or not at all.
      expect(db.prepare('SELECT count(*) FROM image_files').pluck().get()).toBe(kept);
      expect(db.prepare('SELECT count(*) FROM thumbnails').pluck().get()).toBe(kept);
      const vectors = catalog.embeddingCount(model.id, model.revision);
      expect(vectors).toBeLessThanOrEqual(kept);
      expect(db.prepare('SELECT status, message FROM ingest_runs').all()).toEqual([{ status: 'failed', message }]);

      freeSpace(catalog);
      const resumed = await ingest(catalog, { paths: [photos], embedders: [model], commitOps: 8 });
      expect(resumed.failed).toEqual([]);
      expect(resumed.cached).toBe(vectors);
      expect(resumed.indexed).toBe(COUNT - vectors);
      expect(resumed.embedded).toEqual({ [model.id]: COUNT - vectors });
      expect(catalog.imageCount()).toBe(COUNT);
      expect(db.prepare('SELECT count(DISTINCT sha256) FROM embeddings').pluck().get()).toBe(COUNT);
      expect(db.prepare('SELECT status FROM ingest_runs ORDER BY id').pluck().all()).toEqual(['failed', 'completed']);
    } finally {
      catalog.close();
    }
  }, 120_000);

  it('reaches the API caller (HTTP, desktop UI) as a failed AppError with the same line', async () => {
    const photos = path.join(root, 'api-photos');
    await writeJpegs(photos, 24, 500);
    const dbPath = path.join(root, 'api', 'catalog.db');
    const services = new Services({ dbPath });
    try {
      fillUp(services.catalog, 16);
      const ctx = { services, signal: new AbortController().signal, progress: () => {} };
      const failure = await invoke(handlers, 'catalog.import', { paths: [photos] }, ctx).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(serializeError(failure)).toEqual({
        code: 'failed',
        message: expect.stringMatching(new RegExp(`^the disk holding the catalog database ${dbPath} is full \\(SQLITE_FULL\\): the import stopped;`)),
      });
      expect(services.catalog.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      services.close();
    }
  }, 120_000);

  it('a failed vector index save (ENOSPC) leaves the saved index as it was and no temp files', async () => {
    const dir = path.join(root, 'ann');
    fs.mkdirSync(dir);
    const files = annFiles(path.join(dir, 'catalog.db'), 'test-model', 'r1');
    const identity = { modelId: 'test-model', revision: 'r1' };
    const dim = 8;
    const matrix = new VectorMatrix(dim, 64);
    const vector = (i: number) => Float32Array.from({ length: dim }, (_, j) => Math.sin(i * 7 + j));
    for (let i = 0; i < 32; i++) matrix.set(i.toString(16).padStart(64, '0'), vector(i));
    const ann = AnnIndex.empty(dim);
    await ann.addRows(matrix, Array.from({ length: 32 }, (_, r) => r));
    ann.save(files, matrix, identity);
    const saved = Object.values(files).map(sha256);

    for (let i = 32; i < 48; i++) matrix.set(i.toString(16).padStart(64, '0'), vector(i));
    await ann.addRows(matrix, Array.from({ length: 16 }, (_, r) => 32 + r));
    // Writes through this temp name land on /dev/full, which fails every write with ENOSPC.
    fs.symlinkSync('/dev/full', `${files.keys}.tmp-${process.pid}`);
    expect(() => ann.save(files, matrix, identity)).toThrow(`cannot save the vector index ${files.index}: the disk is full (any index saved before is unchanged)`);
    expect(fs.readdirSync(dir).sort()).toEqual(Object.values(files).map((f) => path.basename(f)).sort());
    expect(Object.values(files).map(sha256)).toEqual(saved);
    const loaded = AnnIndex.load(files, { ...identity, dim });
    expect('index' in loaded && loaded.index.size()).toBe(32);
  });
});

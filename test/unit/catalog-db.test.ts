import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../src-main/catalog/catalog.js';
import { migrations, openCatalog } from '../../src-main/features/schema.js';
import { migrate } from '../../src-main/catalog/migrations.js';
import { decodeVector, encodeVector } from '../../src-main/catalog/vectors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookalike-catalog-db-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('catalog database', () => {
  it('opens in WAL mode with foreign keys and records every migration once', () => {
    const file = path.join(dir, 'a.db');
    const catalog = openCatalog(file);
    expect(catalog.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(catalog.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const ids = catalog.db.prepare('SELECT id FROM schema_migrations ORDER BY rowid').pluck().all();
    expect(ids).toEqual(migrations.map((m) => m.id));
    catalog.close();
    // Re-opening applies nothing new.
    const db = new Database(file);
    expect(migrate(db, migrations)).toEqual([]);
    db.close();
  });

  it('a catalog from before pending vectors lists its images without a vector of an embedded model as pending', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    // The schema as it was: every migration before 0002-pending-and-reports.
    const before = migrations.slice(0, migrations.findIndex((m) => m.id === '0002-pending-and-reports'));
    migrate(db, before);
    const image = db.prepare("INSERT INTO images (sha256, byte_size, width, height, format, created_at) VALUES (?, 1, 1, 1, 'jpeg', 0)");
    const vector = db.prepare("INSERT INTO embeddings (sha256, model_id, revision, dim, vector, created_at) VALUES (?, 'demo-siglip', 'r1', 1, x'0000803f', 0)");
    for (const sha of ['a', 'b', 'c', 'd', 'e']) image.run(sha.repeat(64));
    for (const sha of ['a', 'b', 'c']) vector.run(sha.repeat(64));
    db.prepare("INSERT INTO ingest_runs (pid, started_at, status, inputs) VALUES (1, 0, 'completed', '{}')").run();
    db.prepare("INSERT INTO ingest_errors (run_id, path, error, at) VALUES (1, 'listings.csv:12', 'no id or sku', 0), (1, '/p/x.jpg', 'not an image', 0)").run();
    migrate(db, migrations);
    expect(db.prepare('SELECT sha256, model_id, revision FROM pending_embeddings ORDER BY sha256').all()).toEqual([
      { sha256: 'd'.repeat(64), model_id: 'demo-siglip', revision: 'r1' },
      { sha256: 'e'.repeat(64), model_id: 'demo-siglip', revision: 'r1' },
    ]);
    expect(db.prepare('SELECT path, kind FROM ingest_errors ORDER BY path').all()).toEqual([
      { path: '/p/x.jpg', kind: 'file' },
      { path: 'listings.csv:12', kind: 'row' },
    ]);
    db.close();
  });

  it('applies an added migration once, and rolls back a failing one whole', () => {
    const db = new Database(':memory:');
    migrate(db, migrations);
    const extra = [...migrations, { id: '9999-test', sql: 'CREATE TABLE test_decisions (a TEXT PRIMARY KEY)' }];
    expect(migrate(db, extra)).toEqual(['9999-test']);
    expect(migrate(db, extra)).toEqual([]);
    const broken = [...extra, { id: '9999-broken', sql: 'CREATE TABLE half (a); CREATE TABLE half (a);' }];
    expect(() => migrate(db, broken)).toThrow(/already exists/);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('stores vectors as exact little-endian float32', () => {
    const v = new Float32Array([0.1, -0.2, 1 / 3, 1e-8]);
    const blob = encodeVector(v.subarray(1, 3));
    expect(blob.byteLength).toBe(8);
    expect(Array.from(decodeVector(blob, 2))).toEqual(Array.from(v.subarray(1, 3)));
    expect(blob.readFloatLE(0)).toBe(v[1]);
    expect(() => decodeVector(blob, 3)).toThrow(/corrupt/);
  });

  it('refuses embeddings and files for images it does not hold', () => {
    const catalog = openCatalog(path.join(dir, 'b.db'));
    expect(() => catalog.putEmbeddings('m', 'r', [{ sha256: 'f'.repeat(64), vector: new Float32Array(4) }])).toThrow(/FOREIGN KEY/);
    expect(catalog.embeddingCount('m', 'r')).toBe(0);
    catalog.close();
  });
});

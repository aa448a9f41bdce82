import type Database from 'better-sqlite3';

/**
 * One schema change. Migrations run once each, in array order, inside a transaction, and are
 * recorded by id in `schema_migrations`. Ids (not bare numbers) let several features add theirs
 * without colliding. The catalog owns the two below; every layer's migrations are assembled, in
 * shipped order, in features/schema.ts: adding a table is one line appended there.
 */
export interface Migration {
  id: string;
  sql: string;
}

const catalogSchema = /* sql */ `
CREATE TABLE listings (
  id          TEXT PRIMARY KEY,
  sku         TEXT,
  title       TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  category    TEXT,
  price       REAL,
  seller      TEXT,
  url         TEXT,
  source      TEXT,             -- listing file the row came from
  updated_at  INTEGER NOT NULL  -- ms since epoch
);

-- One row per distinct content (sha256 of the file bytes): the unit that is embedded once.
CREATE TABLE images (
  sha256     TEXT PRIMARY KEY,
  byte_size  INTEGER NOT NULL,
  width      INTEGER NOT NULL,
  height     INTEGER NOT NULL,
  format     TEXT NOT NULL,     -- sharp's format name: jpeg, png, webp, gif, tiff, heif
  created_at INTEGER NOT NULL
);

-- Where content was seen on disk. path+size+mtime unchanged lets a re-index skip a file unread;
-- a renamed or moved file gets a new row pointing at the same content (and its vectors).
CREATE TABLE image_files (
  path      TEXT PRIMARY KEY,
  name      TEXT NOT NULL,      -- base name, to match bare file names in listing files
  sha256    TEXT NOT NULL REFERENCES images(sha256) ON DELETE CASCADE,
  byte_size INTEGER NOT NULL,
  mtime_ms  INTEGER NOT NULL,
  seen_at   INTEGER NOT NULL
);
CREATE INDEX image_files_sha256 ON image_files(sha256);
CREATE INDEX image_files_name ON image_files(name);

-- Kept apart from images so that scans of images stay small.
CREATE TABLE thumbnails (
  sha256 TEXT PRIMARY KEY REFERENCES images(sha256) ON DELETE CASCADE,
  mime   TEXT NOT NULL,
  bytes  BLOB NOT NULL
);

CREATE TABLE listing_images (
  listing_id TEXT NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  sha256     TEXT NOT NULL REFERENCES images(sha256) ON DELETE CASCADE,
  PRIMARY KEY (listing_id, position)
);
CREATE INDEX listing_images_sha256 ON listing_images(sha256);

-- vector: dim float32 values, little-endian (see vectors.ts for why float32).
CREATE TABLE embeddings (
  sha256     TEXT NOT NULL REFERENCES images(sha256) ON DELETE CASCADE,
  model_id   TEXT NOT NULL,
  revision   TEXT NOT NULL,
  dim        INTEGER NOT NULL,
  vector     BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (model_id, revision, sha256)
);

CREATE TABLE ingest_runs (
  id          INTEGER PRIMARY KEY,
  pid         INTEGER NOT NULL,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
  inputs      TEXT NOT NULL,    -- JSON: {paths, listings, models}
  files_seen  INTEGER NOT NULL DEFAULT 0,
  indexed     INTEGER NOT NULL DEFAULT 0,
  cached      INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  message     TEXT
);

CREATE TABLE ingest_errors (
  run_id INTEGER NOT NULL REFERENCES ingest_runs(id) ON DELETE CASCADE,
  path   TEXT NOT NULL,         -- a file, or "listings.csv:12" for a listing row
  error  TEXT NOT NULL,
  at     INTEGER NOT NULL
);
CREATE INDEX ingest_errors_run ON ingest_errors(run_id);
`;

/**
 * Images waiting for a vector (an import cancelled or killed between storing an image and its
 * vector), and import reports that count problems apart from failed files. Catalogs imported
 * before this have their images without a vector of an embedded model listed as pending.
 */
const pendingAndReportsSchema = /* sql */ `
CREATE TABLE pending_embeddings (
  sha256    TEXT NOT NULL REFERENCES images(sha256) ON DELETE CASCADE,
  model_id  TEXT NOT NULL,
  revision  TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  error     TEXT,               -- the model could not embed it (kept pending, retried by the next import)
  PRIMARY KEY (model_id, revision, sha256)
);
INSERT OR IGNORE INTO pending_embeddings (sha256, model_id, revision, queued_at)
  SELECT i.sha256, m.model_id, m.revision, CAST(strftime('%s', 'now') AS INTEGER) * 1000
  FROM images i CROSS JOIN (SELECT DISTINCT model_id, revision FROM embeddings) m
  WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.sha256 = i.sha256 AND e.model_id = m.model_id AND e.revision = m.revision);

ALTER TABLE ingest_runs ADD COLUMN listings INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_runs ADD COLUMN problems INTEGER NOT NULL DEFAULT 0;  -- listing rows with a problem + image references not found
-- 'file' (a file that failed), 'row' (a listing row with a problem), 'missing' (a listing's image not found)
ALTER TABLE ingest_errors ADD COLUMN kind TEXT NOT NULL DEFAULT 'file';
UPDATE ingest_errors SET kind = 'row' WHERE path NOT LIKE '%/%' AND path NOT LIKE '%\\%' AND path GLOB '*:[0-9]*';
`;

export const catalogMigration: Migration = { id: '0001-catalog', sql: catalogSchema };
export const pendingAndReportsMigration: Migration = { id: '0002-pending-and-reports', sql: pendingAndReportsSchema };

/** Applies the migrations of `list` a database has not seen yet, in order; returns the ids it applied. */
export function migrate(db: Database.Database, list: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const applied: string[] = [];
  for (const m of list) {
    if (done.has(m.id)) continue;
    // IMMEDIATE: two processes opening a fresh catalog at once must not both run a migration.
    db.transaction(() => {
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(m.id)) return;
      db.exec(m.sql);
      record.run(m.id, Date.now());
      applied.push(m.id);
    }).immediate();
  }
  return applied;
}

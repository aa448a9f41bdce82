import type { Migration } from '../../catalog/migrations.js';

/**
 * Tables of the duplicate-listing feature, added to the catalog through its migration list.
 * Images are named by content sha256 everywhere, so hashes and decisions survive renames and
 * re-imports, and go away with the image (ON DELETE CASCADE).
 */
export const duplicatesMigration: Migration = {
  id: '0100-duplicates',
  sql: /* sql */ `
-- Perceptual hashes per image (see features/duplicates/image-hash.ts); 64-bit hashes as 16 hex digits.
CREATE TABLE dup_hashes (
  sha256            TEXT PRIMARY KEY REFERENCES images(sha256) ON DELETE CASCADE,
  version           INTEGER NOT NULL,
  pixel_sha         TEXT NOT NULL,
  phash             TEXT NOT NULL,
  phash_trim        TEXT NOT NULL,
  trim_box          TEXT NOT NULL,  -- JSON [x0, y0, x1, y1], fractions of the frame
  crop_hashes       TEXT NOT NULL,  -- 143 sub-region pHashes, 16 hex digits each
  phash_mirror      TEXT NOT NULL,
  phash_trim_mirror TEXT NOT NULL,
  computed_at       INTEGER NOT NULL
);
CREATE INDEX dup_hashes_pixel ON dup_hashes(pixel_sha);

-- A user's verdict on a pair of images (a < b): 'duplicate' or 'not_duplicate'.
CREATE TABLE dup_pair_decisions (
  a          TEXT NOT NULL REFERENCES images(sha256) ON DELETE CASCADE,
  b          TEXT NOT NULL REFERENCES images(sha256) ON DELETE CASCADE,
  decision   TEXT NOT NULL CHECK (decision IN ('duplicate', 'not_duplicate')),
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
);

-- Images the user chose to keep (the original of their group).
CREATE TABLE dup_keeps (
  sha256     TEXT PRIMARY KEY REFERENCES images(sha256) ON DELETE CASCADE,
  decided_at INTEGER NOT NULL
);
`,
};

/**
 * The crop alignment signature (alignment.ts) beside the hashes. Rows written before it have no
 * signature: HASH_VERSION 2 marks them stale, so the next duplicates call recomputes them.
 */
export const duplicatesAlignMigration: Migration = {
  id: '0101-duplicates-align',
  sql: /* sql */ `
ALTER TABLE dup_hashes ADD COLUMN align_thumb BLOB NOT NULL DEFAULT x'';  -- 32x32 grey + 8x8 Cb + 8x8 Cr bytes
ALTER TABLE dup_hashes ADD COLUMN aspect REAL NOT NULL DEFAULT 1;          -- width / height after EXIF orientation
`,
};

/**
 * The feature's tables named like the feature (they were dup_*). Rows stay; the pixel index is
 * rebuilt under the new name (an index keeps its name through ALTER TABLE ... RENAME).
 */
export const duplicatesRenameMigration: Migration = {
  id: '0102-duplicates-rename',
  sql: /* sql */ `
ALTER TABLE dup_hashes RENAME TO duplicates_hashes;
ALTER TABLE dup_pair_decisions RENAME TO duplicates_pair_decisions;
ALTER TABLE dup_keeps RENAME TO duplicates_keeps;
DROP INDEX dup_hashes_pixel;
CREATE INDEX duplicates_hashes_pixel ON duplicates_hashes(pixel_sha);
`,
};

/**
 * The candidate graph of each model (finder.ts), kept in the catalog: the job that prepares it
 * after an import, and a restarted backend, hand it to the first Duplicates visit instead of that
 * visit building it. The index makes counting the current hashes (and their latest write) cheap.
 */
export const duplicatesGraphMigration: Migration = {
  id: '0103-duplicates-graph',
  sql: /* sql */ `
CREATE TABLE duplicates_graphs (
  model      TEXT PRIMARY KEY,  -- model id; '' when grouped by hashes only
  revision   TEXT NOT NULL,
  key        TEXT NOT NULL,     -- the catalog state it was built from (finder.ts graphKey)
  format     INTEGER NOT NULL,  -- graph-codec.ts GRAPH_FORMAT
  built_at   INTEGER NOT NULL,  -- when its build started: hashes written since are not in it
  pairs      INTEGER NOT NULL,
  nodes      BLOB NOT NULL,     -- sha256 of each node, 32 bytes each, in node order
  data       BLOB NOT NULL      -- the pairs' columns
);
CREATE INDEX duplicates_hashes_version ON duplicates_hashes(version, computed_at);
`,
};

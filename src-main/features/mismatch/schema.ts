import type { Migration } from '../../catalog/migrations.js';

/** Tables of the mismatch feature (scores, cached text vectors, decisions); appended to catalog/migrations.ts. */
export const mismatchMigration: Migration = {
  id: '0100-mismatch',
  sql: /* sql */ `
-- Text vectors (titles, category prompts, labels) per model revision, keyed by sha256 of the text.
CREATE TABLE mismatch_text_embeddings (
  model_id   TEXT NOT NULL,
  revision   TEXT NOT NULL,
  text_sha   TEXT NOT NULL,
  dim        INTEGER NOT NULL,
  vector     BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, revision, text_sha)
);

-- One score per listing and model revision. A row is stale (and recomputed) when the listing's
-- title or main image changed, or, for the CLIP relative score, when the category set changed.
CREATE TABLE mismatch_scores (
  listing_id     TEXT NOT NULL REFERENCES listings(id) ON DELETE CASCADE,
  model_id       TEXT NOT NULL,
  revision       TEXT NOT NULL,
  sha256         TEXT NOT NULL,   -- the image scored: the listing's first image
  text           TEXT NOT NULL,   -- the text scored: the title as it was
  cosine         REAL NOT NULL,
  probability    REAL,            -- sigmoid(scale*cos+bias); SigLIP packs only
  relative_score REAL,            -- softmax of the title among category prompts; CLIP packs only
  prompts_sha    TEXT,            -- the category prompt set relative_score was computed against
  computed_at    INTEGER NOT NULL,
  PRIMARY KEY (model_id, revision, listing_id)
);
CREATE INDEX mismatch_scores_probability ON mismatch_scores(model_id, revision, probability);
CREATE INDEX mismatch_scores_relative ON mismatch_scores(model_id, revision, relative_score);

-- Moderator decisions, append-only: undo marks a row undone instead of deleting it. A listing's
-- current decision is its newest row not undone, and only while the title is still the one decided on.
CREATE TABLE mismatch_decisions (
  id             INTEGER PRIMARY KEY,
  listing_id     TEXT NOT NULL,
  decision       TEXT NOT NULL CHECK (decision IN ('accept', 'flag', 'skip')),
  title          TEXT NOT NULL,
  model_id       TEXT,
  probability    REAL,
  relative_score REAL,
  note           TEXT,
  decided_at     INTEGER NOT NULL,
  undone_at      INTEGER
);
CREATE INDEX mismatch_decisions_listing ON mismatch_decisions(listing_id, id);
`,
};

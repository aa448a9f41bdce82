import type { Migration } from '../../catalog/migrations.js';

/**
 * Long work the backend owns (imports, duplicate analysis, mismatch scoring, catalog comparison):
 * one row per job, so any window, tab or process sees what runs, and a job whose process died is
 * shown as interrupted with what it was started with (to resume it).
 */
export const jobsMigration: Migration = {
  id: '0200-jobs',
  sql: /* sql */ `
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,     -- the API method the job runs: catalog.import, duplicates.find, ...
  state       TEXT NOT NULL CHECK (state IN ('running', 'completed', 'failed', 'cancelled', 'interrupted')),
  source      TEXT NOT NULL DEFAULT '',  -- what it works on, for people: folders, listing file, model
  input       TEXT NOT NULL,     -- JSON: the method's input, to resume
  pid         INTEGER NOT NULL,  -- process running it; a dead pid means interrupted
  started_at  INTEGER NOT NULL,
  finished_at INTEGER,
  progress    TEXT,              -- JSON Progress, saved about once a second
  result      TEXT,              -- JSON, for imports (their summary); other results stay in memory
  error       TEXT,
  resumed_by  INTEGER
);
CREATE INDEX jobs_state ON jobs(state);
`,
};

import type { Progress } from '../shared/progress.js';
import type { Catalog } from './catalog.js';
import type { IngestWriter, RunCounts } from './ingest-writer.js';

/** Failures and missing listing images kept for the summary; the run's counts keep counting past it. */
export const REPORT_LIMIT = 1000;

/** What every stage of one import shares; ingest() builds it once per run. */
export interface IngestContext {
  catalog: Catalog;
  writer: IngestWriter;
  /** The run's counts, committed with each batch the writer commits. */
  counts: RunCounts;
  signal: AbortSignal;
  report: (p: Progress) => void;
  /** Counts and records a file that could not be imported; `forgetFile`: the path no longer maps to what it held before. */
  fail(file: string, error: string, forgetFile?: boolean): void;
}

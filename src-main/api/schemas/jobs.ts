import { z } from 'zod';
import { method } from '../method.js';
import { Progress } from './common.js';

/** The API methods that can run as a job the backend owns (started by jobs.start, or by calling them). */
export const JobKind = z.enum(['catalog.import', 'catalog.loadDemo', 'catalog.repair', 'duplicates.find', 'duplicates.prepare', 'mismatch.list', 'compare.catalog']);
export type JobKind = z.infer<typeof JobKind>;

export const JobState = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted']);
export type JobState = z.infer<typeof JobState>;

export const JobInfo = z.object({
  id: z.number(),
  kind: JobKind,
  state: JobState,
  /** What the job works on, for people: the folders and listing file of an import, the model, ... */
  source: z.string(),
  /** The input it was started with (resume starts a new job with it). */
  input: z.unknown(),
  progress: Progress.nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  /** The method's output once completed (imports keep theirs across restarts; other kinds while the backend runs). */
  result: z.unknown().nullable(),
  /** Whether the output is kept; jobs.list leaves out the outputs of analyses (large), jobs.get has it. */
  hasResult: z.boolean(),
  error: z.string().nullable(),
  /** Run by this backend, so jobs.cancel can stop it (false for an import a CLI process runs). */
  cancellable: z.boolean(),
  /** Interrupted, cancelled or failed and not resumed yet: jobs.resume starts it again. */
  resumable: z.boolean(),
  resumedBy: z.number().nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

const JobId = z.object({ id: z.number().int().positive() }).strict();

export const jobsMethods = {
  'jobs.start': method({
    summary: 'Start long work (an import, duplicate analysis, mismatch scoring, catalog comparison) as a job the backend owns; returns at once.',
    input: z.object({ kind: JobKind, input: z.record(z.string(), z.unknown()).default({}) }).strict(),
    output: JobInfo,
  }),
  'jobs.list': method({
    summary: 'Jobs, newest first: running ones (in any process) and recent finished, cancelled, failed or interrupted ones.',
    input: z.object({ kinds: z.array(JobKind).max(10).optional(), limit: z.number().int().min(1).max(200).default(20) }).strict(),
    output: z.object({ jobs: z.array(JobInfo) }),
  }),
  'jobs.get': method({ summary: 'One job, with its progress or result.', input: JobId, output: JobInfo }),
  'jobs.watch': method({
    summary: "Streams a job's progress and returns it once it ends; closing the call only stops watching, the job goes on.",
    input: JobId,
    output: JobInfo,
  }),
  'jobs.cancel': method({ summary: 'Cancel a running job; what it finished is kept (an import resumes from there).', input: JobId, output: JobInfo }),
  'jobs.resume': method({ summary: 'Start an interrupted, cancelled or failed job again with the same input; returns the new job.', input: JobId, output: JobInfo }),
};

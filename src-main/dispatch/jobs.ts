import { contract } from '../api/contract.js';
import { AppError } from '../shared/errors.js';
import type { Handler } from '../features/context.js';
import { type JobRunner, jobsOf } from '../features/jobs/registry.js';

type JobsMethod = 'jobs.start' | 'jobs.list' | 'jobs.get' | 'jobs.watch' | 'jobs.cancel' | 'jobs.resume';

/** The jobs methods; `run` runs a job's method through the same dispatch as every front door. */
export function jobsHandlers(run: JobRunner): { [M in JobsMethod]: Handler<M> } {
  return { 'jobs.start': jobsStart(run), 'jobs.list': jobsList(run), 'jobs.get': jobsGet, 'jobs.watch': jobsWatch, 'jobs.cancel': jobsCancel, 'jobs.resume': jobsResume(run) };
}

const jobsStart = (run: JobRunner): Handler<'jobs.start'> => async ({ kind, input }, { services }) => {
  // Checked now, so a bad input is the caller's error rather than a job that fails at once.
  const parsed = contract[kind].input.safeParse(input);
  if (!parsed.success) throw new AppError('bad_request', `invalid input for ${kind}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return jobsOf(services).start(kind, input, run);
};

const jobsList = (run: JobRunner): Handler<'jobs.list'> => async (input, { services }) => {
  const registry = jobsOf(services);
  // A page listing jobs means a backend serving a UI: images an earlier import left without
  // vectors are embedded now, in a job the page shows (the CLI never lists jobs).
  await registry.startupRepair(run);
  return { jobs: registry.list(input) };
};

const jobsGet: Handler<'jobs.get'> = async ({ id }, { services }) => jobsOf(services).get(id);

const jobsWatch: Handler<'jobs.watch'> = async ({ id }, { services, progress, signal }) => jobsOf(services).watch(id, progress, signal);

const jobsCancel: Handler<'jobs.cancel'> = async ({ id }, { services }) => jobsOf(services).cancel(id);

const jobsResume = (run: JobRunner): Handler<'jobs.resume'> => async ({ id }, { services }) => jobsOf(services).resume(id, run);

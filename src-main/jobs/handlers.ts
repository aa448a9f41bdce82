import { contract } from '../api/contract.js';
import { ApiError } from '../api/errors.js';
import { type Handler, invoke } from '../api/handler.js';
import { handlers } from '../api/handlers.js';
import type { Services } from '../services.js';
import { type JobRegistry, jobsOf } from './registry.js';

/** The backend's job registry; a job runs its method through the same dispatch as every front door. */
export function jobs(services: Services): JobRegistry {
  return jobsOf(services, (kind, input, ctx) => invoke(handlers, kind, input, ctx));
}

export const jobsStart: Handler<'jobs.start'> = async ({ kind, input }, { services }) => {
  // Checked now, so a bad input is the caller's error rather than a job that fails at once.
  const parsed = contract[kind].input.safeParse(input);
  if (!parsed.success) throw new ApiError('bad_request', `invalid input for ${kind}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return jobs(services).start(kind, input);
};

export const jobsList: Handler<'jobs.list'> = async (input, { services }) => {
  const registry = jobs(services);
  // A page listing jobs means a backend serving a UI: images an earlier import left without
  // vectors are embedded now, in a job the page shows (the CLI never lists jobs).
  await registry.startupRepair();
  return { jobs: registry.list(input) };
};

export const jobsGet: Handler<'jobs.get'> = async ({ id }, { services }) => jobs(services).get(id);

export const jobsWatch: Handler<'jobs.watch'> = async ({ id }, { services, progress, signal }) => jobs(services).watch(id, progress, signal);

export const jobsCancel: Handler<'jobs.cancel'> = async ({ id }, { services }) => jobs(services).cancel(id);

export const jobsResume: Handler<'jobs.resume'> = async ({ id }, { services }) => jobs(services).resume(id);

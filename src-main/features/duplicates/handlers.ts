import type { Handler } from '../../features/context.js';
import { jobsOf } from '../jobs/registry.js';
import { AppError } from '../../shared/errors.js';
import { againstToCsv, decisionsToCsv, decisionsToJson, groupsToCsv, groupsToJson, listingsToCsv } from './export.js';

export const duplicatesFind: Handler<'duplicates.find'> = async (input, { services, progress, signal }) =>
  services.duplicates.find(input, { progress, signal });

export const duplicatesDecide: Handler<'duplicates.decide'> = async (input, { services }) => {
  const finder = services.duplicates;
  if ('unkeep' in input) return finder.decide([], { sha: input.unkeep, value: false });
  if ('group' in input) {
    const { keep, duplicates, notDuplicates } = input.group;
    return finder.decide(
      [
        ...duplicates.map((sha) => ({ a: keep, b: sha, decision: 'duplicate' as const })),
        ...notDuplicates.map((sha) => ({ a: keep, b: sha, decision: 'not_duplicate' as const })),
      ],
      { sha: keep, value: true },
    );
  }
  return finder.decide('pairs' in input ? input.pairs : [input], null);
};

export const duplicatesDecisions: Handler<'duplicates.decisions'> = async (_input, { services }) => services.duplicates.decisions();

export const duplicatesExport: Handler<'duplicates.export'> = async (input, { services, progress, signal }) => {
  const { format, what, view, source, ...settings } = input;
  const finder = services.duplicates;
  let out: { text: string; rows: number };
  const json = (value: unknown, rows: number) => ({ text: `${JSON.stringify(value, null, 1)}\n`, rows });
  if (what === 'decisions') out = format === 'csv' ? decisionsToCsv(finder.decisions()) : decisionsToJson(finder.decisions());
  else if (what === 'listings') {
    if (settings.tier === 'similar') throw new AppError('bad_request', 'listing groups are by the same photo: use tier exact or near');
    const result = await finder.findListings({ ...settings, tier: settings.tier, view, sort: view === 'merge' ? 'listings' : 'sellers', offset: 0, limit: Number.MAX_SAFE_INTEGER }, { progress, signal });
    out = format === 'csv' ? listingsToCsv(result) : json(result, result.groups.length);
  } else if (what === 'against') {
    if (!source) throw new AppError('bad_request', 'what: "against" needs a source to match against');
    const result = await finder.against(
      { source, mirror: settings.mirror, similarPerListing: 5, offset: 0, limit: Number.MAX_SAFE_INTEGER, ...(settings.model ? { model: settings.model } : {}), ...(settings.threshold !== undefined ? { threshold: settings.threshold } : {}) },
      { progress, signal },
    );
    out = format === 'csv' ? againstToCsv(result) : json(result, result.rows.length);
  } else {
    const result = await finder.find({ ...settings, offset: 0, limit: Number.MAX_SAFE_INTEGER, sort: 'size' }, { progress, signal });
    out = format === 'csv' ? groupsToCsv(result) : groupsToJson(result);
  }
  const name = what === 'decisions' ? 'duplicate-decisions' : what === 'listings' ? `duplicate-listings-${view}` : what === 'against' ? 'duplicates-against' : `duplicates-${settings.tier}`;
  return { format, mime: format === 'csv' ? 'text/csv' : 'application/json', filename: `${name}.${format}`, ...out };
};

export const duplicatesDistribution: Handler<'duplicates.distribution'> = async (input, { services, progress, signal }) => {
  const { bins, ...settings } = input;
  return services.duplicates.distribution(settings, bins, { progress, signal });
};

export const duplicatesListings: Handler<'duplicates.listings'> = async (input, { services, progress, signal }) => services.duplicates.findListings(input, { progress, signal });

export const duplicatesAgainst: Handler<'duplicates.against'> = async (input, { services, progress, signal }) => services.duplicates.against(input, { progress, signal });

export const duplicatesSources: Handler<'duplicates.sources'> = async (_input, { services }) => ({ sources: services.duplicates.sources() });

/** The preparation job's work; called directly (the CLI, a script), it runs as a job the caller waits for. */
export const duplicatesPrepare: Handler<'duplicates.prepare'> = async (input, ctx) =>
  jobsOf(ctx.services).runInline('duplicates.prepare', input, ctx, (c) => c.services.duplicates.prepare(input.model, c));

import type { Handler } from '../../api/handler.js';
import { decisionsToCsv, decisionsToJson, groupsToCsv, groupsToJson } from './export.js';

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
  const { format, what, ...settings } = input;
  const finder = services.duplicates;
  let out: { text: string; rows: number };
  if (what === 'decisions') out = format === 'csv' ? decisionsToCsv(finder.decisions()) : decisionsToJson(finder.decisions());
  else {
    const result = await finder.find({ ...settings, offset: 0, limit: Number.MAX_SAFE_INTEGER, sort: 'size' }, { progress, signal });
    out = format === 'csv' ? groupsToCsv(result) : groupsToJson(result);
  }
  const name = what === 'decisions' ? 'duplicate-decisions' : `duplicates-${settings.tier}`;
  return { format, mime: format === 'csv' ? 'text/csv' : 'application/json', filename: `${name}.${format}`, ...out };
};

export const duplicatesDistribution: Handler<'duplicates.distribution'> = async (input, { services, progress, signal }) => {
  const { bins, ...settings } = input;
  return services.duplicates.distribution(settings, bins, { progress, signal });
};
